// Streamable HTTP throughput: support-mcp stateless and stateful (fixtures, find_customer)
// against the SDK's stateless pattern with a trivial tool, same client, same run.
import { spawn } from 'node:child_process';
import { BARE, CLI, peakRssMb, printTable, saveResult, summarize } from './lib.mjs';
import path from 'node:path';

const N = Number(process.env.BENCH_N ?? 3000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16').split(',').map(Number);
const BARE_HTTP = path.join(path.dirname(BARE), 'bare-http-server.mjs');

function start(args, env = {}) {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let ready = false;
    child.stderr.on('data', (d) => {
      if (ready) return; // keep draining the pipe, but stop buffering once started
      buf += d;
      for (const line of buf.split('\n')) {
        try {
          const m = JSON.parse(line);
          if (m.msg === 'support-mcp ready' && m.port) {
            ready = true;
            buf = '';
            return resolve({ child, url: `http://127.0.0.1:${m.port}/mcp` });
          }
        } catch {}
      }
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${buf}`)));
  });
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

async function initSession(url) {
  const r = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } }) });
  await r.text();
  const sid = r.headers.get('mcp-session-id');
  await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': sid }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }).then((x) => x.text());
  return sid;
}

async function load(url, tool, args, concurrency, n, sid) {
  const headers = sid ? { ...HEADERS, 'mcp-session-id': sid } : HEADERS;
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } });
  const samples = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < n) {
      const t0 = performance.now();
      const r = await fetch(url, { method: 'POST', headers, body });
      const text = await r.text();
      if (r.status !== 200 || text.includes('"isError":true')) throw new Error(`bad answer ${r.status}: ${text.slice(0, 200)}`);
      samples.push(performance.now() - t0);
    }
  }));
  return { samples, wallMs: performance.now() - started };
}

const variants = [
  ['bare-sdk stateless', [BARE_HTTP], 'echo', { text: 'hi' }, false],
  ['support-mcp stateless', [CLI, '--transport', 'http', '--port', '0', '--fixtures', '--log-level', 'info', '--rate-limit', '1000000', '--access', 'open', '--limits', 'off'], 'find_customer', { customer_id: '1213210' }, false],
  ['support-mcp stateful', [CLI, '--transport', 'http', '--port', '0', '--fixtures', '--log-level', 'info', '--rate-limit', '1000000', '--stateful', '--access', 'open', '--limits', 'off'], 'find_customer', { customer_id: '1213210' }, true],
];
const servers = [];
for (const [name, args] of variants) servers.push({ name, ...(await start(args)) });
const results = {};
try {
  for (const c of CONCURRENCY) {
    const rows = [];
    for (const [i, [name, , tool, args, stateful]] of variants.entries()) {
      const { url, child } = servers[i];
      const sid = stateful ? await initSession(url) : undefined;
      await load(url, tool, args, c, Math.min(500, N), sid); // warm-up
      const { samples, wallMs } = await load(url, tool, args, c, N, sid);
      const row = summarize(name, samples, { peak_rss_mb: peakRssMb(child.pid) });
      row.per_s = +((samples.length / wallMs) * 1000).toFixed(1);
      rows.push(row);
    }
    const table = printTable(`Streamable HTTP tools/call, ${c} concurrent client(s), ${N} calls`, rows, 'bare-sdk stateless');
    for (const r of table) r.ratio_throughput = +(r.per_s / table[0].per_s).toFixed(2);
    console.log(table.map((r) => `  ${r.name}: throughput ${r.ratio_throughput}x of bare`).join('\n'));
    results[`c${c}`] = table;
  }
} finally {
  for (const s of servers) s.child.kill('SIGTERM');
}
saveResult('http', results);
