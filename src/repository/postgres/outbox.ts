// The verification outbox over Postgres (a control table: writes go to the control connection).
import { NotFoundError } from '../errors.js';
import type { OutboxRepository } from '../types.js';
import { clamp, nowIso, parseInstant, validDate, type PgContext } from './context.js';
import { toOutboxMessage } from './mappers.js';

export function postgresOutbox({ read, controlWrite }: PgContext): OutboxRepository {
  return {
    async enqueueOutbox(message) {
      const verificationId = message.verification_id ?? null;
      return controlWrite({ notFound: ['verification', verificationId ?? ''] }, async (db) => {
        const row = await db.insertInto('outbox')
          .values({
            id: message.id,
            channel: message.channel,
            destination: message.destination,
            body: message.body,
            code: message.code ?? null,
            verification_id: verificationId,
            customer_id: message.customer_id ?? null,
            expires_at: message.expires_at == null ? null : parseInstant(message.expires_at, 'expires_at'),
            created_at: nowIso(),
            sent_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toOutboxMessage(row);
      });
    },

    async listOutbox(query = {}) {
      const limit = clamp(query.limit, 100, 1, 1000);
      return read(async (db) => {
        let q = db.selectFrom('outbox').selectAll();
        if (query.pendingOnly) q = q.where('sent_at', 'is', null);
        const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
        return rows.map(toOutboxMessage);
      });
    },

    async markOutboxSent(id, now = new Date()) {
      const at = validDate(now, 'now').toISOString();
      return controlWrite({ notFound: ['outbox_message', id] }, async (db) => {
        const changed = await db.updateTable('outbox').set({ sent_at: at, code: null })
          .where('id', '=', id).where('sent_at', 'is', null)
          .returningAll().executeTakeFirst();
        if (changed) return toOutboxMessage(changed);
        const current = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) throw new NotFoundError('outbox_message', id);
        return toOutboxMessage(current);
      });
    },
  };
}
