// Shared helpers for the benchmark scenarios: spawning stdio servers, a minimal
// newline-JSON client, percentiles, RSS sampling and the result table.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const BARE = path.join(ROOT, 'bench', 'baselines', 'bare-stdio-server.mjs');

export const INIT = {
  jsonrpc: '2.0', id: 0, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } },
};

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export function summarize(name, samplesMs, extra = {}) {
  const s = [...samplesMs].sort((a, b) => a - b);
  const total = samplesMs.reduce((a, b) => a + b, 0);
  return { name, n: s.length, p50_ms: +percentile(s, 50).toFixed(3), p99_ms: +percentile(s, 99).toFixed(3), per_s: +((s.length / total) * 1000).toFixed(1), ...extra };
}

/** Peak resident set (VmHWM) of a live process, in MB; null where /proc is unavailable. */
export function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A stdio MCP child driven by raw newline-delimited JSON (no SDK client overhead). */
export function spawnStdio(args, env = {}) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const waiters = new Map();
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line) continue;
      const msg = JSON.parse(line);
      const w = waiters.get(msg.id);
      if (w) {
        waiters.delete(msg.id);
        w(msg);
      }
    }
  });
  let nextId = 1;
  return {
    child,
    request(method, params, id = nextId++) {
      return new Promise((resolve) => {
        waiters.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    notify(method, params = {}) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
    },
    async close() {
      child.stdin.end();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}

export async function initialize(conn) {
  const r = await conn.request('initialize', INIT.params, 0);
  conn.notify('notifications/initialized');
  return r;
}

export function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, mem_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
}

export function printTable(title, rows, baselineName) {
  const base = rows.find((r) => r.name === baselineName);
  console.log(`\n${title}`);
  const cols = ['name', 'n', 'per_s', 'p50_ms', 'p99_ms', 'peak_rss_mb', 'ratio_p50'];
  const withRatio = rows.map((r) => ({ ...r, ratio_p50: base ? +(r.p50_ms / base.p50_ms).toFixed(2) : '' }));
  const widths = cols.map((c) => Math.max(c.length, ...withRatio.map((r) => String(r[c] ?? '').length)));
  console.log(cols.map((c, i) => c.padEnd(widths[i])).join('  '));
  for (const r of withRatio) console.log(cols.map((c, i) => String(r[c] ?? '').padEnd(widths[i])).join('  '));
  return withRatio;
}

export function saveResult(scenario, data) {
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const file = path.join(ROOT, 'bench', 'results', `${scenario}.json`);
  writeFileSync(file, `${JSON.stringify({ scenario, machine: machine(), ...data }, null, 2)}\n`);
  console.log(`\nsaved ${path.relative(process.cwd(), file)}`);
}
