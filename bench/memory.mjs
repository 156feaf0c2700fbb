// Memory under sustained load: 50,000 Streamable HTTP tools/call (BENCH_MEMORY_CALLS), a mix
// of find_customer / get_order / list_orders, 16 in flight (BENCH_CONCURRENCY), against
// support-mcp stateless HTTP on fixtures (and on Postgres when DATABASE_URL is set), and the
// bare SDK HTTP server's echo for comparison. The server's RSS (VmRSS) is sampled every 1,000
// calls; reported: RSS after warm-up (the first 10 %, 5,000 calls), at the end, the maximum,
// and the growth after warm-up. A leak shows as steady growth; a plateau is the heap settling.
// One server runs at a time (started fresh, stopped after its run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  BARE_HTTP, CLI, DB_POOL_SIZE, ROOT, Meter, ensureSeeded, envInt, envList, httpCall, httpClient, pick, printTable, rssMb, runLoad, sampleIds,
  saveResult, startHttp, stop,
} from './lib.mjs';

const N = envInt('BENCH_MEMORY_CALLS', 50_000, 300);
const EVERY = Math.max(1, envInt('BENCH_MEMORY_SAMPLE_EVERY', 1000, 30));
const WARM = Math.min(N - 1, Math.max(EVERY, Math.round(N / 10 / EVERY) * EVERY)); // RSS "after warm-up" is read here
const [CONCURRENCY] = envList('BENCH_CONCURRENCY', '16');

const ids = (file) => JSON.parse(readFileSync(path.join(ROOT, 'fixtures', file), 'utf8')).map((r) => r.id);
const fixtureIds = { customerIds: ids('customers.json'), orderIds: ids('orders.json') };
const mix = (set) => (i) => {
  switch (i % 3) {
    case 0: return ['find_customer', { customer_id: pick(set.customerIds, i) }];
    case 1: return ['get_order', { order_id: pick(set.orderIds, i) }];
    default: return ['list_orders', { customer_id: pick(set.customerIds, i) }];
  }
};
const SUPPORT = [CLI, '--transport', 'http', '--port', '0', '--log-level', 'info', '--rate-limit', '1000000', '--access', 'open', '--limits', 'off'];
const variants = [
  { name: 'bare-sdk stateless (echo)', args: [BARE_HTTP], env: {}, call: () => ['echo', { text: 'hi' }] },
  { name: 'support-mcp stateless fixtures', args: [...SUPPORT, '--fixtures'], env: {}, call: mix(fixtureIds) },
];
if (process.env.DATABASE_URL) {
  await ensureSeeded(process.env.DATABASE_URL);
  variants.push({ name: 'support-mcp stateless postgres', args: [...SUPPORT, '--db-pool-size', String(DB_POOL_SIZE)], env: { DATABASE_URL: process.env.DATABASE_URL }, call: mix(await sampleIds(process.env.DATABASE_URL)) });
}

const rows = [];
const samples = {};
for (const v of variants) {
  const server = await startHttp(v.args, v.env);
  const client = httpClient(server.url);
  const pid = server.child.pid;
  const rss = [{ calls: 0, rss_mb: rssMb(pid) }];
  let done = 0;
  try {
    const one = async (i) => {
      await httpCall(client, ...v.call(i));
      if (++done % EVERY === 0) rss.push({ calls: done, rss_mb: rssMb(pid) });
    };
    // Latency, throughput and CPU/call are for the calls after warm-up; RSS covers all of them.
    await runLoad(CONCURRENCY, WARM, one);
    const m = new Meter(v.name, pid);
    await m.block(CONCURRENCY, N - WARM, (i) => one(WARM + i));
    if (done % EVERY !== 0) rss.push({ calls: done, rss_mb: rssMb(pid) });
    const known = rss.filter((s) => s.rss_mb !== null);
    const warm = known.find((s) => s.calls >= WARM) ?? known.at(-1);
    const end = known.at(-1);
    const max = Math.max(...known.map((s) => s.rss_mb));
    // Still growing? Mean RSS over the last tenth of the run against the tenth ending at its
    // middle: averages ride over GC sawtooth, and a store that fills a bounded buffer (the
    // fixture audit trail keeps 10,000 entries) has settled by then.
    const meanIn = (lo, hi) => {
      const xs = known.filter((s) => s.calls > lo && s.calls <= hi).map((s) => s.rss_mb);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    const midMean = meanIn(N / 2 - N / 10, N / 2);
    const endMean = meanIn(N - N / 10, N);
    rows.push(m.row({
      rss_start_mb: known[0]?.rss_mb ?? null,
      rss_warm_mb: warm?.rss_mb ?? null,
      rss_end_mb: end?.rss_mb ?? null,
      rss_max_mb: known.length ? max : null,
      growth_mb: warm && end ? +(end.rss_mb - warm.rss_mb).toFixed(1) : null,
      growth_pct: warm && end ? +(((end.rss_mb - warm.rss_mb) / warm.rss_mb) * 100).toFixed(1) : null,
      second_half_growth_mb: midMean !== null && endMean !== null ? +(endMean - midMean).toFixed(1) : null,
      second_half_growth_pct: midMean !== null && endMean !== null ? +(((endMean - midMean) / midMean) * 100).toFixed(1) : null,
    }));
    samples[v.name] = rss;
  } finally {
    client.close();
    await stop(server.child);
  }
}
const table = printTable(
  `memory: ${N} HTTP tools/call (find_customer/get_order/list_orders mix), ${CONCURRENCY} in flight; RSS sampled every ${EVERY} calls; warm-up = first ${WARM} (n, latency and CPU: the calls after it)`,
  rows, 'bare-sdk stateless (echo)',
  { extraCols: ['rss_start_mb', 'rss_warm_mb', 'rss_end_mb', 'rss_max_mb', 'growth_mb', 'growth_pct', 'second_half_growth_mb', 'second_half_growth_pct'] },
);
console.log(table.map((r) => `  ${r.name}: RSS ${r.rss_warm_mb} MB after warm-up → ${r.rss_end_mb} MB at the end (max ${r.rss_max_mb}), growth ${r.growth_mb} MB (${r.growth_pct} %); second half of the run ${r.second_half_growth_mb} MB (${r.second_half_growth_pct} %)`).join('\n'));
saveResult('memory', { calls: N, sample_every: EVERY, warm_up_calls: WARM, concurrency: CONCURRENCY, rows: table, samples });
