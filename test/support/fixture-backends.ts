// The Postgres backends a suite runs on, each seeded with the shipped fixtures: embedded
// PGlite always (the pg driver over pglite-socket), and the real server when DATABASE_URL is
// set (own schema, dropped afterwards). Suites take `{ fresh(), teardown() }` factories.
import { describe } from 'vitest';
import { sql } from 'kysely';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import {
  createDb, createPool, createPostgresRepository, kyselyOverPool, migrateToLatest, seedDataset,
} from '../../src/repository/postgres/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { startPGliteServer } from './pglite.js';

export interface FixtureBackend {
  /** A repository holding exactly `dataset` (default: the shipped fixtures), state reset. */
  fresh(dataset?: Dataset): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

export async function pgliteFixtureBackend(): Promise<FixtureBackend> {
  const dataset = await loadDataset();
  const server = await startPGliteServer();
  const pool = createPool({ connectionString: server.connectionString, max: 1 }); // one PGlite session
  const db = kyselyOverPool(pool);
  await migrateToLatest(db);
  const repo = createPostgresRepository({ pool });
  return {
    fresh: async (ds = dataset) => {
      await seedDataset(db, ds, { replace: true });
      return repo;
    },
    teardown: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}

export async function postgresFixtureBackend(url: string, schemaPrefix: string): Promise<FixtureBackend> {
  const dataset = await loadDataset();
  const schema = `${schemaPrefix}_${Date.now().toString(36)}_${process.pid}`;
  const db = createDb({ connectionString: url, schema, max: 2 });
  await migrateToLatest(db);
  const repo = createPostgresRepository({ connectionString: url, schema, max: 10 });
  return {
    fresh: async (ds = dataset) => {
      await seedDataset(db, ds, { replace: true });
      return repo;
    },
    teardown: async () => {
      await repo.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    },
  };
}

/** Runs `describeSuite` on PGlite, and on Postgres when DATABASE_URL is set (else a named skip). */
export function onPostgresBackends(
  label: string,
  describeSuite: (name: string, make: () => Promise<FixtureBackend>) => void,
): void {
  describeSuite('pglite', pgliteFixtureBackend);
  const url = process.env.DATABASE_URL ?? '';
  if (url) describeSuite('postgres', () => postgresFixtureBackend(url, label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)));
  else describe.skip(`${label} [postgres] — skipped: DATABASE_URL is not set`, () => {});
}
