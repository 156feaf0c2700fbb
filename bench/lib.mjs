// Shared helpers for the benchmark scenarios: spawning stdio and HTTP servers, a minimal
// newline-JSON client, a keep-alive HTTP client, load runs with per-process CPU accounting,
// percentiles, RSS sampling, the result table, and Postgres provisioning.
//
// Environment (every scenario):
//   BENCH_SMOKE=1          tiny N everywhere (a few hundred calls, a couple of spawns), for
//                          test/bench/smoke.test.ts; numbers are meaningless, nothing is skipped
//   BENCH_RESULTS_DIR=DIR  where saveResult writes (default bench/results/)
//   BENCH_CLIENT=fetch     HTTP scenarios use fetch (undici) instead of the node:http client
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const BARE = path.join(ROOT, 'bench', 'baselines', 'bare-stdio-server.mjs');
export const BARE_HTTP = path.join(ROOT, 'bench', 'baselines', 'bare-http-server.mjs');

export const SMOKE = /^(1|true|yes)$/i.test(process.env.BENCH_SMOKE ?? '');

/**
 * BENCH_PIN=1: the load generator (this process, and the in-process raw pg baseline) runs on
 * the last CPU and every server under test on CPU 0 (taskset), Postgres where the kernel puts
 * it: roughly what separate client and server machines would see on a machine this small.
 */
export const PIN = /^(1|true|yes)$/i.test(process.env.BENCH_PIN ?? '');
const CPUS = os.availableParallelism?.() ?? os.cpus().length;
if (PIN) {
  if (CPUS < 2) throw new Error('BENCH_PIN needs at least 2 CPUs');
  execFileSync('taskset', ['-cp', String(CPUS - 1), String(process.pid)], { stdio: 'ignore' });
}
/** How a server process is started: node directly, or under taskset on CPU 0 (BENCH_PIN). */
export const serverCommand = (args) => (PIN ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args]);

/**
 * Postgres connections per pool (support-mcp --db-pool-size, the raw pg and naive baselines):
 * 10, the default everywhere; 3 in smoke runs, which share the server with parallel tests.
 */
export const DB_POOL_SIZE = SMOKE ? 3 : 10;

/** A count from the environment (explicit override), else the smoke or the full default. */
export function envInt(name, full, smoke) {
  const raw = process.env[name];
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
    return n;
  }
  return SMOKE ? smoke : full;
}

/** A comma-separated list of integers from the environment, else the default. */
export function envList(name, fallback) {
  return (process.env[name] ?? fallback).split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

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

const procStatus = (pid, field) => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/** Peak resident set (VmHWM) of a live process, in MB; null where /proc is unavailable. */
export function peakRssMb(pid) {
  const mb = procStatus(pid, 'VmHWM');
  return mb === null ? null : Math.round(mb);
}

/** Current resident set (VmRSS) of a live process, in MB (one decimal); null without /proc. */
export function rssMb(pid) {
  const mb = procStatus(pid, 'VmRSS');
  return mb === null ? null : +mb.toFixed(1);
}

let clkTck;
/** Clock ticks per second for /proc/<pid>/stat (asked once; 100 on Linux). */
function clockTicks() {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/**
 * CPU time (user + system, all threads) a live process has used so far, in ms, from
 * /proc/<pid>/stat; null where /proc is unavailable. Resolution is one clock tick (10 ms):
 * read it before and after a run of thousands of calls, not around one call.
 */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks();
  } catch {
    return null;
  }
}

