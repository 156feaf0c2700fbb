// 100 concurrent clients against the built CLI over Streamable HTTP (issue 7, reliability):
// the database decides races (one conditional UPDATE for a cancel, one insert arbiter per
// idempotency key), and the transport never hands one client's answer to another, even when
// every client uses the same JSON-RPC id (the stateless server shares one McpServer across
// requests: src/transports/multiplex.ts).
//
// Backend: a fresh database on DATABASE_URL when set (real row locking, as in CI), else
// embedded PGlite served over the wire protocol (one session: the races are serialised there,
// but the invariants must hold all the same).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer } from '../support/pglite.js';
import {
  callTool, connectClient, createTempDatabase, parseRpcBody, runCli, spawnServer, withPg, type Outcome, type ServerProcess,
} from './support.js';

const N = 100;
const DATABASE_URL = process.env.DATABASE_URL ?? '';
const OPEN = ['--access', 'open', '--limits', 'off', '--rate-limit', '1000000'];
/** Extra customers for the cross-talk case; letters around the number keep ids distinct and readable. */
const customerId = (i: number) => `REL-C${i}`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(`100 concurrent HTTP clients [${DATABASE_URL ? 'postgres' : 'pglite'}]`, () => {
  let url = '';
  let teardown: () => Promise<void> = async () => {};
  const servers: Record<'stateless' | 'stateful', ServerProcess | undefined> = { stateless: undefined, stateful: undefined };

  beforeAll(async () => {
    if (DATABASE_URL) {
      const db = await createTempDatabase(DATABASE_URL, 'support_mcp_concurrency');
      url = db.url;
      teardown = db.drop;
    } else {
      const pglite = await startPGliteServer({ maxConnections: 8 });
      url = pglite.connectionString;
      teardown = () => pglite.stop();
    }
    const seeded = await runCli(['db', 'seed', '--database-url', url]);
    expect(seeded.code, seeded.stderr).toBe(0);
    await withPg(url, (c) => c.query(
      `insert into customers (id, name, email, tier, kyc_status)
       select 'REL-C' || g, 'Reliability Customer ' || g, 'rel-c' || g || '@example.com', 'standard', 'verified'
       from generate_series(0, $1::int - 1) g`, [N]));
    // PGlite is one session: one connection per server there.
    const pool = DATABASE_URL ? '10' : '1';
    [servers.stateless, servers.stateful] = await Promise.all([
      spawnServer(['--database-url', url, '--db-pool-size', pool, ...OPEN]),
      spawnServer(['--database-url', url, '--db-pool-size', pool, '--stateful', ...OPEN]),
    ]);
  });

  afterAll(async () => {
    for (const s of Object.values(servers)) {
      if (s?.alive()) expect((await s.kill('SIGTERM')).code).toBe(0);
    }
    await teardown();
  });

  /** N connected SDK clients (stateful: N sessions); the calls are fired only once all are connected. */
  async function clients(mode: 'stateless' | 'stateful'): Promise<Client[]> {
    return Promise.all(Array.from({ length: N }, () => connectClient(servers[mode]!.url)));
  }
  const closeAll = (cs: Client[]) => Promise.all(cs.map((c) => c.close().catch(() => undefined)));
  const oks = (results: Outcome[]): Obj[] => {
    expect(results.filter((r) => r.kind !== 'ok'), 'every call answers ok').toEqual([]);
    return results.map((r) => (r as { data: Obj }).data);
  };

  for (const [mode, order, owner, ticketCustomer] of [
    ['stateless', '13579', '1213210', '3924156'],
    ['stateful', '19283', '5190753', '2837622'],
  ] as const) {
    describe(mode, () => {
      it(`(a) ${N} clients cancel the same processing order: exactly one changes it`, async () => {
        const before = await withPg(url, (c) => c.query('select status from orders where id = $1', [order]));
        expect(before.rows[0]?.status).toBe('processing');
        const cs = await clients(mode);
        try {
          const results = oks(await Promise.all(cs.map((c) => callTool(c, 'cancel_order', { order_id: order }))));
          // The tool is idempotent: the losers are told it was already cancelled (no error).
          expect(results.filter((r) => r.already_cancelled === false)).toHaveLength(1);
          expect(results.filter((r) => r.already_cancelled === true)).toHaveLength(N - 1);
          const { rows } = await withPg(url, (c) => c.query<{ status: string; cancelled_at: string }>(
            `select status, to_json(cancelled_at)#>>'{}' as cancelled_at from orders where id = $1`, [order]));
          expect(rows[0]!.status).toBe('cancelled');
          // One UPDATE won: every answer reports that one cancellation time.
          const reported = new Set(results.map((r) => Date.parse(r.order.cancelled_at)));
          expect([...reported]).toEqual([Date.parse(rows[0]!.cancelled_at)]);
          // One audit row per call, each committed with its call (order ids are redacted in
          // audit arguments, so the owner's id and the tool identify these calls).
          const audit = await withPg(url, (c) => c.query<{ outcome: string; conversation_id: string }>(
            `select outcome, conversation_id from audit_log where tool = 'cancel_order' and customer_id = $1`, [owner]));
          expect(audit.rows).toHaveLength(N);
          expect(audit.rows.every((r) => r.outcome === 'ok')).toBe(true);
          expect(new Set(audit.rows.map((r) => r.conversation_id)).size).toBe(N);
        } finally {
          await closeAll(cs);
        }
      });

      it(`(b) ${N} clients create the same ticket with the same idempotency key: one row, one id for all`, async () => {
        const key = `same-key-${mode}`;
        const args = { customer_id: ticketCustomer, category: 'billing', description: `Charged twice (${mode})`, idempotency_key: key };
        const cs = await clients(mode);
        try {
          const results = oks(await Promise.all(cs.map((c) => callTool(c, 'create_ticket', args))));
          expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
          expect(results.filter((r) => r.created === true)).toHaveLength(1);
          const { rows } = await withPg(url, (c) => c.query<{ id: string }>('select id from tickets where idempotency_key = $1', [key]));
          expect(rows.map((r) => r.id)).toEqual([results[0]!.ticket.id]);
          const audit = await withPg(url, (c) => c.query<{ n: number }>(
            `select count(*)::int as n from audit_log where tool = 'create_ticket' and outcome = 'ok' and args->>'idempotency_key' = $1`, [key]));
          expect(audit.rows[0]!.n).toBe(N);
        } finally {
          await closeAll(cs);
        }
      });

      it(`(c) ${N} clients, each looking up a different customer, each get their own`, async () => {
        const cs = await clients(mode);
        try {
          const results = oks(await Promise.all(cs.map((c, i) => callTool(c, 'find_customer', { customer_id: customerId(i) }))));
          expect(results.map((r) => r.customer.id)).toEqual(cs.map((_, i) => customerId(i)));
          expect(results.map((r) => r.customer.name)).toEqual(cs.map((_, i) => `Reliability Customer ${i}`));
        } finally {
          await closeAll(cs);
        }
      });
    });
  }

  it(`(c, raw) ${N} POSTs with the same JSON-RPC id, each for a different customer, each answered with its own`, async () => {
    const s = servers.stateless!;
    for (const id of [1, 'same'] as const) {
      const answers = await Promise.all(Array.from({ length: N }, async (_, i) => {
        const r = await fetch(`${s.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
          body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'find_customer', arguments: { customer_id: customerId(i) } } }),
        });
        const body = await r.text();
        return { status: r.status, messages: parseRpcBody(r.headers.get('content-type'), body) };
      }));
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        expect(a.messages).toHaveLength(1);
        const m = a.messages[0] as Obj;
        expect(m.id, 'the client id comes back unchanged').toBe(id);
        expect(m.result?.isError).toBeFalsy();
        expect({ i, id: m.result?.structuredContent?.customer?.id, email: m.result?.structuredContent?.customer?.email })
          .toEqual({ i, id: customerId(i), email: `rel-c${i}@example.com` });
      });
    }
  });
});
