// The contract suite against a real PostgreSQL server (DATABASE_URL). Each run creates its
// own schema (random name, via the `schema` option), migrates it, and drops it at the end,
// so runs can share one database. The pool has 10 connections, so the concurrency cases
// (50 cancels, 50 idempotent creates, 20 verification attempts) contend on real row locks.
import { describe } from 'vitest';
import { sql, type Kysely } from 'kysely';
import {
  createDb, createPostgresRepository, migrateToLatest, seedDataset,
} from '../../src/repository/postgres/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { contractDataset } from './dataset.js';
import { describePostgresBackendChecks } from './postgres-backend.js';
import { describeRepositoryContract, type ContractContext } from './repository.contract.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';
const enabled = DATABASE_URL !== '';

const randomSchema = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Migrates a fresh schema and returns a Kysely on it plus a teardown that drops it. */
async function freshSchema(prefix: string): Promise<{ schema: string; db: Kysely<any>; drop(): Promise<void> }> {
  const schema = randomSchema(prefix);
  const db = createDb({ connectionString: DATABASE_URL, schema, max: 2 });
  const drop = async (): Promise<void> => {
    try {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    } finally {
      await db.destroy();
    }
  };
  try {
    await migrateToLatest(db);
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { schema, db, drop };
}

describe.skipIf(!enabled)(
  enabled ? 'PostgreSQL (DATABASE_URL)' : 'PostgreSQL — skipped: DATABASE_URL is not set (set it to run the contract suite against a real server)',
  () => {
    describeRepositoryContract('postgres', 'postgres', async () => {
      const { schema, db, drop } = await freshSchema('contract');
      let repo: SupportRepository | undefined;
      try {
        await seedDataset(db, contractDataset(), { replace: true });
        // 10 connections: the concurrency cases must contend on real row locks.
        repo = createPostgresRepository({ connectionString: DATABASE_URL, schema, max: 10 });
        await repo.ping();
      } catch (err) {
        await repo?.close().catch(() => undefined);
        await drop().catch(() => undefined);
        throw err;
      }
      const ctx: ContractContext = {
        repo,
        reset: async () => {
          await seedDataset(db, contractDataset(), { replace: true });
        },
        teardown: async () => {
          await repo?.close().catch(() => undefined);
          await drop();
        },
      };
      return ctx;
    });

    describePostgresBackendChecks('postgres', async () => {
      const { db, drop } = await freshSchema('contract_checks');
      return { db, teardown: drop };
    });
  },
);
