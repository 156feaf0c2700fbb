// Identity verifications over Postgres (a control table: writes go to the control
// connection). Attempts are conditional UPDATEs, so concurrent answers never over-count.
import { sql } from 'kysely';
import { NotFoundError, UnavailableError } from '../errors.js';
import type { VerificationRepository } from '../types.js';
import { CAS_RETRIES, nowIso, parseInstant, validDate, type PgContext } from './context.js';
import { toVerification } from './mappers.js';

export function postgresVerifications({ read, controlWrite }: PgContext): VerificationRepository {
  return {
    async createVerification(input) {
      return controlWrite({ notFound: ['customer', input.customer_id] }, async (db) => {
        const row = await db.insertInto('verifications')
          .values({
            id: input.id,
            customer_id: input.customer_id,
            conversation_id: input.conversation_id,
            principal: input.principal,
            method: input.method,
            status: 'pending',
            code_hash: input.code_hash ?? null,
            delivered_to: input.delivered_to ?? null,
            attempts: 0,
            max_attempts: input.max_attempts,
            expires_at: parseInstant(input.expires_at, 'expires_at'),
            verified_at: null,
            created_at: nowIso(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toVerification(row);
      });
    },

    async getVerification(id) {
      return read(async (db) => {
        const row = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toVerification(row) : null;
      });
    },

    async attemptVerification(id, attempt) {
      const now = validDate(attempt.now ?? new Date(), 'now');
      const nowAt = now.toISOString();
      const verifiedUntil = validDate(new Date(now.getTime() + attempt.verifiedTtlMs), 'verifiedTtlMs').toISOString();
      const matched = attempt.matched;
      return controlWrite({ notFound: ['verification', id] }, async (db) => {
        for (let round = 0; round < CAS_RETRIES; round++) {
          // The attempt: counted only while pending, unexpired and below max_attempts. Row
          // locking re-checks the WHERE for concurrent attempts, so the count never passes max.
          const counted = await db.updateTable('verifications')
            .set((eb) => ({
              attempts: eb('attempts', '+', 1),
              status: matched
                ? sql<string>`'verified'`
                : sql<string>`case when attempts + 1 >= max_attempts then 'failed' else 'pending' end`,
              verified_at: matched ? nowAt : eb.ref('verified_at'),
              expires_at: matched ? verifiedUntil : eb.ref('expires_at'),
            }))
            .where('id', '=', id)
            .where('status', '=', 'pending')
            .where(sql<boolean>`attempts < max_attempts`)
            .where('expires_at', '>', nowAt)
            .returningAll()
            .executeTakeFirst();
          if (counted) {
            return { outcome: matched ? 'verified' : 'failed', verification: toVerification(counted) };
          }
          const current = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
          if (!current) throw new NotFoundError('verification', id);
          const v = toVerification(current);
          if (v.status === 'verified') return { outcome: 'not_pending', verification: v };
          if (v.status === 'failed') return { outcome: 'locked', verification: v };
          if (v.status === 'expired') return { outcome: 'expired', verification: v };
          // pending
          if (Date.parse(v.expires_at) <= now.getTime()) {
            const expired = await db.updateTable('verifications').set({ status: 'expired' })
              .where('id', '=', id).where('status', '=', 'pending').where('expires_at', '<=', nowAt)
              .returningAll().executeTakeFirst();
            if (expired) return { outcome: 'expired', verification: toVerification(expired) };
            continue; // changed meanwhile: look again
          }
          if (v.attempts >= v.max_attempts) return { outcome: 'locked', verification: v };
          // pending, unexpired and below max: a concurrent change happened in between; retry
        }
        throw new UnavailableError(new Error(`verification ${id} kept changing during the attempt`));
      });
    },

    async findActiveVerification(customerId, conversation, now = new Date()) {
      return read(async (db) => {
        const row = await db.selectFrom('verifications').selectAll()
          .where('customer_id', '=', customerId)
          .where('conversation_id', '=', conversation.conversationId)
          .where('principal', '=', conversation.principal)
          .where('status', '=', 'verified')
          .where('expires_at', '>', validDate(now, 'now').toISOString())
          .orderBy('verified_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? toVerification(row) : null;
      });
    },

    async findLatestVerification(customerId, conversation, method) {
      return read(async (db) => {
        const row = await db.selectFrom('verifications').selectAll()
          .where('customer_id', '=', customerId)
          .where('conversation_id', '=', conversation.conversationId)
          .where('principal', '=', conversation.principal)
          .where('method', '=', method)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? toVerification(row) : null;
      });
    },

    async conversationHasOtherPrincipal(conversation) {
      return read(async (db) => {
        const row = await db.selectFrom('verifications').select('id')
          .where('conversation_id', '=', conversation.conversationId)
          .where('principal', '<>', conversation.principal)
          .limit(1)
          .executeTakeFirst();
        return row !== undefined;
      });
    },
  };
}
