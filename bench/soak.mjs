// Soak: SOAK_CLIENTS concurrent HTTP clients (default 200) call every support tool for
// SOAK_SECONDS (default 60) against a support-mcp server this script starts (stateless
// Streamable HTTP; Postgres when DATABASE_URL is set, in a fresh database it creates there and
// drops afterwards, else the in-memory fixtures). It counts answers by HTTP status and by tool
// outcome, reports calls/s, p50 and p99, and then checks that no acknowledged write was lost.
//
// Exit 1 on any 5xx, any lost write, any network failure, any unexpected tool outcome
// (INTERNAL_ERROR, DATABASE_ERROR, RATE_LIMITED, AUTH_REQUIRED) or a server that crashed or
// did not stop cleanly. The last line is the summary:
//   SOAK PASS calls=… calls_per_s=… p50_ms=… p99_ms=… http_5xx=0 lost_writes=0 unexpected=0
//
// Other knobs: SOAK_POOL (Postgres pool size, default the server's 10), SOAK_KEEP_DB=1 (keep
// the soak database for inspection).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CLI, MCP_HEADERS, ROOT, parseAnswer, percentile, withDatabase } from './lib.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 200);
const DATABASE_URL = process.env.DATABASE_URL ?? '';
if (!(SECONDS > 0) || !(CLIENTS >= 1)) {
  console.error('SOAK_SECONDS and SOAK_CLIENTS must be positive numbers');
  process.exit(2);
}
// These flags make the soak measure the server itself: without them the support profile's
// defaults (identity verification first, 10 calls/min per conversation, 600 HTTP requests/min
// per client address) would refuse most of this load by design.
const POLICY_FLAGS = ['--access', 'open', '--limits', 'off', '--rate-limit', '1000000'];
const UNEXPECTED_CODES = new Set(['INTERNAL_ERROR', 'DATABASE_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED']);

const fixture = (name) => JSON.parse(readFileSync(path.join(ROOT, 'fixtures', `${name}.json`), 'utf8'));
const CUSTOMERS = fixture('customers');
const ORDERS = fixture('orders');
const SUBSCRIBERS = [...new Set(fixture('subscriptions').map((s) => s.customer_id))];
const BILLED = fixture('billing_accounts').map((b) => b.customer_id);
const FIXTURE_TICKETS = fixture('tickets').map((t) => t.id);
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// ---------------------------------------------------------------- database and server

