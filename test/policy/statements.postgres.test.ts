// How the Postgres repository talks to the server (src/repository/postgres/pool.ts,
// counters.ts), on PGlite and on real Postgres with DATABASE_URL:
// - a statement with values runs as a named prepared statement (parsed once per connection),
//   one name per distinct text; a statement without values stays unnamed;
// - the rate-limit counters commit asynchronously inside their own statement only: the
//   setting never leaks into the session that later writes customer data.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresRepository } from '../../src/repository/postgres/index.js';
import { onPostgresBackends, type FixtureBackend } from '../support/fixture-backends.js';

onPostgresBackends('statements', (name, make) => {
  describe(`statements on the wire [${name}]`, () => {
    let backend: FixtureBackend;
    let repo: PostgresRepository;
    beforeAll(async () => {
      backend = await make();
      repo = (await backend.fresh()) as PostgresRepository;
    }, 120_000);
    afterAll(async () => {
      await backend?.teardown();
    });

    it('a parameterised statement is prepared once per connection under one name; one without values is not', async () => {
      const prepared = await repo.db.connection().execute(async (db) => {
        for (let i = 0; i < 3; i++) await db.selectFrom('customers').select('id').where('id', '=', `nobody-${i}`).execute();
        await sql`select 1 as one`.execute(db);
        const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db);
        return rows;
      });
      const ours = prepared.filter((r) => r.statement.includes('from "customers"') && r.statement.includes('$1'));
      expect(ours).toHaveLength(1);
      expect(ours[0]!.name).toMatch(/^support_mcp_\d+$/);
      expect(prepared.some((r) => r.statement.includes('select 1 as one'))).toBe(false);
    });

    it('rate-limit hits commit asynchronously without changing the session setting', async () => {
      const windowStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      const counts = await Promise.all(Array.from({ length: 20 }, () => repo.hitCounters([{ key: 'global:1h', windowStart, limit: 1000 }])));
      expect(counts.map((c) => c['global:1h']).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
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
