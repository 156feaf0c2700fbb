// The server is SIGKILLed in the middle of a write load (issue 7, reliability). Nothing in the
// process gets to clean up, so whatever is in the database afterwards is what the design
// guarantees: each write commits atomically with its audit entry (repository.ts #write:
// one transaction per write call; audit-log.ts "Writes"), and an acknowledgement is sent only
// after the commit.
//
// Checked with pg after the kill: every acknowledged ticket and cancel is there; every
// ticket created through create_ticket has exactly one audit row of its call and every such
// audit row has its ticket (no half-written call); cancelled ⇔ cancelled_at set ⇔ an ok
// cancel_order audit row; no ticket with an empty required column; the dead server's sessions
// are gone (no transaction left holding locks). Then a new server on the same database serves,
// and retrying the calls whose outcome the clients never learned creates no duplicates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad, waitFor, type LoadRun } from './load.js';
import {
  callTool, clusterPrerequisites, connectClient, createTempDatabase, isCI, runCli, spawnServer, startPrivateCluster,
  withPg, type ServerProcess,
} from './support.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';
const pre = DATABASE_URL ? undefined : await clusterPrerequisites();
// (A missing or stale dist/ fails at import: ./support.js imports ../server/cli.js.)
const missing = pre && !pre.ok ? `DATABASE_URL is not set and no private cluster is possible: ${pre.reason}` : undefined;

const CUSTOMERS = ['1213210', '2837622', '3924156', '5190753', '8259147', 'CUST-20001', 'CUST-20003', 'CUST-12345'];
const ORDERS = 300;
// Letters glued to the digits: the audit trail redacts standalone 4-8 digit groups in
// arguments (src/domain/masking.ts CODE_RE), and these ids must stay readable there.
const orderId = (i: number) => `CRASH-X${i}`;
/** A cancellable order the load never picks (it only cancels orderId(0..ORDERS-1)): cancelled after the restart. */
const KEPT_ORDER = 'CRASH-KEPT';
const OPEN = ['--access', 'open', '--limits', 'off', '--rate-limit', '1000000'];

