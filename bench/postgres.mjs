// Postgres-backed lookups (get_order, find_customer) at 1, 8, 32 and 128 concurrent clients
// (BENCH_CONCURRENCY), every row answering the same lookup on the same database:
//   raw pg            — the same queries straight through pg.Pool(10) in this process (the limit);
//                       every pool here has 10 connections (3 in smoke runs; server-postgres: 10)
//   server-postgres   — @modelcontextprotocol/server-postgres 0.6.2 over stdio: its `query` tool
//                       takes SQL text only, so the id is inlined as a literal; it wraps each
//                       query in BEGIN READ ONLY … ROLLBACK;
//   naive SDK         — a fresh McpServer per request with the same queries (what users write);
//   support-mcp       — Streamable HTTP (stateless and stateful) and stdio (one pipe, requests
//                       in flight).
//   support-mcp, default policy — stdio and HTTP stateless with --access verified and the rate
//                       limits on (bench/policy.mjs), looking up customers verified once in
//                       the conversation: what a deployment pays for the policy layer.
// Then writes: create_ticket (a new idempotency key per call, --access open --limits off) at
// BENCH_WRITE_CONCURRENCY (16) in flight over stdio and HTTP stateless, against raw pg running
// the same transaction (BEGIN; insert the ticket; insert its audit row; COMMIT) on its pool.
// Server CPU ms per call comes from /proc/<pid>/stat (this process's CPU for raw pg).
// Needs DATABASE_URL of a seeded database; without it prints a skip line. In smoke mode
// (BENCH_SMOKE=1) an empty database is migrated and seeded with the bundled fixtures.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { lookupSet, POLICY_DEFAULT, POLICY_OFF } from './policy.mjs';
import {
  BARE, CLI, DB_POOL_SIZE, ROOT, Meter, ensureSeeded, envInt, envList, httpCall, httpClient, initHttpSession, initialize,
  pick, printTable, runLoad, sampleIds, saveResult, skip, spawnStdio, startHttp, stdioCall, stop,
} from './lib.mjs';

const URL_ = process.env.DATABASE_URL;
if (!URL_) skip('postgres', 'DATABASE_URL is not set (see bench/README.md)');
const SERVER_PG = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-postgres', 'dist', 'index.js');
if (!existsSync(SERVER_PG)) {
  console.error('@modelcontextprotocol/server-postgres is not installed: npm install (it is a devDependency)');
  process.exit(2);
}
const N = envInt('BENCH_N', 4000, 40);
const WARMUP = envInt('BENCH_WARMUP', 300, 10);
const LEVELS = envList('BENCH_CONCURRENCY', '1,8,32,128');
const NAIVE = path.join(path.dirname(BARE), 'naive-pg-http-server.mjs');
const ORDER_SQL = `select o.*, coalesce((select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price) order by i.line_no) from order_items i where i.order_id = o.id), '[]') as items from orders o where o.id = $1`;
const CUSTOMER_SQL = 'select * from customers where id = $1';

await ensureSeeded(URL_);
// Ids to look up: sampled from the database so the bench works on any seeded set.
const { orderIds, customerIds } = await sampleIds(URL_);
// server-postgres takes SQL text only: ids go in as literals, so they must be plain.
const SAFE_ID = /^[A-Z0-9-]+$/;
for (const id of [...orderIds, ...customerIds]) {
  if (!SAFE_ID.test(id)) throw new Error(`id ${JSON.stringify(id)} is not [A-Z0-9-]: cannot inline it into SQL for server-postgres`);
}
const inline = (sql, id) => sql.replace('$1', `'${id}'`);

