// Data-set scale: the same lookups — find_customer by id, get_order, list_orders for a
// customer — through support-mcp stdio and Streamable HTTP (stateless) at 1 and 8 concurrent
// clients, on a small database (1,000 customers / 10,000 orders) and a large one (100,000 /
// 1,000,000). The small database is the baseline; the goal is p99(large) / p99(small) ≤ 1.5
// (index lookups should not care how big the tables are). Rows are measured in interleaved
// blocks (small, large, small, …) so drift hits both; ids are sampled from each database
// (spread over the tables) and looked up once before the measured runs so that both databases
// answer from a warm cache (BENCH_SCALE_COLD=1 skips that).
//
// Databases: BENCH_SMALL_DATABASE_URL and BENCH_LARGE_DATABASE_URL (seeded already), or
// else support_mcp_bench_1k / support_mcp_bench_1m on DATABASE_URL's server, created and
// seeded here when missing (the large one takes a minute or two, once). BENCH_SMOKE=1 uses
// support_mcp_bench_smoke_s_<schema> / _l_<schema> with 100 and 1,000 customers. No URL at all: skip line.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CLI, DB_POOL_SIZE, SMOKE, Meter, datasetCounts, ensureSeeded, envInt, envList, httpCall, httpClient, initialize, pick, printGrid,
  printTable, provisionDatabase, runLoad, sampleIds, saveResult, skip, spawnStdio, startHttp, stdioCall, stop,
} from './lib.mjs';

const N = envInt('BENCH_N', 2000, 30);
const WARMUP = envInt('BENCH_WARMUP', 300, 5);
const BLOCK = Math.max(1, Math.min(N, envInt('BENCH_BLOCK', 250, 15)));
const LEVELS = envList('BENCH_CONCURRENCY', '1,8');
const GOAL = 1.5;
const COLD = /^(1|true|yes)$/i.test(process.env.BENCH_SCALE_COLD ?? ''); // skip the cache warm-up

let smallUrl = process.env.BENCH_SMALL_DATABASE_URL;
let largeUrl = process.env.BENCH_LARGE_DATABASE_URL;
if ((!smallUrl || !largeUrl) && !process.env.DATABASE_URL) {
  skip('scale', 'set DATABASE_URL (the databases are provisioned on its server) or BENCH_SMALL_DATABASE_URL and BENCH_LARGE_DATABASE_URL');
}
// Smoke databases are kept for reuse on the server; builds with other migrations (another
// branch, an older checkout) get their own, so none meets a schema newer than it knows.
const { MIGRATIONS } = await import(pathToFileURL(path.join(path.dirname(CLI), 'repository', 'postgres', 'migrations.js')).href);
const schemaTag = createHash('sha256').update(MIGRATIONS.join(',')).digest('hex').slice(0, 8);
const [smallName, smallCustomers, largeName, largeCustomers] = SMOKE
  ? [`support_mcp_bench_smoke_s_${schemaTag}`, 100, `support_mcp_bench_smoke_l_${schemaTag}`, 1000]
  : ['support_mcp_bench_1k', 1000, 'support_mcp_bench_1m', 100_000];
smallUrl = smallUrl ? (await ensureSeeded(smallUrl, { seed: false, label: 'BENCH_SMALL_DATABASE_URL' }), smallUrl) : await provisionDatabase(process.env.DATABASE_URL, smallName, smallCustomers);
largeUrl = largeUrl ? (await ensureSeeded(largeUrl, { seed: false, label: 'BENCH_LARGE_DATABASE_URL' }), largeUrl) : await provisionDatabase(process.env.DATABASE_URL, largeName, largeCustomers);