/** CPU time this process has used so far, in ms (for in-process baselines such as raw pg). */
export function selfCpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A stdio MCP child driven by raw newline-delimited JSON (no SDK client overhead). */
export function spawnStdio(args, env = {}) {
  const [command, argv] = serverCommand(args); // taskset execs node: the pid stays the server's
  const child = spawn(command, argv, {
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
    /** Ends stdin (the stdio way to stop a server); SIGTERM if it is still up after 3 s. */
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function initialize(conn) {
  const r = await conn.request('initialize', INIT.params, 0);
  conn.notify('notifications/initialized');
  return r;
}

/** One `tools/call` over a spawnStdio connection; throws on a JSON-RPC or tool error. */
export async function stdioCall(conn, name, args) {
  const r = await conn.request('tools/call', { name, arguments: args });
  if (r.error || r.result?.isError) throw new Error(`${name}: ${JSON.stringify(r).slice(0, 300)}`);
  return r;
}

/**
 * Starts an HTTP server process (support-mcp --transport http --port 0, or a baseline) and
 * resolves once it logs `support-mcp ready` with its port on stderr. stderr keeps draining.
 */
export function startHttp(args, env = {}) {
  const [command, argv] = serverCommand(args);
  const child = spawn(command, argv, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
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
    child.on('exit', (c) => {
      if (!ready) reject(new Error(`${path.basename(args[0])} exited ${c} before it was ready: ${buf.slice(0, 2000)}`));
    });
    // Readiness is the info-level 'support-mcp ready' line: --log-level above info never shows it.
    setTimeout(() => {
      if (ready) return;
      child.kill('SIGTERM');
      reject(new Error(`${path.basename(args[0])} did not log 'support-mcp ready' within 30 s (log level info needed): ${buf.slice(0, 2000)}`));
    }, 30_000).unref();
  });
}

/** Stops a child process and waits for it to exit. */
export async function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

const REQUEST_TIMEOUT_MS = 60_000;
export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

/**
 * The JSON-RPC answer in a Streamable HTTP response body: JSON, or SSE whose `data:` lines
 * carry the message(s). Returns the message (or the array of a batch), null for an empty body.
 */
export function parseAnswer(contentType, text) {
  if (!text) return null;
  if (!String(contentType ?? '').includes('text/event-stream')) return JSON.parse(text);
  const messages = [];
  let data = [];
  for (const line of `${text}\n`.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.startsWith('data:')) data.push(l.slice(l[5] === ' ' ? 6 : 5));
    else if (l === '' && data.length) {
      messages.push(JSON.parse(data.join('\n')));
      data = [];
    }
  }
  const answers = messages.filter((m) => m && ('result' in m || 'error' in m));
  return answers.length === 1 ? answers[0] : answers.length ? answers : (messages.at(-1) ?? null);
}

/**
 * A JSON POST client for one Streamable HTTP endpoint. Default: node:http with a keep-alive
 * Agent (fetch/undici costs ~0.5–0.7 ms of client CPU per call on a small box, CPU that the
 * servers under test then lack); BENCH_CLIENT=fetch switches to fetch for comparison.
 * post(message, headers) → { status, headers, text, message }.
 */
export function httpClient(url, { maxSockets = 1024, client = process.env.BENCH_CLIENT ?? 'http' } = {}) {
  if (client === 'fetch') {
    return {
      kind: 'fetch',
      async post(body, headers = {}) {
        const r = await fetch(url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const text = await r.text();
        const h = Object.fromEntries(r.headers);
        return { status: r.status, headers: h, text, message: parseAnswer(h['content-type'], text) };
      },
      close() {},
    };
  }
  if (client !== 'http') throw new Error(`BENCH_CLIENT must be http or fetch, got '${client}'`);
  const u = new URL(url);
  // Free sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them.
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 4000, scheduling: 'lifo' });
  const once = (text, headers) => new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { ...MCP_HEADERS, ...headers, 'content-length': Buffer.byteLength(text) },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, headers: res.headers, text: body, message: parseAnswer(res.headers['content-type'], body) });
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    // A lost answer fails the run instead of hanging it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer from ${url} within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => {
      err.reusedSocket = req.reusedSocket;
      reject(err);
    });
    req.end(text);
  });
  return {
    kind: 'http',
    async post(body, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      try {
        return await once(text, headers);
      } catch (err) {
        // A kept-alive socket the server closed just as it was reused: retry once (Node docs).
        if (err.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return once(text, headers);
        throw err;
      }
    },
    close() {
      agent.destroy();
    },
  };
}

