// The Postgres backend: schema migrations, bulk seeding and the SupportRepository.
import type pg from 'pg';
import { createControlPool, createPool, kyselyOverPool, type PostgresPoolOptions } from './pool.js';
import { PostgresRepository } from './repository.js';

export type PostgresOptions =
  | (PostgresPoolOptions & { pool?: undefined })
  /** Use an existing pool; the repository will not end it on close(). */
  | { pool: pg.Pool; connectionString?: undefined };

/**
 * A repository over Postgres. It owns (and close() ends) the pool it builds from the
 * options; a pool passed in stays open for its owner to end. With readOnly it builds two:
 * the read-only data pool and a small writable pool for the control tables (audit,
 * verifications, outbox, rate-limit counters; see createControlPool).
 */
export function createPostgresRepository(opts: PostgresOptions): PostgresRepository {
  if (opts.pool !== undefined) return new PostgresRepository(kyselyOverPool(opts.pool), { ownsDb: false });
  const control = opts.readOnly ? kyselyOverPool(createControlPool(opts)) : undefined;
  return new PostgresRepository(kyselyOverPool(createPool(opts)), { ownsDb: true, ...(control ? { control } : {}) });
}

export { PostgresRepository, type PostgresRepositoryOptions } from './repository.js';
export { createControlPool, createDb, createPool, kyselyOverPool, poolStats, supportTypes, type PostgresPoolOptions } from './pool.js';
export { migrateToLatest, appliedMigrations, MigrationError, MIGRATIONS, MIGRATIONS_DIR } from './migrations.js';
export { seedDataset, SeedError, type SeedOptions, type SeedResult } from './seed.js';
export { mapDbError, isConnectionFailure, type ErrorContext } from './errors.js';
export { DATA_TABLES, type Database } from './schema.js';
