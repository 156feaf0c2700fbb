// Streamable HTTP throughput: support-mcp stateless and stateful (fixtures, find_customer)
// against the SDK's stateless pattern with a trivial tool, same client, same run. The client
// is node:http with keep-alive (BENCH_CLIENT=fetch for fetch); server CPU per call from /proc.
import { BARE_HTTP, CLI, Meter, envInt, envList, httpCall, httpClient, initHttpSession, printTable, runLoad, saveResult, startHttp, stop } from './lib.mjs';

const N = envInt('BENCH_N', 3000, 100);
const WARMUP = envInt('BENCH_WARMUP', 500, 20);
const CONCURRENCY = envList('BENCH_CONCURRENCY', '1,16');
const CLIENT = process.env.BENCH_CLIENT ?? 'http';
const SUPPORT = [CLI, '--transport', 'http', '--port', '0', '--fixtures', '--log-level', 'info', '--rate-limit', '1000000', '--access', 'open', '--limits', 'off'];

const variants = [
  ['bare-sdk stateless', [BARE_HTTP], 'echo', { text: 'hi' }, false],
  ['support-mcp stateless', SUPPORT, 'find_customer', { customer_id: '1213210' }, false],
  ['support-mcp stateful', [...SUPPORT, '--stateful'], 'find_customer', { customer_id: '1213210' }, true],
];
const servers = await Promise.all(variants.map(([, args]) => startHttp(args)));
const results = {};
try {
  for (const c of CONCURRENCY) {
    const rows = [];
    for (const [i, [name, , tool, args, stateful]] of variants.entries()) {
      const { url, child } = servers[i];
      const client = httpClient(url);
      const headers = stateful ? { 'mcp-session-id': await initHttpSession(client) } : {};
      const one = () => httpCall(client, tool, args, headers);
      await runLoad(c, WARMUP, one);
      const m = new Meter(name, child.pid);
      await m.block(c, N, one);
      rows.push(m.row());
      client.close();
    }
    const table = printTable(`http: Streamable HTTP tools/call, ${c} concurrent client(s), ${N} calls (${CLIENT} client)`, rows, 'bare-sdk stateless');
    console.log(table.slice(1).map((r) => `  ${r.name}: throughput ${r.ratio_per_s}x of bare, server CPU/call ${r.ratio_cpu ?? '?'}x`).join('\n'));
    results[`c${c}`] = table;
  }
} finally {
  await Promise.all(servers.map((s) => stop(s.child)));
}
saveResult('http', { client: CLIENT, ...results });