/** initialize + notifications/initialized on a stateful endpoint; returns the session id. */
export async function initHttpSession(client) {
  const r = await client.post(INIT);
  if (r.status !== 200) throw new Error(`initialize: ${r.status} ${r.text.slice(0, 200)}`);
  const sid = r.headers['mcp-session-id'];
  if (!sid) throw new Error('initialize: no mcp-session-id header');
  const n = await client.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sid });
  if (n.status !== 202) throw new Error(`notifications/initialized: ${n.status} ${n.text.slice(0, 200)}`);
  return sid;
}

/** One `tools/call` over HTTP; throws on a non-200 status, a JSON-RPC error or a tool error. */
export async function httpCall(client, name, args, headers = {}) {
  // Ids unique per client: a stateful session routes each answer to its POST by request id.
  const id = (client.lastId = (client.lastId ?? 0) + 1);
  const r = await client.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }, headers);
  if (r.status !== 200 || !r.message || r.message.error || r.message.result?.isError) {
    throw new Error(`${name}: ${r.status} ${r.text.slice(0, 300)}`);
  }
  return r.message;
}

/** `n` calls of `one(i)` with `concurrency` in flight; per-call latencies and wall time. */
export async function runLoad(concurrency, n, one) {
  const samples = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      await one(i);
      samples.push(performance.now() - s);
    }
  }));
  return { samples, wallMs: performance.now() - t0 };
}

/**
 * Accumulates measured blocks for one row (so rows can be interleaved block by block and
 * drift hits all of them): latencies, wall time, and the CPU the server process (pid) — or
 * this process, for in-process baselines (pid 'self') — spent during the blocks.
 */
export class Meter {
  constructor(name, pid) {
    this.name = name;
    this.pid = pid;
    this.samples = [];
    this.wallMs = 0;
    this.cpu = 0;
    this.cpuKnown = pid !== null && pid !== undefined;
    this.offset = 0;
  }

  #cpu() {
    return this.pid === 'self' ? selfCpuMs() : cpuMs(this.pid);
  }

  /** Runs one measured block of n calls; `one(i)` gets a row-wide running index. */
  async block(concurrency, n, one) {
    const base = this.offset;
    this.offset += n;
    const c0 = this.cpuKnown ? this.#cpu() : null;
    const { samples, wallMs } = await runLoad(concurrency, n, (i) => one(base + i));
    const c1 = this.cpuKnown ? this.#cpu() : null;
    if (c0 === null || c1 === null) this.cpuKnown = false;
    else this.cpu += c1 - c0;
    for (const s of samples) this.samples.push(s);
    this.wallMs += wallMs;
  }

  /** The row: throughput from wall time (not the sum of latencies), p50, p99, CPU/call. */
  row(extra = {}) {
    const r = summarize(this.name, this.samples);
    r.per_s = +((this.samples.length / this.wallMs) * 1000).toFixed(1);
    const rss = this.pid && this.pid !== 'self' ? peakRssMb(this.pid) : null;
    return {
      ...r,
      peak_rss_mb: rss,
      cpu_ms_per_call: this.cpuKnown && this.samples.length ? +(this.cpu / this.samples.length).toFixed(3) : null,
      ...extra,
    };
  }
}

/** Warm-up, then one measured run: a row. pid: the server's process id, 'self', or null. */
export async function measure(name, { pid = null, concurrency = 1, n, warmup = 0, one }) {
  if (warmup > 0) await runLoad(concurrency, warmup, one);
  const m = new Meter(name, pid);
  await m.block(concurrency, n, one);
  return m.row();
}

export function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, mem_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), smoke: SMOKE, pinned: PIN };
}

const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? +(a / b).toFixed(2) : '');

/**
 * Prints a table (one line per row) and returns the rows with ratios against the baseline
 * row: ratio_per_s (throughput), ratio_p50, ratio_p99, ratio_cpu. cpu_ms_per_call is shown
 * when any row has it; `extraCols` adds scenario-specific columns.
 */
