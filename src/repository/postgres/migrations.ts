// Schema migrations. The list is fixed in code (no directory scan at run time); each
// migration's SQL lives in db/migrations/<name>.sql at the package root, found relative to
// this module so it resolves the same from src/repository/postgres (vitest) and from
// dist/repository/postgres (the built CLI): both are three levels below the root.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

/** Applied in this order; never rename or reorder a released migration, only append. */
export const MIGRATIONS = ['0001_init', '0002_audit_append_only', '0003_verification_outbox', '0004_rate_limits', '0005_conversation_principals', '0006_support_desk', '0007_billing_commerce'] as const;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'db', 'migrations');

export class MigrationError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'MigrationError';
  }
}

async function loadMigrations(dir: string): Promise<Record<string, Migration>> {
  const record: Record<string, Migration> = {};
  for (const name of MIGRATIONS) {
    const file = path.join(dir, `${name}.sql`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new MigrationError(`cannot read migration ${name} (${file}): ${(err as Error).message}`, err);
    }
    // No parameters, so pg sends it with the simple protocol: several statements are fine.
    // The Migrator runs the pending migrations inside one transaction (DDL is transactional
    // in Postgres), so `set local` lifts the pool's statement timeout for index builds on
    // large tables without touching the session.
    record[name] = {
      up: async (db) => {
        await sql`set local statement_timeout = 0`.execute(db);
        await sql.raw(text).execute(db);
      },
    };
  }
  return record;
}

function migrator(db: Kysely<any>, schema: string, dir: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => loadMigrations(dir) },
    // Kysely's bookkeeping tables live in the schema being migrated; without this the
    // Migrator would see another schema's kysely_migration table in the same database.
    migrationTableSchema: schema,
  });
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new MigrationError('no current schema: check search_path (or the schema option)');
  return schema;
}

/**
 * Applies every pending migration in order, in one transaction under Kysely's migration
 * lock (so concurrent runs serialise). Idempotent: a second run applies nothing. Throws
 * MigrationError naming the migration that failed; the transaction is rolled back, so
 * nothing of that run stays applied.
 */
export async function migrateToLatest(db: Kysely<any>, opts: { dir?: string } = {}): Promise<{ applied: string[] }> {
  let result: MigrationResultSet;
  try {
    result = await migrator(db, await currentSchema(db), opts.dir ?? MIGRATIONS_DIR).migrateToLatest();
  } catch (err) {
    if (err instanceof MigrationError) throw err;
    throw new MigrationError(`migration failed: ${(err as Error).message}`, err);
  }
  const { error, results = [] } = result;
  if (error !== undefined) {
    if (error instanceof MigrationError) throw error;
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(failed ? `migration ${failed} failed: ${reason}` : `migration failed: ${reason}`, error);
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of the migrations already applied, oldest first (for `db status`). */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const list = await migrator(db, await currentSchema(db), MIGRATIONS_DIR).getMigrations();
  return list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
