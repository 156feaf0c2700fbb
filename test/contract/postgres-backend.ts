// Checks that only make sense for the SQL backend (PGlite and real Postgres): schema rules
// the contract cannot see through the interface, and driver-error mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createPostgresRepository, migrateToLatest } from '../../src/repository/postgres/index.js';
import { UnavailableError } from '../../src/repository/errors.js';

export interface SqlBackendContext {
  /** A Kysely instance on a freshly migrated schema. */
  db: Kysely<any>;
  teardown(): Promise<void>;
}

export function describePostgresBackendChecks(name: string, setup: () => Promise<SqlBackendContext>): void {
  describe(`Postgres backend specifics [${name}]`, () => {
    let ctx: SqlBackendContext | undefined;
    beforeAll(async () => {
      ctx = await setup();
    });
    afterAll(async () => {
      await ctx?.teardown();
    });

    it('migrateToLatest is idempotent', async () => {
      expect(await migrateToLatest(ctx!.db)).toEqual({ applied: [] });
    });

    it('the audit log is append-only: UPDATE and DELETE are rejected', async () => {
      const db = ctx!.db;
      await sql`insert into audit_log (tool, outcome, args) values ('contract_check', 'ok', '{}'::jsonb)`.execute(db);
      await expect(sql`update audit_log set tool = 'changed'`.execute(db)).rejects.toMatchObject({ code: '42501' });
      await expect(sql`delete from audit_log`.execute(db)).rejects.toMatchObject({ code: '42501' });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where tool = 'contract_check'`.execute(db);
      expect(rows[0]?.n).toBe(1);
    });

    it('an unreachable server gives UnavailableError, not a raw driver error', async () => {
      // Port 1 on loopback: nothing listens there, the connection is refused at once.
      const repo = createPostgresRepository({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', max: 1 });
      try {
        const ping = await repo.ping().then(() => null, (err: unknown) => err);
        expect(ping).toBeInstanceOf(UnavailableError);
        expect((ping as Error).message).toBe('the data store is unavailable');
        const read = await repo.findCustomer({ by: 'id', value: 'x' }).then(() => null, (err: unknown) => err);
        expect(read).toBeInstanceOf(UnavailableError);
      } finally {
        await repo.close();
      }
    });
  });
}