const pool = new pg.Pool({ connectionString: URL_, max: DB_POOL_SIZE });
const WRITE_C = envInt('BENCH_WRITE_CONCURRENCY', 16, 4);
const common = ['--log-level', 'info', '--db-pool-size', String(DB_POOL_SIZE)];
const supportArgs = [...common, ...POLICY_OFF];
const httpBase = [CLI, '--transport', 'http', '--port', '0', '--rate-limit', '1000000'];
const httpArgs = [...httpBase, ...supportArgs];
const env = { DATABASE_URL: URL_, DATABASE_POOL_SIZE: String(DB_POOL_SIZE) }; // the naive baseline reads the pool size too
const [naive, stateless, stateful, statelessPolicy] = await Promise.all([
  startHttp([NAIVE], env), startHttp(httpArgs, env), startHttp([...httpArgs, '--stateful'], env), startHttp([...httpBase, ...common, ...POLICY_DEFAULT], env),
]);
const stdio = spawnStdio([CLI, ...supportArgs], env);
const stdioPolicy = spawnStdio([CLI, ...common, ...POLICY_DEFAULT], env);
const serverPg = spawnStdio([SERVER_PG, URL_]);
await Promise.all([initialize(stdio), initialize(stdioPolicy), initialize(serverPg)]);
const clients = {
  naive: httpClient(naive.url), stateless: httpClient(stateless.url), stateful: httpClient(stateful.url), statelessPolicy: httpClient(statelessPolicy.url),
};
const session = { 'mcp-session-id': await initHttpSession(clients.stateful) };
// The default-policy servers look up customers verified once in their conversation.
const verified = {
  stdio: await lookupSet('default', URL_, (tool, a) => stdioCall(stdioPolicy, tool, a)),
  http: await lookupSet('default', URL_, (tool, a) => httpCall(clients.statelessPolicy, tool, a)),
};
const verifiedIds = { get_order: 'orderIds', find_customer: 'customerIds' };

const results = {};
try {
  for (const [tool, sql, ids, argName] of [['get_order', ORDER_SQL, orderIds, 'order_id'], ['find_customer', CUSTOMER_SQL, customerIds, 'customer_id']]) {
    for (const c of LEVELS) {
      const variants = [
        ['raw pg (same query)', 'self', async (i) => { await pool.query(sql, [pick(ids, i)]); }],
        ['server-postgres (stdio, SQL text)', serverPg.child.pid, (i) => stdioCall(serverPg, 'query', { sql: inline(sql, pick(ids, i)) })],
        ['naive SDK server (http)', naive.child.pid, (i) => httpCall(clients.naive, tool, { [argName]: pick(ids, i) })],
        ['support-mcp http stateless', stateless.child.pid, (i) => httpCall(clients.stateless, tool, { [argName]: pick(ids, i) })],
        ['support-mcp http stateful', stateful.child.pid, (i) => httpCall(clients.stateful, tool, { [argName]: pick(ids, i) }, session)],
        ['support-mcp stdio', stdio.child.pid, (i) => stdioCall(stdio, tool, { [argName]: pick(ids, i) })],
        ['support-mcp http stateless, default policy', statelessPolicy.child.pid, (i) => httpCall(clients.statelessPolicy, tool, {
          [argName]: pick(verified.http[verifiedIds[tool]], i), ...verified.http.extra,
        })],
        ['support-mcp stdio, default policy', stdioPolicy.child.pid, (i) => stdioCall(stdioPolicy, tool, { [argName]: pick(verified.stdio[verifiedIds[tool]], i) })],
      ];
      const rows = [];
      for (const [name, pid, one] of variants) {
        await runLoad(c, WARMUP, one);
        const m = new Meter(name, pid);
        await m.block(c, N, one);
        rows.push(m.row());
      }
      const table = printTable(`postgres: ${tool}, ${c} concurrent client(s), ${N} calls per row`, rows, 'raw pg (same query)');
      const by = (name) => table.find((r) => r.name === name).per_s;
      for (const r of table) {
        r.vs_raw_pg = r.ratio_per_s;
        r.vs_server_postgres = +(r.per_s / by('server-postgres (stdio, SQL text)')).toFixed(2);
        r.vs_naive = +(r.per_s / by('naive SDK server (http)')).toFixed(2);
      }
      for (const [on, off] of [['support-mcp http stateless, default policy', 'support-mcp http stateless'], ['support-mcp stdio, default policy', 'support-mcp stdio']]) {
        const r = table.find((x) => x.name === on);
        const o = table.find((x) => x.name === off);
        r.policy_cost = +(o.per_s / r.per_s).toFixed(2); // throughput off / on: 1.3 means 30 % slower with the policy on
      }
      console.log(table.slice(1).map((r) => `  ${r.name}: ${r.vs_raw_pg}x raw pg, ${r.vs_server_postgres}x server-postgres, ${r.vs_naive}x naive (throughput); server CPU ${r.cpu_ms_per_call ?? '?'} ms/call${r.policy_cost ? `; policy off/on ${r.policy_cost}x` : ''}`).join('\n'));
      results[`${tool}_c${c}`] = table;
    }
  }
  results[`create_ticket_c${WRITE_C}`] = await writes();
} finally {
  for (const c of Object.values(clients)) c.close();
  await Promise.all([
    stop(naive.child), stop(stateless.child), stop(stateful.child), stop(statelessPolicy.child), stdio.close(), stdioPolicy.close(), serverPg.close(),
  ]);
  await pool.end();
}
saveResult('postgres', { n: N, warmup: WARMUP, write_concurrency: WRITE_C, ...results });

