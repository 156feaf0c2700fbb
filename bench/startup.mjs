// Start-up: spawn → `initialize` answered, support-mcp on fixtures (and on Postgres when
// DATABASE_URL is set) against the bare SDK stdio server, interleaved so drift hits both.
import { BARE, CLI, SMOKE, ensureSeeded, envInt, initialize, peakRssMb, printTable, sampleIds, saveResult, spawnStdio, summarize } from './lib.mjs';

const N = envInt('BENCH_N', 30, 2);
const WARM = SMOKE ? 1 : 2; // first rounds warm the OS file cache and are not counted
// [name, argv, env, first tool call]
const FIND = ['find_customer', { customer_id: '1213210' }];
const variants = [
  ['bare-sdk', [BARE], {}, ['echo', { text: 'hi' }]],
  ['support-mcp fixtures', [CLI, '--fixtures', '--log-level', 'warn', '--access', 'open', '--limits', 'off'], {}, FIND],
];
if (process.env.DATABASE_URL) {
  await ensureSeeded(process.env.DATABASE_URL);
  const [customerId] = (await sampleIds(process.env.DATABASE_URL, { orders: 1, customers: 1 })).customerIds;
  variants.push(['support-mcp postgres', [CLI, '--log-level', 'warn', '--access', 'open', '--limits', 'off'], { DATABASE_URL: process.env.DATABASE_URL }, ['find_customer', { customer_id: customerId }]]);
}

const samples = Object.fromEntries(variants.map(([name]) => [name, []]));
const firstCall = Object.fromEntries(variants.map(([name]) => [name, []]));
const rss = Object.fromEntries(variants.map(([name]) => [name, 0]));
for (let i = 0; i < N + WARM; i++) {
  for (const [name, args, env, [tool, toolArgs]] of variants) {
    const t0 = performance.now();
    const conn = spawnStdio(args, env);
    await initialize(conn);
    const ms = performance.now() - t0;
    const r = await conn.request('tools/call', { name: tool, arguments: toolArgs });
    if (r.error || r.result?.isError) throw new Error(`${name}: first call failed: ${JSON.stringify(r)}`);
    if (i >= WARM) firstCall[name].push(performance.now() - t0);
    rss[name] = Math.max(rss[name], peakRssMb(conn.child.pid) ?? 0);
    await conn.close();
    if (i >= WARM) samples[name].push(ms);
  }
}
const rows = variants.map(([name]) => summarize(name, samples[name], { peak_rss_mb: rss[name] }));
const table = printTable(`startup: spawn → initialize answered (${N} spawns each)`, rows, 'bare-sdk');
const rows2 = variants.map(([name]) => summarize(name, firstCall[name], { peak_rss_mb: rss[name] }));
const table2 = printTable('startup: spawn → first tools/call answered (initialize, initialized, one call)', rows2, 'bare-sdk');
saveResult('startup', { initialize: table, first_call: table2 });