if (missing !== undefined) {
  if (isCI()) {
    describe('SIGKILL mid-load', () => {
      it('has its prerequisites', () => {
        throw new Error(`cannot run the crash suite: ${missing}`);
      });
    });
  } else {
    describe.skip(`SIGKILL mid-load — skipped: ${missing}`, () => {});
  }
} else {
  describe(`SIGKILL mid-load (${DATABASE_URL ? 'DATABASE_URL' : 'private cluster'}, built CLI over HTTP)`, () => {
    let url = '';
    let cleanup: () => Promise<void> = async () => {};
    let server: ServerProcess | undefined;
    let load: LoadRun | undefined;

    beforeAll(async () => {
      if (DATABASE_URL) {
        const db = await createTempDatabase(DATABASE_URL, 'support_mcp_crash');
        url = db.url;
        cleanup = db.drop;
      } else {
        const cluster = await startPrivateCluster(pre as { bin: string; asPostgres: boolean });
        await withPg(cluster.url(), (c) => c.query('create database support'));
        url = cluster.url('support');
        cleanup = cluster.destroy;
      }
      const seeded = await runCli(['db', 'seed', '--database-url', url]);
      expect(seeded.code, seeded.stderr).toBe(0);
      // Plenty of cancellable orders, so cancels keep changing rows until the kill.
      await withPg(url, (c) => c.query(
        `insert into orders (id, customer_id, status, total, currency, ordered_at)
         select 'CRASH-X' || g, ($1::text[])[1 + g % array_length($1::text[], 1)], 'processing', 10, 'USD', now()
         from generate_series(0, $2::int - 1) g`, [CUSTOMERS, ORDERS]));
      await withPg(url, (c) => c.query(
        `insert into orders (id, customer_id, status, total, currency, ordered_at) values ($1, $2, 'processing', 10, 'USD', now())`,
        [KEPT_ORDER, CUSTOMERS[0]]));
    });

    afterAll(async () => {
      await load?.stop();
      if (server?.alive()) await server.kill('SIGKILL');
      if (process.env.RELIABILITY_KEEP_DB) console.log('kept database', url);
      else await cleanup();
    });

    it('loses no acknowledged write and leaves no half-written call', async () => {
      server = await spawnServer(['--database-url', url, ...OPEN]);
      // Workers alternate a new ticket with a cancel of a random order (some cancel the same
      // order: the second one reports already_cancelled).
      load = await startLoad(server.url, 16, (worker, n) => n % 2 === 0
        ? {
            tool: 'create_ticket',
            args: {
              customer_id: CUSTOMERS[(worker + n) % CUSTOMERS.length], category: 'order', priority: 'high',
              description: `crash load ${worker}-${n}`, idempotency_key: `crash-w${worker}n${n}`,
            },
          }
        : { tool: 'cancel_order', args: { order_id: orderId(Math.floor(Math.random() * ORDERS)) } },
      { stopOnTransportError: true });
      await waitFor(() => load!.ackedTickets.size >= 40 && load!.ackedCancels.size >= 40, 20_000, 'acknowledged writes before the kill');
      const inFlightAtKill = [...load!.inFlight.values()].filter((f) => f.tool !== 'find_customer').length;
      const { signal } = await server.kill('SIGKILL');
      expect(signal).toBe('SIGKILL');
      await load.stop();
      const records = load.records;
      // No answer after the kill can be a tool answer: the clients saw the connection die.
      expect(records.some((r) => r.outcome.kind === 'transport_error')).toBe(true);
      expect(records.filter((r) => r.outcome.kind === 'tool_error').map((r) => r.outcome)).toEqual([]);
      expect(inFlightAtKill, 'writes in flight when the server was killed').toBeGreaterThan(0);

      await withPg(url, async (c) => {
        // The dead server's sessions end (their open transactions roll back): nothing lingers
        // holding row locks for the next server.
        const deadline = performance.now() + 5_000;
        let lingering = -1;
        while (performance.now() < deadline) {
          const { rows } = await c.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'support-mcp'`);
          lingering = rows[0]!.n;
          if (lingering === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(lingering, 'sessions of the killed server still open after 5 s').toBe(0);

        // 1. every acknowledged ticket exists, as acknowledged
        const acked = [...load!.ackedTickets];
        const tickets = (await c.query<{ id: string; idempotency_key: string; customer_id: string; conversation_id: string | null }>(
          `select id, idempotency_key, customer_id, conversation_id from tickets where idempotency_key like 'crash-%'`)).rows;
        const byId = new Map(tickets.map((t) => [t.id, t]));
        expect(acked.filter(([id, a]) => byId.get(id)?.idempotency_key !== a.key || byId.get(id)?.customer_id !== a.customer),
          'acknowledged tickets missing').toEqual([]);

        // 2. every acknowledged cancel is cancelled
        const orders = (await c.query<{ id: string; status: string; cancelled_at: string | null; updated_at: string }>(
          `select id, status, cancelled_at::text, updated_at::text from orders where id like 'CRASH-%'`)).rows;
        const status = new Map(orders.map((o) => [o.id, o]));
        expect([...load!.ackedCancels].filter((id) => status.get(id)?.status !== 'cancelled'), 'acknowledged cancels not cancelled').toEqual([]);

        // 3. audit atomicity: one ok create_ticket audit row per ticket (its own conversation
        // and key), and no such audit row without its ticket.
        const ticketAudits = (await c.query<{ key: string; conversation_id: string | null }>(
          `select args->>'idempotency_key' as key, conversation_id from audit_log
           where tool = 'create_ticket' and outcome = 'ok' and args->>'idempotency_key' like 'crash-%'`)).rows;
        const auditsByKey = new Map<string, (string | null)[]>();
        for (const a of ticketAudits) auditsByKey.set(a.key, [...(auditsByKey.get(a.key) ?? []), a.conversation_id]);
        for (const t of tickets) {
          expect(auditsByKey.get(t.idempotency_key), `audit rows of ticket ${t.id} (${t.idempotency_key})`).toEqual([t.conversation_id]);
        }
        const ticketKeys = new Set(tickets.map((t) => t.idempotency_key));
        expect(ticketAudits.filter((a) => !ticketKeys.has(a.key)), 'create_ticket audit rows without their ticket').toEqual([]);
        expect(tickets.length).toBeGreaterThanOrEqual(acked.length);

        // ... and for cancels: cancelled ⇔ cancelled_at set (one UPDATE) ⇔ an ok cancel audit row
        const cancelAudits = (await c.query<{ order_id: string; n: number }>(
          `select args->>'order_id' as order_id, count(*)::int as n from audit_log
           where tool = 'cancel_order' and outcome = 'ok' and args->>'order_id' like 'CRASH-%' group by 1`)).rows;
        const auditedCancels = new Map(cancelAudits.map((a) => [a.order_id, a.n]));
        for (const o of orders) {
          const cancelled = o.status === 'cancelled';
          expect({ id: o.id, cancelled_at_set: o.cancelled_at !== null, audited: auditedCancels.has(o.id) })
            .toEqual({ id: o.id, cancelled_at_set: cancelled, audited: cancelled });
          if (cancelled) expect(o.updated_at, `order ${o.id}: status and timestamps written together`).toBe(o.cancelled_at);
        }
        // every acknowledged cancel call committed its own audit row
        const ackedCalls = new Map<string, number>();
        for (const r of records) {
          if (r.tool === 'cancel_order' && r.outcome.kind === 'ok') {
            const id = String(r.args.order_id);
            ackedCalls.set(id, (ackedCalls.get(id) ?? 0) + 1);
          }
        }
        for (const [id, n] of ackedCalls) expect(auditedCancels.get(id) ?? 0, `audit rows of cancels of ${id}`).toBeGreaterThanOrEqual(n);

        // 4. no ticket with an empty required column
        const broken = await c.query(
          `select id from tickets where idempotency_key like 'crash-%' and (
             coalesce(number, '') = '' or coalesce(customer_id, '') = '' or coalesce(category, '') = ''
             or coalesce(priority, '') = '' or coalesce(status, '') = '' or coalesce(description, '') = ''
             or coalesce(request_hash, '') = '' or created_at is null or updated_at is null)`);
        expect(broken.rows).toEqual([]);
      });
    });

    it('a new server on the same database serves, and retries of unanswered calls create no duplicates', async () => {
      const records = load!.records;
      server = await spawnServer(['--database-url', url, ...OPEN]);
      const client = await connectClient(server.url);
      try {
        expect(await callTool(client, 'find_customer', { customer_id: '1213210' })).toMatchObject({ kind: 'ok' });
        // A retry of an acknowledged ticket returns that ticket.
        const [ackedId, acked] = [...load!.ackedTickets][0]!;
        const first = records.find((r) => r.args.idempotency_key === acked.key)!;
        expect(await callTool(client, 'create_ticket', first.args)).toMatchObject({ kind: 'ok', data: { created: false, ticket: { id: ackedId } } });
        // The calls cut off by the kill: the client does not know whether they committed, so
        // it retries with the same key; either way there is then exactly one ticket per key.
        const unanswered = records.filter((r) => r.tool === 'create_ticket' && r.outcome.kind === 'transport_error');
        expect(unanswered.length).toBeGreaterThan(0);
        for (const r of unanswered) expect(await callTool(client, 'create_ticket', r.args), String(r.args.idempotency_key)).toMatchObject({ kind: 'ok' });
        const keys = unanswered.map((r) => String(r.args.idempotency_key));
        const { rows } = await withPg(url, (c) => c.query<{ key: string; n: number }>(
          'select idempotency_key as key, count(*)::int as n from tickets where idempotency_key = any($1) group by 1', [keys]));
        expect(new Map(rows.map((r) => [r.key, r.n]))).toEqual(new Map(keys.map((k) => [k, 1])));
        // Writes work: cancel the order the load never touched, and it is stored cancelled.
        expect(await callTool(client, 'cancel_order', { order_id: KEPT_ORDER }))
          .toMatchObject({ kind: 'ok', data: { already_cancelled: false, order: { id: KEPT_ORDER, status: 'cancelled' } } });
        const kept = await withPg(url, (c) => c.query<{ status: string }>('select status from orders where id = $1', [KEPT_ORDER]));
        expect(kept.rows).toEqual([{ status: 'cancelled' }]);
      } finally {
        await client.close();
      }
      const { code } = await server.kill('SIGTERM');
      expect(code).toBe(0);
    });
  });
}
