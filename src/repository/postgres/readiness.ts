// Is this database ready for this binary? The schema is compared with the migrations the
// binary knows (migrations.ts): none applied (a fresh database: `db migrate` was forgotten),
// some pending (an upgraded binary on an older schema), or migrations the binary does not
// know (a schema newer than the binary, which it must not write to). Used at start-up and by
// /readyz (src/commands/serve/database.ts).
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS } from './migrations.js';

export interface SchemaStatus {
  /** Applied migrations, oldest first. */
  applied: string[];
  /** Migrations this binary knows that are not applied. */
  pending: string[];
  /** Applied migrations this binary does not know (the schema is newer than the binary). */
  unknown: string[];
}

export type SchemaState = 'current' | 'empty' | 'behind' | 'newer';

/** Reads Kysely's bookkeeping table in the current schema; a missing table is an empty schema. */
export async function schemaStatus(db: Kysely<any>): Promise<SchemaStatus> {
  const { rows: [row] } = await sql<{ present: boolean }>`
    select to_regclass(quote_ident(current_schema()) || '.kysely_migration') is not null as present`.execute(db);
  const applied = row?.present
    ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name)
    : [];
  const known = new Set<string>(MIGRATIONS);
  const done = new Set(applied);
  return { applied, pending: MIGRATIONS.filter((m) => !done.has(m)), unknown: applied.filter((m) => !known.has(m)) };
}

export const schemaState = (s: SchemaStatus): SchemaState =>
  s.unknown.length > 0 ? 'newer' : s.applied.length === 0 ? 'empty' : s.pending.length > 0 ? 'behind' : 'current';

/** One line for an operator: what is wrong and the command that fixes it; null when current. */
export function describeSchema(s: SchemaStatus): string | null {
  switch (schemaState(s)) {
    case 'current':
      return null;
    case 'empty':
      return `the database has no support-mcp schema (no migrations applied): run \`support-mcp db migrate\` with the same DATABASE_URL first (or start with --migrate)`;
    case 'behind':
      return `the database schema is older than this support-mcp (pending migrations: ${s.pending.join(', ')}): run \`support-mcp db migrate\` first (or start with --migrate)`;
    case 'newer':
      return `the database schema is newer than this support-mcp (migrations it does not know: ${s.unknown.join(', ')}): refusing to write to it; upgrade support-mcp, or start with --read-only`;
  }
}
