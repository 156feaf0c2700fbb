// How the Postgres repository talks to the server (src/repository/postgres/pool.ts,
// counters.ts), on PGlite and on real Postgres with DATABASE_URL:
// - a statement with values runs as a named prepared statement (parsed once per connection),
//   one name per distinct text; a statement without values stays unnamed;
// - the rate-limit counters commit asynchronously inside their own statement only: the
//   setting never leaks into the session that later writes customer data;
// - concurrent look-ups by id (find_customer, get_order) share one statement (batch.ts), and
//   each caller gets the row it asked for.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresRepository } from '../../src/repository/postgres/index.js';
import { setQueryLogger } from '../../src/repository/postgres/query-log.js';
import { onPostgresBackends, type FixtureBackend } from '../support/fixture-backends.js';

onPostgresBackends('statements', (name, make) => {
  describe(`statements on the wire [${name}]`, () => {
    let backend: FixtureBackend;
    let repo: PostgresRepository;
    const statements: string[] = [];
    beforeAll(async () => {
      setQueryLogger((event) => void statements.push(event.query.sql)); // set before the repository is built; unset in afterAll
      backend = await make();
      repo = (await backend.fresh()) as PostgresRepository;
    }, 120_000);
    afterAll(async () => {
      setQueryLogger(undefined);
      await backend?.teardown();
    });

    it('concurrent look-ups by id share one statement; each caller gets its own row, unknown ids null', async () => {
      const customers = (await sql<{ id: string }>`select id from customers order by id limit 12`.execute(repo.db)).rows.map((r) => r.id);
      const orders = (await sql<{ id: string }>`select id from orders order by id limit 12`.execute(repo.db)).rows.map((r) => r.id);
      expect(customers.length).toBeGreaterThan(2);
      statements.length = 0;
      const ids = [...customers, 'NO-SUCH-CUSTOMER', customers[0]!];
      const found = await Promise.all(ids.map((id) => repo.findCustomer({ by: 'id', value: id })));
      expect(found.map((c) => c?.id ?? null)).toEqual([...customers, null, customers[0]]);
      expect(found[0]).not.toBe(found[found.length - 1]); // the same id twice: two objects
      expect(statements.filter((q) => q.includes('from "customers"')), JSON.stringify(statements)).toHaveLength(1);
      statements.length = 0;
      const details = await Promise.all([...orders, 'NO-SUCH-ORDER'].map((id) => repo.getOrderWithReturns(id)));
      expect(details.map((d) => d?.order.id ?? null)).toEqual([...orders, null]);
      for (const [i, d] of details.slice(0, -1).entries()) expect(d).toEqual({ order: await repo.getOrder(orders[i]!), returns: await repo.listReturns(orders[i]!) });
      expect(statements.filter((q) => q.includes('from "orders"') && q.includes('any('))).toHaveLength(1);
    });

    it('a parameterised statement is prepared once per connection under one name; one without values is not', async () => {
      const prepared = await repo.db.connection().execute(async (db) => {
        for (let i = 0; i < 3; i++) await db.selectFrom('customers').select('id').where('id', '=', `nobody-${i}`).execute();
        await sql`select 1 as one`.execute(db);
        const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db);
        return rows;
      });
      const ours = prepared.filter((r) => r.statement.includes('from "customers" where "id" = $1'));
      expect(ours).toHaveLength(1);
      expect(ours[0]!.name).toMatch(/^support_mcp_[0-9a-z]+_[0-9a-z]+_\d+$/); // per process and connection
      expect(prepared.some((r) => r.statement.includes('select 1 as one'))).toBe(false);
    });

    it('rate-limit batches that overlap in time never deadlock (counters locked in one order)', async () => {
      const { RateLimiter } = await import('../../src/services/rate-limiter.js');
      const limiter = new RateLimiter(repo, { perConversationPerMinute: 1e6, perCustomerPerHour: 1e6, globalPerHour: 1e8, verificationPerCustomerPerHour: 1e6 });
      const customers = Array.from({ length: 24 }, (_, i) => `DL-${i}`);
      const checks: Promise<void>[] = [];
      // 300 turns of the event loop, each starting a batch over the customers in another order
      for (let turn = 0; turn < 300; turn++) {
        const order = [...customers].sort(() => Math.random() - 0.5);
        for (const c of order) checks.push(limiter.checkCustomer(c));
        for (const c of order.slice(0, 4)) checks.push(limiter.checkCall(`dl-conv-${c}`));
        await new Promise((r) => setImmediate(r));
      }
      const settled = await Promise.allSettled(checks);
      expect(settled.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    });

    it('rate-limit hits commit asynchronously without changing the session setting', async () => {
      const windowStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      const key = `async-commit:${Date.now()}`;
      const counts = await Promise.all(Array.from({ length: 20 }, () => repo.hitCounters([{ key, windowStart, limit: 1000 }])));
      expect(counts.map((c) => c[key]).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // every connection the pool holds still commits synchronously (customer-data writes)
      const settings = await Promise.all(Array.from({ length: 20 }, () => sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(repo.db)));
      expect(new Set(settings.map((r) => r.rows[0]!.s))).toEqual(new Set(['on']));
      const pinned = await repo.db.connection().execute(async (db) => {
        const before = await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(db);
        return before.rows[0]!.s;
      });
      expect(pinned).toBe('on');
    });
  });
});

// --db-prepare off (a pooler that does not keep them): nothing is prepared by name.
describe.skipIf(!process.env.DATABASE_URL)('prepared statements off [postgres]', () => {
  it('every statement runs unnamed on a pool built with preparedStatements: false', async () => {
    const { createPool, kyselyOverPool } = await import('../../src/repository/postgres/pool.js');
    const db = kyselyOverPool(createPool({ connectionString: process.env.DATABASE_URL!, max: 1, preparedStatements: false }));
    try {
      const names = await db.connection().execute(async (conn) => {
        for (let i = 0; i < 3; i++) await sql`select ${i}::int as n`.execute(conn);
        return (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(conn)).rows.map((r) => r.name);
      });
      expect(names).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
