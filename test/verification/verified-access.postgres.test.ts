// Verified access on the Postgres backend: embedded PGlite always (pg driver over
// pglite-socket), and the real server when DATABASE_URL is set (own schema, dropped afterwards).
import { sql } from 'kysely';
import { describe } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import {
  createDb, createPool, createPostgresRepository, kyselyOverPool, migrateToLatest, seedDataset,
} from '../../src/repository/postgres/index.js';
import { startPGliteServer } from '../support/pglite.js';
import { describeVerifiedAccess } from './verified-access.suite.js';

describeVerifiedAccess('pglite', async () => {
  const dataset = await loadDataset();
  const server = await startPGliteServer();
  const pool = createPool({ connectionString: server.connectionString, max: 1 }); // one PGlite session
  const db = kyselyOverPool(pool);
  await migrateToLatest(db);
  const repo = createPostgresRepository({ pool });
  return {
    fresh: async () => {
      await seedDataset(db, dataset, { replace: true });
      return repo;
    },
    teardown: async () => {
      await db.destroy();
      await server.stop();
    },
  };
});

const DATABASE_URL = process.env.DATABASE_URL ?? '';
if (DATABASE_URL) {
  describeVerifiedAccess('postgres', async () => {
    const dataset = await loadDataset();
    const schema = `verify_${Date.now().toString(36)}_${process.pid}`;
    const db = createDb({ connectionString: DATABASE_URL, schema, max: 2 });
    await migrateToLatest(db);
    const repo = createPostgresRepository({ connectionString: DATABASE_URL, schema, max: 10 });
    return {
      fresh: async () => {
        await seedDataset(db, dataset, { replace: true });
        return repo;
      },
      teardown: async () => {
        await repo.close();
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
        await db.destroy();
      },
    };
  });
} else {
  describe.skip('verified access over MCP [postgres] — skipped: DATABASE_URL is not set', () => {});
}