const dbs = [];
for (const [key, url] of [['small', smallUrl], ['large', largeUrl]]) {
  const counts = await datasetCounts(url);
  const label = `${key} (${counts.customers.toLocaleString('en-US')} cust / ${counts.orders.toLocaleString('en-US')} ord)`;
  const ids = await sampleIds(url);
  const env = { DATABASE_URL: url };
  const args = ['--log-level', 'info', '--access', 'open', '--limits', 'off', '--db-pool-size', String(DB_POOL_SIZE)]; // info: HTTP logs its port
  const http = await startHttp([CLI, '--transport', 'http', '--port', '0', '--rate-limit', '1000000', ...args], env);
  const stdio = spawnStdio([CLI, ...args], env);
  await initialize(stdio);
  dbs.push({ key, url, counts, label, ids, http, client: httpClient(http.url), stdio });
}

const TOOLS = [
  ['find_customer', (ids, i) => ({ customer_id: pick(ids.customerIds, i) })],
  ['get_order', (ids, i) => ({ order_id: pick(ids.orderIds, i) })],
  ['list_orders', (ids, i) => ({ customer_id: pick(ids.customerIds, i) })],
];
const TRANSPORTS = [
  ['stdio', (db) => db.stdio.child.pid, (db, tool, args) => stdioCall(db.stdio, tool, args)],
  ['http stateless', (db) => db.http.child.pid, (db, tool, args) => httpCall(db.client, tool, args)],
];

const results = {};
const summary = [];
try {
  for (const [tool, argsFor] of TOOLS) {
    if (!COLD) {
      // Every id the measured runs use, once, so both databases answer from a warm cache
      // (what first touches cost depends on the OS page cache, not on the data set's size).
      const t0 = performance.now();
      for (const db of dbs) await runLoad(8, N, (i) => stdioCall(db.stdio, tool, argsFor(db.ids, i)));
      console.log(`\n${tool}: cache warmed with the ${N} measured lookups per database in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const [transport, pidOf, call] of TRANSPORTS) {
      for (const c of LEVELS) {
        const ones = dbs.map((db) => (i) => call(db, tool, argsFor(db.ids, i)));
        // Warm-up (the servers' code paths) on other ids than the measured ones where the sample allows.
        for (const one of ones) await runLoad(c, WARMUP, (i) => one(N + i));
        const meters = dbs.map((db) => new Meter(db.label, pidOf(db)));
        for (let done = 0; done < N; done += BLOCK) {
          for (const [d, m] of meters.entries()) await m.block(c, Math.min(BLOCK, N - done), ones[d]);
        }
        const table = printTable(`scale: ${tool} over ${transport}, ${c} concurrent client(s), ${N} calls per database (blocks of ${BLOCK})`, meters.map((m) => m.row()), dbs[0].label);
        results[`${tool}_${transport.replace(' ', '_')}_c${c}`] = table;
        const [s, l] = table;
        summary.push({
          tool, transport, clients: c,
          p50_small_ms: s.p50_ms, p50_large_ms: l.p50_ms, p99_small_ms: s.p99_ms, p99_large_ms: l.p99_ms,
          p99_ratio: l.ratio_p99, goal: l.ratio_p99 <= GOAL ? 'ok' : `> ${GOAL}`,
        });
      }
    }
  }
} finally {
  for (const db of dbs) db.client.close();
  await Promise.all(dbs.flatMap((db) => [stop(db.http.child), db.stdio.close()]));
}
console.log(`\nscale: p99(large) / p99(small), goal ≤ ${GOAL} — small: ${dbs[0].label}, large: ${dbs[1].label}`);
printGrid(['tool', 'transport', 'clients', 'p50_small_ms', 'p50_large_ms', 'p99_small_ms', 'p99_large_ms', 'p99_ratio', 'goal'], summary);
const describe = (db) => ({ database: new URL(db.url).pathname.slice(1), customers: db.counts.customers, orders: db.counts.orders });
saveResult('scale', { n: N, warmup: WARMUP, block: BLOCK, cache: COLD ? 'cold' : 'warmed', goal_p99_ratio: GOAL, small: describe(dbs[0]), large: describe(dbs[1]), summary, ...results });
