// The policy suite on the Postgres backend: embedded PGlite always (pg driver over
// pglite-socket), and the real server when DATABASE_URL is set (own schema, dropped afterwards).
// Every test reseeds (which also empties audit_log and rate_limit_counters) and gets its own
// repository over the shared pool, so a hub closing it does not end the pool.
import { describe } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { loadDataset } from '../../src/repository/dataset.js';
import {
  createPool, createPostgresRepository, kyselyOverPool, migrateToLatest, seedDataset,
} from '../../src/repository/postgres/index.js';
import { startPGliteServer } from '../support/pglite.js';
import type { PolicyBackend } from './kit.js';
import { describePolicy } from './policy.suite.js';

async function backendOver(name: 'pglite' | 'postgres', pool: pg.Pool, cleanup: (db: Kysely<any>) => Promise<void>): Promise<PolicyBackend> {
  const db = kyselyOverPool(pool);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await cleanup(db).catch(() => undefined);
    throw err;
  }
  const dataset = await loadDataset();
  return {
    name,
    fresh: async () => {
      await seedDataset(db, dataset, { replace: true });
      return createPostgresRepository({ pool }); // does not end the pool on close()
    },
    teardown: () => cleanup(db),
  };
}

describePolicy('pglite', async () => {
  const server = await startPGliteServer();
  const pool = createPool({ connectionString: server.connectionString, max: 1 }); // one PGlite session
  return backendOver('pglite', pool, async (db) => {
    await db.destroy();
    await server.stop();
  });
});

const DATABASE_URL = process.env.DATABASE_URL ?? '';
if (DATABASE_URL) {
  describePolicy('postgres', async () => {
    const schema = `policy_${Date.now().toString(36)}_${process.pid}`;
    const pool = createPool({ connectionString: DATABASE_URL, schema, max: 10 });
    return backendOver('postgres', pool, async (db) => {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      } finally {
        await db.destroy();
      }
    });
  });
} else {
  describe.skip('policy [postgres] — skipped: DATABASE_URL is not set', () => {});
}
