// Postgres-backed lookups (get_order, find_customer) at 1, 8, 32 and 128 concurrent clients:
//   raw pg      — the same queries straight through pg.Pool(10) (the limit);
//   naive SDK   — a fresh McpServer per request with the same queries (what users write);
//   support-mcp — Streamable HTTP (stateless) and stdio (one pipe, requests in flight).
// Needs DATABASE_URL of a seeded database (e.g. npm run fixtures:generate + db seed).
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { CLI, BARE, peakRssMb, printTable, saveResult, spawnStdio, initialize, summarize } from './lib.mjs';

const URL_ = process.env.DATABASE_URL;
if (!URL_) {
  console.error('set DATABASE_URL to a seeded database (see bench/README.md)');
  process.exit(2);
}
const N = Number(process.env.BENCH_N ?? 4000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,8,32,128').split(',').map(Number);
const NAIVE = path.join(path.dirname(BARE), 'naive-pg-http-server.mjs');
const ORDER_SQL = `select o.*, coalesce((select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price) order by i.line_no) from order_items i where i.order_id = o.id), '[]') as items from orders o where o.id = $1`;
const CUSTOMER_SQL = 'select * from customers where id = $1';

// Ids to look up: sampled from the database so the bench works on any seeded set.
const pool = new pg.Pool({ connectionString: URL_, max: 10 });
const orderIds = (await pool.query('select id from orders tablesample system (1) limit 2000')).rows.map((r) => r.id);
const customerIds = (await pool.query('select id from customers tablesample system (5) limit 2000')).rows.map((r) => r.id);
if (orderIds.length < 10) orderIds.push(...(await pool.query('select id from orders limit 2000')).rows.map((r) => r.id));
if (customerIds.length < 10) customerIds.push(...(await pool.query('select id from customers limit 2000')).rows.map((r) => r.id));
const pick = (a, i) => a[(i * 7919) % a.length];

function startHttp(args) {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', DATABASE_URL: URL_ }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let ready = false;
    child.stderr.on('data', (d) => {
      if (ready) return;
      buf += d;
      for (const line of buf.split('\n')) {
        try {
          const m = JSON.parse(line);
          if (m.msg === 'support-mcp ready' && m.port) {
            ready = true;
            return resolve({ child, url: `http://127.0.0.1:${m.port}/mcp` });
          }
        } catch {}
      }
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${buf}`)));
  });
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
async function run(concurrency, n, one) {
  const samples = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      await one(i);
      samples.push(performance.now() - s);
    }
  }));
  return { samples, wallMs: performance.now() - t0 };
}
const httpCall = (url) => async (tool, args) => {
  const r = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } }) });
  const text = await r.text();
  if (r.status !== 200 || text.includes('"isError":true')) throw new Error(`${r.status} ${text.slice(0, 200)}`);
};

const supportArgs = ['--transport', 'http', '--port', '0', '--log-level', 'info', '--rate-limit', '1000000', '--access', 'open', '--limits', 'off'];
const [naive, support] = await Promise.all([startHttp([NAIVE]), startHttp([CLI, ...supportArgs])]);
const stdio = spawnStdio([CLI, '--log-level', 'info', '--access', 'open', '--limits', 'off'], { DATABASE_URL: URL_ });
await initialize(stdio);

const results = {};
try {
  for (const [tool, sql, ids, argName] of [['get_order', ORDER_SQL, orderIds, 'order_id'], ['find_customer', CUSTOMER_SQL, customerIds, 'customer_id']]) {
    for (const c of LEVELS) {
      const variants = [
        ['raw pg (same query)', async (i) => { await pool.query(sql, [pick(ids, i)]); }, null],
        ['naive SDK server (http)', (i) => httpCall(naive.url)(tool, { [argName]: pick(ids, i) }), naive.child],
        ['support-mcp http stateless', (i) => httpCall(support.url)(tool, { [argName]: pick(ids, i) }), support.child],
        ['support-mcp stdio', async (i) => {
          const r = await stdio.request('tools/call', { name: tool, arguments: { [argName]: pick(ids, i) } });
          if (r.error || r.result?.isError) throw new Error(JSON.stringify(r).slice(0, 200));
        }, stdio.child],
      ];
      const rows = [];
      for (const [name, one, child] of variants) {
        await run(c, Math.min(300, N), one); // warm-up
        const { samples, wallMs } = await run(c, N, one);
        const row = summarize(name, samples, { peak_rss_mb: child ? peakRssMb(child.pid) : null });
        row.per_s = +((samples.length / wallMs) * 1000).toFixed(1);
        rows.push(row);
      }
      const table = printTable(`${tool}, ${c} concurrent client(s), ${N} calls (Postgres)`, rows, 'raw pg (same query)');
      const raw = table[0].per_s;
      const naiveRow = table[1].per_s;
      for (const r of table) {
        r.vs_raw_pg = +(r.per_s / raw).toFixed(2);
        r.vs_naive = +(r.per_s / naiveRow).toFixed(2);
      }
      console.log(table.map((r) => `  ${r.name}: ${r.vs_raw_pg}x raw pg, ${r.vs_naive}x naive`).join('\n'));
      results[`${tool}_c${c}`] = table;
    }
  }
} finally {
  naive.child.kill('SIGTERM');
  support.child.kill('SIGTERM');
  await stdio.close();
  await pool.end();
}
saveResult('postgres', results);