export function printTable(title, rows, baselineName, { extraCols = [] } = {}) {
  const base = rows.find((r) => r.name === baselineName);
  console.log(`\n${title}`);
  const withRatio = rows.map((r) => ({
    ...r,
    ratio_per_s: base ? ratio(r.per_s, base.per_s) : '',
    ratio_p50: base ? ratio(r.p50_ms, base.p50_ms) : '',
    ratio_p99: base ? ratio(r.p99_ms, base.p99_ms) : '',
    ...(rows.some((x) => typeof x.cpu_ms_per_call === 'number') ? { ratio_cpu: base ? ratio(r.cpu_ms_per_call, base.cpu_ms_per_call) : '' } : {}),
  }));
  const hasCpu = rows.some((r) => typeof r.cpu_ms_per_call === 'number');
  const cols = ['name', 'n', 'per_s', 'p50_ms', 'p99_ms', 'peak_rss_mb', ...(hasCpu ? ['cpu_ms_per_call'] : []), ...extraCols,
    ...(base ? ['ratio_per_s', 'ratio_p50', 'ratio_p99', ...(hasCpu ? ['ratio_cpu'] : [])] : [])];
  printGrid(cols, withRatio);
  return withRatio;
}

/** Prints rows as aligned columns (no title). */
export function printGrid(cols, rows) {
  const cell = (v) => (v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(cols.map((c, i) => c.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => cell(r[c]).padEnd(widths[i])).join('  '));
}

/** The directory results go to: BENCH_RESULTS_DIR, else bench/results/. */
export const resultsDir = () => path.resolve(process.env.BENCH_RESULTS_DIR || path.join(ROOT, 'bench', 'results'));

export function saveResult(scenario, data) {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  writeFileSync(file, `${JSON.stringify({ scenario, machine: machine(), ...data }, null, 2)}\n`);
  const rel = path.relative(process.cwd(), file);
  console.log(`\nsaved ${rel.startsWith('..') ? file : rel}`);
}

/** Prints the line a scenario shows when it cannot run here, then exits 0. */
export function skip(scenario, why) {
  console.log(`\n${scenario}: skipped — ${why}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------
// Postgres: seeding and provisioning for the database-backed scenarios.

/** Runs `node dist/cli.js ...args`; prints its stderr indented; throws on failure. */
export function runCli(args, { quiet = false } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`support-mcp ${args[0]} ${args[1] ?? ''} failed (${r.status}): ${out}`);
  if (!quiet && out) console.log(out.split('\n').map((l) => `    ${l}`).join('\n'));
  return out;
}

/** The URL with another database name. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const redact = (url) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/**
 * Runs fn while holding a Postgres advisory lock named `key`, taken in the `postgres`
 * database of the server (advisory locks are per database), so that two bench runs on one
 * server (parallel test runs) do not create or seed the same database at once.
 */
async function withServerLock(url, key, fn) {
  const { default: pg } = await import('pg');
  let c = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  try {
    await c.connect();
  } catch {
    c = new pg.Client({ connectionString: url });
    await c.connect();
  }
  try {
    await c.query('select pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    await c.end(); // releases the lock
  }
}

/** Row counts of a database's customers and orders; null when it is not migrated. */
export async function datasetCounts(url) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query("select to_regclass('public.orders') is not null and to_regclass('public.customers') is not null as ok");
    if (!rows[0].ok) return null;
    const r = await c.query('select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders');
    return r.rows[0];
  } finally {
    await c.end();
  }
}

/**
 * Makes sure the database behind `url` has orders to look up. Empty (or not migrated) and
 * `seed` true: migrates it and seeds the bundled fixtures (what smoke runs in CI need, where
 * DATABASE_URL is a fresh database); otherwise an empty database is an error.
 */
export async function ensureSeeded(url, { seed = SMOKE, label = 'DATABASE_URL' } = {}) {
  const counts = await datasetCounts(url);
  if (counts && counts.orders > 0) {
    // Smoke runs reuse their databases across builds: migrate them to this build's schema.
    if (seed) runCli(['db', 'migrate', '--database-url', url]);
    return counts;
  }
  if (!seed) {
    throw new Error(`${label} (${redact(url)}) has no orders: seed it first (node dist/cli.js db seed [DIR] --database-url URL; see bench/README.md)`);
  }
  return withServerLock(url, `support-mcp-bench:${new URL(url).pathname}`, () => seedFixtures(url, label));
}

async function seedFixtures(url, label) {
  const counts = await datasetCounts(url); // again, under the lock
  if (counts && counts.orders > 0) return counts;
  const t0 = performance.now();
  console.log(`  ${label} has no orders: migrating and seeding the bundled fixtures into ${redact(url)}`);
  runCli(['db', 'migrate', '--database-url', url]);
  runCli(['db', 'seed', '--database-url', url]);
  console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return datasetCounts(url);
}

/**
 * Makes sure database `name` on the server of `adminUrl` exists and holds a generated data
 * set of `customers` customers (10 orders each): creates the database, migrates it,
 * generates the data set into a temporary directory and seeds it. Prints each step and its
 * duration. Returns the database URL.
 */
export async function provisionDatabase(adminUrl, name, customers) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return withServerLock(adminUrl, `support-mcp-bench:provision:${name}`, () => provision(adminUrl, name, customers));
}

async function provision(adminUrl, name, customers) {
  const url = withDatabase(adminUrl, name);
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let exists;
  try {
    exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount > 0;
    if (!exists) {
      console.log(`  creating database ${name}`);
      await admin.query(`create database "${name}"`);
    }
  } finally {
    await admin.end();
  }
  const counts = exists ? await datasetCounts(url) : null;
  if (counts && counts.customers === customers && counts.orders > 0) {
    // A database the bench made with an older build: bring its schema up to this one (the
    // server refuses to start on pending migrations). Idempotent and quick when current.
    runCli(['db', 'migrate', '--database-url', url]);
    return url;
  }
  const t0 = performance.now();
  console.log(`  provisioning ${name} with ${customers.toLocaleString('en-US')} customers (${counts ? `had ${counts.customers} customers / ${counts.orders} orders` : 'empty'}):`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  try {
    let t = performance.now();
    runCli(['db', 'migrate', '--database-url', url]);
    console.log(`    migrate: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    runCli(['fixtures', 'generate', '--customers', String(customers), '--out', dir]);
    console.log(`    generate: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    runCli(['db', 'seed', dir, '--replace', '--database-url', url]);
    console.log(`    seed: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  ${name} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return url;
}

/**
 * Ids sampled from a seeded database, spread over the whole table (random order), so
 * lookups hit cold pages on a large data set as production traffic would.
 */
export async function sampleIds(url, { orders = 2000, customers = 2000 } = {}) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const sample = async (table, n) => {
    const est = Number((await c.query('select reltuples from pg_class where oid = $1::regclass', [table])).rows[0]?.reltuples ?? -1);
    // Large tables: a block sample of ~3n rows; small (or never analysed) ones: all rows.
    const from = est > 50 * n ? `${table} tablesample system (${((300 * n) / est).toFixed(4)})` : table;
    let ids = (await c.query(`select id from ${from} order by random() limit ${n}`)).rows.map((r) => r.id);
    if (ids.length < Math.min(n, 10)) ids = (await c.query(`select id from ${table} order by random() limit ${n}`)).rows.map((r) => r.id);
    if (ids.length === 0) throw new Error(`${table} is empty`);
    return ids;
  };
  try {
    return { orderIds: await sample('orders', orders), customerIds: await sample('customers', customers) };
  } finally {
    await c.end();
  }
}

/** Deterministic spread over an id list. */
export const pick = (a, i) => a[(i * 7919) % a.length];