/**
 * create_ticket at WRITE_C in flight: every call a new ticket (a new idempotency key) for one
 * of the sampled customers, against raw pg committing the same two inserts in a transaction.
 */
async function writes() {
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const RAW_TICKET = `insert into tickets (id, number, customer_id, category, priority, description, conversation_id, idempotency_key, status, request_hash, created_at, updated_at)
    values ($1, $1, $2, 'other', 'medium', $3, $4, $5, 'open', $6, now(), now())`;
  const RAW_AUDIT = `insert into audit_log (at, conversation_id, tool, customer_id, outcome, error_code, duration_ms, args, principal)
    values (now(), $1, 'create_ticket', $2, 'ok', null, 1, $3, 'bench')`;
  const description = 'Parcel arrived damaged; the customer asks for a replacement (bench).';
  const ticketArgs = (tag, i) => ({ customer_id: pick(customerIds, i), category: 'other', description, idempotency_key: `bench-${run}-${tag}-${i}` });
  const variants = [
    ['raw pg (BEGIN; 2 inserts; COMMIT)', 'self', async (i) => {
      const key = `bench-${run}-raw-${i}`;
      const c = await pool.connect();
      try {
        await c.query('begin');
        await c.query(RAW_TICKET, [`TKT-B${run}-${i}`.toUpperCase(), pick(customerIds, i), description, 'bench', key, createHash('sha256').update(key).digest('hex')]);
        await c.query(RAW_AUDIT, ['bench', pick(customerIds, i), JSON.stringify({ category: 'other', idempotency_key: key })]);
        await c.query('commit');
      } catch (err) {
        await c.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    }],
    ['support-mcp http stateless', stateless.child.pid, (i) => httpCall(clients.stateless, 'create_ticket', ticketArgs('h', i))],
    ['support-mcp stdio', stdio.child.pid, (i) => stdioCall(stdio, 'create_ticket', ticketArgs('s', i))],
  ];
  const rows = [];
  for (const [name, pid, one] of variants) {
    await runLoad(WRITE_C, Math.min(WARMUP, 200), (i) => one(1_000_000 + i));
    const m = new Meter(name, pid);
    await m.block(WRITE_C, N, one);
    rows.push(m.row());
  }
  const table = printTable(`postgres: create_ticket (new ticket + audit row), ${WRITE_C} in flight, ${N} calls per row`, rows, 'raw pg (BEGIN; 2 inserts; COMMIT)');
  console.log(table.slice(1).map((r) => `  ${r.name}: ${r.ratio_per_s}x raw pg's transactions (throughput); server CPU ${r.cpu_ms_per_call ?? '?'} ms/call`).join('\n'));
  return table;
}
