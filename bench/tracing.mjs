// Observability cost on the stdio server (fixtures, find_customer): OpenTelemetry tracing off
// (OTEL_EXPORTER_OTLP_ENDPOINT unset: the tracing code is not loaded) against tracing on
// (spans batched to a local OTLP/HTTP sink in this process) and against metrics on
// (--metrics-port 0, the request observer feeding prom-client). Rows are measured in
// interleaved blocks like stdio.mjs; the baseline is "tracing off".
import { createServer } from 'node:http';
import { CLI, Meter, envInt, envList, initialize, printTable, runLoad, saveResult, spawnStdio, stdioCall } from './lib.mjs';

const N = envInt('BENCH_N', 5000, 150);
const WARMUP = envInt('BENCH_WARMUP', 1000, 50);
const BLOCK = Math.max(1, Math.min(N, envInt('BENCH_BLOCK', 500, 50)));
const LEVELS = envList('BENCH_CONCURRENCY', '1,8');
const SUPPORT = [CLI, '--fixtures', '--access', 'open', '--limits', 'off', '--log-level', 'warn'];
const FIND = ['find_customer', { customer_id: '1213210' }];

// The collector: accepts every OTLP export and counts it.
let exports = 0;
let bytes = 0;
const sink = createServer((req, res) => {
  req.on('data', (d) => (bytes += d.length));
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${sink.address().port}`;

// BENCH_BASELINE_CLI=<another build's dist/cli.js> adds that build as a row (e.g. the commit
// before tracing existed: `git archive <commit> | tar -x -C /tmp/base`, then build there).
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;
const variants = [
  ...(BASELINE_CLI ? [{ name: 'build without tracing code', args: [BASELINE_CLI, ...SUPPORT.slice(1)], env: {} }] : []),
  { name: 'tracing off', args: SUPPORT, env: {} },
  { name: 'tracing on (OTLP/HTTP)', args: SUPPORT, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } },
  { name: 'metrics on (--metrics-port)', args: [...SUPPORT, '--metrics-port', '0'], env: {} },
];
for (const v of variants) {
  v.conn = spawnStdio(v.args, v.env);
  await initialize(v.conn);
  v.one = () => stdioCall(v.conn, ...FIND);
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
    const table = printTable(`tracing: stdio tools/call on fixtures, ${mode}, ${N} calls per row (blocks of ${BLOCK}, interleaved)`, meters.map((m) => m.row()), 'tracing off');
    console.log(table.slice(1).map((r) => `  ${r.name}: throughput ${r.ratio_per_s}x of off, p50 ${r.ratio_p50}x, p99 ${r.ratio_p99}x, server CPU/call ${r.ratio_cpu ?? '?'}x`).join('\n'));
    results[c === 1 ? 'sequential' : `pipelined_c${c}`] = table;
  }
} finally {
  await Promise.all(variants.map((v) => v.conn.close()));
  sink.close();
}
console.log(`\nOTLP sink received ${exports} export request(s), ${(bytes / 1024).toFixed(0)} KiB`);
if (exports === 0) {
  console.error('tracing on exported nothing: the row did not measure tracing');
  process.exit(1);
}
saveResult('tracing', { n: N, warmup: WARMUP, block: BLOCK, otlp_exports: exports, otlp_kib: Math.round(bytes / 1024), ...results });
