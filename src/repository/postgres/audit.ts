// The audit log over Postgres (a control table; append-only, enforced by the schema).
// insertAudit is also how context.ts commits a write's audit entry in the write's transaction.
import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { NewAuditEntry } from '../../domain/index.js';
import type { AuditRepository } from '../types.js';
import { clamp, nowIso, parseInstant, type PgContext } from './context.js';
import { toAuditEntry } from './mappers.js';
import type { Database } from './schema.js';

/** Audit rows are inserted in chunks well below the 65535-parameter limit. */
const AUDIT_CHUNK = 1000;

const auditRow = (e: NewAuditEntry, now: string) => ({
  at: e.at === undefined ? now : parseInstant(e.at, 'audit timestamp'),
  conversation_id: e.conversation_id ?? null,
  tool: e.tool,
  customer_id: e.customer_id ?? null,
  outcome: e.outcome,
  error_code: e.error_code ?? null,
  duration_ms: e.duration_ms,
  args: JSON.stringify(e.args ?? {}),
  principal: e.principal ?? null,
});

/**
 * A single statement's audit row, for a data-modifying CTE named `written` in the same
 * statement: inserted only when that CTE wrote a row. One statement is one round trip and is
 * atomic on its own (no BEGIN/COMMIT), so the write and its entry still commit together.
 */
export function auditWhenWritten<DB extends Database>(db: QueryCreator<DB>, entry: NewAuditEntry) {
  const r = auditRow(entry, nowIso());
  return db.insertInto('audit_log')
    .columns(['at', 'conversation_id', 'tool', 'customer_id', 'outcome', 'error_code', 'duration_ms', 'args', 'principal'])
    .expression(sql`select ${r.at}::timestamptz, ${r.conversation_id}::text, ${r.tool}::text, ${r.customer_id}::text,
      ${r.outcome}::text, ${r.error_code}::text, ${r.duration_ms}::int, ${r.args}::jsonb, ${r.principal}::text
      where exists (select 1 from written)`);
}

export async function insertAudit(db: Kysely<Database>, entries: readonly NewAuditEntry[]): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < entries.length; i += AUDIT_CHUNK) {
    await db.insertInto('audit_log').values(entries.slice(i, i + AUDIT_CHUNK).map((e) => auditRow(e, now))).execute();
  }
}

export function postgresAudit({ read, controlWrite }: PgContext): AuditRepository {
  return {
    async appendAudit(entries) {
      if (entries.length === 0) return;
      await controlWrite({}, async (db) => {
        if (entries.length <= AUDIT_CHUNK) return insertAudit(db, entries);
        // several statements: all or nothing
        return db.transaction().execute((trx) => insertAudit(trx, entries));
      });
    },

    async listAudit(query = {}) {
      const limit = clamp(query.limit, 100, 1, 10_000);
      const since = query.since === undefined ? undefined : parseInstant(query.since, 'since');
      return read(async (db) => {
        let q = db.selectFrom('audit_log').selectAll();
        if (query.customerId !== undefined) q = q.where('customer_id', '=', query.customerId);
        if (since !== undefined) q = q.where('at', '>=', since);
        if (query.newest) {
          const rows = await q.orderBy('id', 'desc').limit(limit).execute();
          return rows.reverse().map(toAuditEntry);
        }
        const rows = await q.orderBy('id', 'asc').limit(limit).execute();
        return rows.map(toAuditEntry);
      });
    },
  };
}
