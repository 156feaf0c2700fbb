// Handoffs over Postgres (a control table: writes go to the control connection, which stays
// writable in --read-only deployments). One in progress per (principal, conversation) is the
// partial unique index handoffs_active_conversation_key.
import { sql } from 'kysely';
import { Handoff } from '../../domain/index.js';
import { InvalidStateError, NotFoundError, UnavailableError, ValidationError } from '../errors.js';
import type { HandoffRepository } from '../types.js';
import { CAS_RETRIES, clamp, nowIso, type PgContext } from './context.js';
import { toHandoff } from './mappers.js';
import type { Database } from './schema.js';
import type { Kysely } from 'kysely';

const position = async (db: Kysely<Database>, h: Handoff): Promise<number> => {
  if (h.status !== 'open') return 0;
  // served by handoffs_queue_idx
  const row = await db.selectFrom('handoffs').select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'open').where('queue', '=', h.queue)
    .where(sql<boolean>`(created_at, id) <= (${h.created_at}::timestamptz, ${h.id})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

export function postgresHandoffs({ read, controlWrite }: PgContext): HandoffRepository {
  return {
    async openHandoff(input) {
      const now = nowIso();
      const parsed = Handoff.safeParse({ ...input, status: 'open', created_at: now, updated_at: now });
      if (!parsed.success) throw new ValidationError('invalid handoff');
      const row = parsed.data;
      return controlWrite({}, async (db) => {
        for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
          // A concurrent open for the same conversation waits for the other transaction, then
          // does nothing; the existing row is read and returned.
          const inserted = await db.insertInto('handoffs').values(row)
            // The arbiter's predicate is a literal: a parameter would not match the partial
            // index once the statement is prepared (pool.ts names every statement).
            .onConflict((oc) => oc.columns(['principal', 'conversation_id']).where('status', '<>', sql.lit('closed')).doNothing())
            .returningAll().executeTakeFirst();
          if (inserted) {
            const h = toHandoff(inserted);
            return { handoff: h, created: true, position: await position(db, h) };
          }
          const existing = await db.selectFrom('handoffs').selectAll()
            .where('principal', '=', row.principal).where('conversation_id', '=', row.conversation_id).where('status', '<>', 'closed')
            .executeTakeFirst();
          if (existing) {
            const h = toHandoff(existing);
            return { handoff: h, created: false, position: await position(db, h) };
          }
          // the conflicting row was closed meanwhile: insert again
        }
        throw new UnavailableError(new Error('handoff insert kept conflicting without a visible row'));
      });
    },

    async getHandoff(id) {
      return read(async (db) => {
        const row = await db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toHandoff(row) : null;
      });
    },

    async listHandoffs(query = {}) {
      const limit = clamp(query.limit, 100, 1, 1000);
      return read(async (db) => {
        let q = db.selectFrom('handoffs').selectAll();
        if (query.status !== undefined) q = query.status.length === 0 ? q.where(sql<boolean>`false`) : q.where('status', 'in', query.status);
        const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
        return rows.map(toHandoff);
      });
    },

    async setHandoffStatus(id, status) {
      if (status !== 'accepted' && status !== 'closed') throw new ValidationError('status must be accepted or closed');
      return controlWrite({ notFound: ['handoff', id] }, async (db) => {
        const from = status === 'accepted' ? ['open'] : ['open', 'accepted'];
        const changed = await db.updateTable('handoffs').set({ status, updated_at: nowIso() })
          .where('id', '=', id).where('status', 'in', from).returningAll().executeTakeFirst();
        if (changed) return toHandoff(changed);
        const current = await db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) throw new NotFoundError('handoff', id);
        if (current.status === status) return toHandoff(current);
        throw new InvalidStateError('handoff', id, current.status, `Handoff ${id} is ${current.status}`);
      });
    },
  };
}
