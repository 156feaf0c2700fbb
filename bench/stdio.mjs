// stdio tool-call throughput on fixtures: support-mcp `find_customer` (logging at warn, and
// at the default info) against the bare SDK stdio server's `echo`, one process each.
//   sequential — one request at a time (a client waiting for each answer);
//   pipelined  — 8 requests in flight on the one pipe.
// Rows are measured in interleaved blocks (bare, support-mcp warn, support-mcp info, bare, …)
// so machine drift hits all of them; server CPU per call comes from /proc/<pid>/stat.
import { BARE, CLI, Meter, envInt, envList, initialize, printTable, runLoad, saveResult, spawnStdio, stdioCall, stop } from './lib.mjs';

const N = envInt('BENCH_N', 5000, 150);
const WARMUP = envInt('BENCH_WARMUP', 1000, 50);
const BLOCK = Math.max(1, Math.min(N, envInt('BENCH_BLOCK', 500, 50)));
const LEVELS = envList('BENCH_CONCURRENCY', '1,8');
const SUPPORT = ['--fixtures', '--access', 'open', '--limits', 'off'];
const FIND = ['find_customer', { customer_id: '1213210' }];

const variants = [
  { name: 'bare-sdk echo', args: [BARE], call: ['echo', { text: 'hi' }] },
  { name: 'support-mcp find_customer (log warn)', args: [CLI, ...SUPPORT, '--log-level', 'warn'], call: FIND },
  { name: 'support-mcp find_customer (log info)', args: [CLI, ...SUPPORT, '--log-level', 'info'], call: FIND },
];
for (const v of variants) {
  v.conn = spawnStdio(v.args);
  await initialize(v.conn);
  v.one = () => stdioCall(v.conn, ...v.call);
}

const results = {};
try {
  for (const v of variants) await runLoad(1, WARMUP, v.one);
  for (const c of LEVELS) {
    const meters = variants.map((v) => new Meter(v.name, v.conn.child.pid));
    for (let done = 0; done < N; done += BLOCK) {
      const n = Math.min(BLOCK, N - done);
      for (const [i, v] of variants.entries()) await meters[i].block(c, n, v.one);
    }
    const mode = c === 1 ? 'sequential' : `${c} in flight on one pipe`;
    const table = printTable(`stdio: tools/call on fixtures, ${mode}, ${N} calls per row (blocks of ${BLOCK}, interleaved)`, meters.map((m) => m.row()), 'bare-sdk echo');
    console.log(table.slice(1).map((r) => `  ${r.name}: throughput ${r.ratio_per_s}x of bare, p50 ${r.ratio_p50}x, p99 ${r.ratio_p99}x, server CPU/call ${r.ratio_cpu ?? '?'}x`).join('\n'));
    results[c === 1 ? 'sequential' : `pipelined_c${c}`] = table;
  }
} finally {
  await Promise.all(variants.map((v) => v.conn.close().catch(() => stop(v.conn.child))));
}
saveResult('stdio', { n: N, warmup: WARMUP, block: BLOCK, ...results });
