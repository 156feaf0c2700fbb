// Start-up: spawn → `initialize` answered, support-mcp on fixtures (and on Postgres when
// DATABASE_URL is set) against the bare SDK stdio server, interleaved so drift hits both.
import { BARE, CLI, initialize, peakRssMb, printTable, saveResult, spawnStdio, summarize } from './lib.mjs';

const N = Number(process.env.BENCH_N ?? 30);
// [name, argv, env, first tool call]
const FIND = ['find_customer', { customer_id: '1213210' }];
const variants = [
  ['bare-sdk', [BARE], {}, ['echo', { text: 'hi' }]],
  ['support-mcp fixtures', [CLI, '--fixtures', '--log-level', 'warn', '--access', 'open', '--limits', 'off'], {}, FIND],
];
if (process.env.DATABASE_URL) variants.push(['support-mcp postgres', [CLI, '--log-level', 'warn', '--access', 'open', '--limits', 'off'], { DATABASE_URL: process.env.DATABASE_URL }, FIND]);

const samples = Object.fromEntries(variants.map(([name]) => [name, []]));
const firstCall = Object.fromEntries(variants.map(([name]) => [name, []]));
const rss = Object.fromEntries(variants.map(([name]) => [name, 0]));
for (let i = 0; i < N + 2; i++) {
  for (const [name, args, env, [tool, toolArgs]] of variants) {
    const t0 = performance.now();
    const conn = spawnStdio(args, env);
    await initialize(conn);
    const ms = performance.now() - t0;
    const r = await conn.request('tools/call', { name: tool, arguments: toolArgs });
    if (r.error || r.result?.isError) throw new Error(`${name}: first call failed: ${JSON.stringify(r)}`);
    if (i >= 2) firstCall[name].push(performance.now() - t0);
    rss[name] = Math.max(rss[name], peakRssMb(conn.child.pid) ?? 0);
    await conn.close();
    if (i >= 2) samples[name].push(ms); // first two rounds warm the OS file cache
  }
}
const rows = variants.map(([name]) => summarize(name, samples[name], { peak_rss_mb: rss[name] }));
const table = printTable(`start-up: spawn → initialize answered (${N} spawns each)`, rows, 'bare-sdk');
const rows2 = variants.map(([name]) => summarize(name, firstCall[name], { peak_rss_mb: rss[name] }));
const table2 = printTable('start-up: spawn → first tools/call answered (initialize, initialized, one call)', rows2, 'bare-sdk');
saveResult('startup', { initialize: table, first_call: table2 });