async function adminQuery(url, text) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function startServer(args) {
  const child = spawn(process.execPath, [CLI, '--transport', 'http', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tail = [];
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let buf = '';
    let ready = false;
    child.stderr.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        tail.push(line);
        if (tail.length > 50) tail.shift(); // every call logs a line: keep only the last few
        if (ready) continue;
        try {
          const m = JSON.parse(line);
          if (m.msg === 'support-mcp ready' && m.port) {
            ready = true;
            resolve({ child, exited, tail, url: `http://127.0.0.1:${m.port}/mcp` });
          }
        } catch {}
      }
    });
    exited.then(({ code, signal }) => {
      if (!ready) reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${tail.join('\n')}`));
    });
  });
}

// ---------------------------------------------------------------- one call

/** One stateless tools/call: { status, outcome: 'ok' | CODE | 'http_<status>' | 'network', data, ms }. */
async function call(url, name, args) {
  const t0 = performance.now();
  try {
    const r = await fetch(url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    const ms = performance.now() - t0;
    if (r.status !== 200) return { status: r.status, outcome: `http_${r.status}`, ms };
    const json = parseAnswer(r.headers.get('content-type'), text); // JSON, or an SSE body
    if (json.error) return { status: 200, outcome: `rpc_${json.error.code}`, ms };
    const result = json.result;
    if (result.isError) {
      let code = 'UNPARSED';
      try {
        code = JSON.parse(result.content[0].text).error.code;
      } catch {}
      return { status: 200, outcome: code, ms };
    }
    return { status: 200, outcome: 'ok', data: result.structuredContent, ms };
  } catch (err) {
    return { status: 0, outcome: 'network', error: err?.cause?.code ?? err?.name ?? String(err), ms: performance.now() - t0 };
  }
}

// ---------------------------------------------------------------- the mix

let counter = 0;
const unique = () => `${process.pid}x${(counter++).toString(36)}`;
const MIX = [
  [18, () => ['find_customer', Math.random() < 0.8 ? { customer_id: pick(CUSTOMERS).id } : { email: pick(CUSTOMERS).email }]],
  [14, () => ['get_order', { order_id: pick(ORDERS).id }]],
  [10, () => ['list_orders', { customer_id: pick(CUSTOMERS).id, limit: 5 }]],
  [8, () => ['get_subscription', { customer_id: pick(SUBSCRIBERS) }]],
  [8, () => ['get_billing', { customer_id: pick(BILLED), payments_limit: 3 }]],
  [5, () => ['get_ticket', { ticket_id: pick(FIXTURE_TICKETS) }]],
  [15, () => {
    const key = `soak-${unique()}`;
    return ['create_ticket', { customer_id: pick(CUSTOMERS).id, category: 'technical', description: `soak ticket ${key}`, idempotency_key: key }];
  }],
  [6, () => ['cancel_order', { order_id: pick(ORDERS).id }]],
  [10, () => ['update_contact', { customer_id: pick(CUSTOMERS).id, email: `soak-${unique()}@example.com` }]],
  [6, () => ['verify_identity', { customer_id: pick(CUSTOMERS).id, method: 'kba' }]],
];
const TOTAL_WEIGHT = MIX.reduce((a, [w]) => a + w, 0);
function nextCall() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [w, make] of MIX) {
    if ((r -= w) < 0) return make();
  }
  return MIX[0][1]();
}

// ---------------------------------------------------------------- main

let dbUrl = '';
let dropDb = async () => {};
if (DATABASE_URL) {
  const name = `support_mcp_soak_${Date.now().toString(36)}_${process.pid}`;
  await adminQuery(DATABASE_URL, `create database "${name}"`);
  dbUrl = withDatabase(DATABASE_URL, name);
  dropDb = async () => {
    if (process.env.SOAK_KEEP_DB) return console.log(`kept database ${dbUrl}`);
    await adminQuery(DATABASE_URL, `drop database if exists "${name}" with (force)`);
  };
  const seeded = await runCli(['db', 'seed', '--database-url', dbUrl]);
  if (seeded.code !== 0) {
    await dropDb();
    console.error(seeded.stderr);
    process.exit(1);
  }
}

let exitCode = 1;
let server;
try {
  const backendArgs = dbUrl ? ['--database-url', dbUrl, ...(process.env.SOAK_POOL ? ['--db-pool-size', process.env.SOAK_POOL] : [])] : ['--fixtures'];
  server = await startServer([...backendArgs, ...POLICY_FLAGS]);
  console.log(`soak: ${CLIENTS} clients for ${SECONDS} s against ${dbUrl ? 'Postgres (fresh database on DATABASE_URL)' : 'fixtures (in memory)'}, stateless Streamable HTTP`);
  console.log(`soak: server flags ${POLICY_FLAGS.join(' ')}: HTTP rate limit raised, tool-call limits off, open access (no identity verification), so this measures the server, not the policy`);

  const byStatus = new Map();
  const byTool = new Map(); // tool → Map(outcome → n)
  const samples = [];
  const ackedTickets = new Map(); // id → customer
  const ackedCancels = new Set();
  const ackedEmails = new Map(); // customer → Set(email) acknowledged by update_contact
  const networkErrors = new Map();
  let serverDied = false;
  server.exited.then(() => (serverDied = true));

  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let completed = 0;
  const progress = setInterval(() => console.log(`soak: ${Math.round((performance.now() - started) / 1000)} s, ${completed} calls`), 10_000);
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline && !serverDied) {
      const [tool, args] = nextCall();
      const r = await call(server.url, tool, args);
      completed++;
      samples.push(r.ms);
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const outcomes = byTool.get(tool) ?? new Map();
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      byTool.set(tool, outcomes);
      if (r.outcome === 'network') networkErrors.set(r.error, (networkErrors.get(r.error) ?? 0) + 1);
      if (r.outcome !== 'ok') continue;
      if (tool === 'create_ticket') ackedTickets.set(r.data.ticket.id, args.customer_id);
      else if (tool === 'cancel_order') ackedCancels.add(args.order_id);
      else if (tool === 'update_contact') {
        const set = ackedEmails.get(args.customer_id) ?? new Set();
        set.add(args.email.toLowerCase());
        ackedEmails.set(args.customer_id, set);
      }
    }
  }));
  clearInterval(progress);
  const wallS = (performance.now() - started) / 1000;

  // ---- lost writes: every acknowledged write is visible afterwards
  const lost = [];
  if (dbUrl) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const ids = [...ackedTickets.keys()];
      const { rows } = await c.query('select id, customer_id from tickets where id = any($1)', [ids]);
      const found = new Map(rows.map((t) => [t.id, t.customer_id]));
      for (const [id, customer] of ackedTickets) if (found.get(id) !== customer) lost.push(`ticket ${id}`);
      const orders = await c.query('select id, status from orders where id = any($1)', [[...ackedCancels]]);
      const status = new Map(orders.rows.map((o) => [o.id, o.status]));
      for (const id of ackedCancels) if (status.get(id) !== 'cancelled') lost.push(`cancel of order ${id}`);
      const customers = await c.query('select id, lower(email) as email from customers where id = any($1)', [[...ackedEmails.keys()]]);
      for (const row of customers.rows) if (!ackedEmails.get(row.id).has(row.email)) lost.push(`contact update of ${row.id}`);
    } finally {
      await c.end();
    }
  } else {
    // Through the tools (the in-memory store lives in the server process), 20 at a time.
    const checks = [
      ...[...ackedTickets].map(([id, customer]) => async () => {
        const r = await call(server.url, 'get_ticket', { ticket_id: id });
        if (r.outcome !== 'ok' || r.data.ticket.customer_id !== customer) lost.push(`ticket ${id}`);
      }),
      ...[...ackedCancels].map((id) => async () => {
        const r = await call(server.url, 'get_order', { order_id: id });
        if (r.outcome !== 'ok' || r.data.order.status !== 'cancelled') lost.push(`cancel of order ${id}`);
      }),
      ...[...ackedEmails].map(([id, emails]) => async () => {
        const r = await call(server.url, 'find_customer', { customer_id: id });
        if (r.outcome !== 'ok' || !emails.has(String(r.data.customer.email).toLowerCase())) lost.push(`contact update of ${id}`);
      }),
    ];
    let i = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (i < checks.length) await checks[i++]();
    }));
  }

  // ---- the server must still be up, and stop cleanly
  const aliveAtEnd = !serverDied;
  server.child.kill('SIGTERM');
  const stopped = await server.exited;

  // ---- report
  const sorted = samples.sort((a, b) => a - b);
  const p50 = sorted.length ? percentile(sorted, 50) : 0;
  const p99 = sorted.length ? percentile(sorted, 99) : 0;
  const http5xx = [...byStatus].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  let unexpected = 0;
  console.log('\nHTTP status   calls');
  for (const [s, n] of [...byStatus].sort((a, b) => a[0] - b[0])) console.log(`${String(s === 0 ? 'network' : s).padEnd(13)} ${n}`);
  console.log('\ntool              outcomes');
  for (const [tool, outcomes] of [...byTool].sort()) {
    const parts = [...outcomes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o}=${n}`);
    console.log(`${tool.padEnd(17)} ${parts.join(' ')}`);
    for (const [o, n] of outcomes) {
      if (UNEXPECTED_CODES.has(o) || o.startsWith('rpc_') || o === 'UNPARSED' || (o.startsWith('http_') && !o.startsWith('http_5'))) unexpected += n;
    }
  }
  const network = [...networkErrors.values()].reduce((a, b) => a + b, 0);
  if (network) console.log(`\nnetwork failures: ${[...networkErrors].map(([e, n]) => `${e}=${n}`).join(' ')}`);
  console.log(`\nacknowledged writes: tickets=${ackedTickets.size} cancels=${ackedCancels.size} contact_updates=${[...ackedEmails.values()].reduce((a, s) => a + s.size, 0)}; lost=${lost.length}`);
  if (lost.length) console.log(`lost: ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? ', …' : ''}`);
  if (!aliveAtEnd) console.log(`server died during the soak; last log lines:\n${server.tail.join('\n')}`);
  if (stopped.code !== 0) console.log(`server did not stop cleanly on SIGTERM (${stopped.code ?? stopped.signal})`);

  const ok = http5xx === 0 && lost.length === 0 && unexpected === 0 && network === 0 && aliveAtEnd && stopped.code === 0;
  exitCode = ok ? 0 : 1;
  console.log(`\nSOAK ${ok ? 'PASS' : 'FAIL'} calls=${completed} calls_per_s=${(completed / wallS).toFixed(1)} p50_ms=${p50.toFixed(1)} p99_ms=${p99.toFixed(1)} http_5xx=${http5xx} lost_writes=${lost.length} unexpected=${unexpected + network}`);
} catch (err) {
  console.error(`soak: ${err?.stack ?? err}`);
  if (server?.tail) console.error(server.tail.join('\n'));
  console.log('SOAK FAIL error');
} finally {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await dropDb().catch((err) => console.error(`soak: could not drop the soak database: ${err.message}`));
}
process.exit(exitCode);
