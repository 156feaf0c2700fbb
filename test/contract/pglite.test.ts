// The contract suite against the Postgres backend running on an embedded PGlite, served over
// TCP by pglite-socket so the production path (pg Pool + Kysely PostgresDialect, our type
// parsers, SQLSTATE mapping) is what runs. One PGlite per test file; migrated once; every
// test reseeds the contract data set with seedDataset(..., { replace: true }).
import type { Kysely } from 'kysely';
import {
  createDb, createPool, createPostgresRepository, kyselyOverPool, migrateToLatest, seedDataset,
} from '../../src/repository/postgres/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { contractDataset } from './dataset.js';
import { describePostgresBackendChecks } from './postgres-backend.js';
import { describeRepositoryContract, type ContractContext } from './repository.contract.js';

describeRepositoryContract('pglite', 'postgres', async () => {
  let server: PGliteServer | undefined;
  let db: Kysely<any> | undefined;
  let repo: SupportRepository | undefined;
  const teardown = async (): Promise<void> => {
    // Repository, then the pool (db.destroy() ends it), then the server: stopping the
    // server under a live pool makes pg report idle-client errors.
    await repo?.close().catch(() => undefined);
    await db?.destroy().catch(() => undefined);
    await server?.stop();
  };
  try {
    server = await startPGliteServer();
    // ONE pool of max 1 connection, shared by migrations, the seeding and the repository:
    // pglite-socket multiplexes every TCP connection onto PGlite's single session, so more
    // connections would only queue behind each other (and share session state anyway).
    // Real row-lock concurrency is exercised by postgres.test.ts.
    const pool = createPool({ connectionString: server.connectionString, max: 1 });
    db = kyselyOverPool(pool);
    await migrateToLatest(db);
    await seedDataset(db, contractDataset(), { replace: true });
    // A pool passed in is not ended by repo.close(); db.destroy() ends it.
    repo = createPostgresRepository({ pool });
    await repo.ping();
  } catch (err) {
    await teardown();
    throw err;
  }
  const seedDb = db;
  const ctx: ContractContext = {
    repo,
    reset: async () => {
      await seedDataset(seedDb, contractDataset(), { replace: true });
    },
    teardown,
  };
  return ctx;
});

describePostgresBackendChecks('pglite', async () => {
  const server = await startPGliteServer();
  const db = createDb({ connectionString: server.connectionString, max: 1 });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    await server.stop();
    throw err;
  }
  return {
    db,
    teardown: async () => {
      await db.destroy().catch(() => undefined);
      await server.stop();
    },
  };
});
