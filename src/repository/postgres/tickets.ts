// Tickets over Postgres: idempotent creation decided by the partial unique index on
// (customer_id, idempotency_key), and the two lookups.
import { ZodError } from 'zod';
import { NewTicket as NewTicketSchema } from '../../domain/index.js';
import { ConflictError, UnavailableError, ValidationError } from '../errors.js';
import { ticketRequestHash } from '../ticket-hash.js';
import type { TicketRepository } from '../types.js';
import { CAS_RETRIES, nowIso, type PgContext } from './context.js';
import { toTicket } from './mappers.js';
import { auditWhenWritten, insertAudit } from './audit.js';

const TICKET_COLUMNS = [
  'id', 'number', 'customer_id', 'category', 'priority', 'status', 'description', 'amount', 'currency',
  'conversation_id', 'idempotency_key', 'created_at', 'updated_at',
] as const;

export function postgresTickets({ read, write }: PgContext): TicketRepository {
  return {
    async createTicket(input, opts) {
      let t: ReturnType<typeof NewTicketSchema.parse>;
      try {
        t = NewTicketSchema.parse(input);
      } catch (err) {
        if (err instanceof ZodError) {
          const issue = err.issues[0];
          throw new ValidationError(`invalid ticket: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
        }
        throw err;
      }
      const requestHash = ticketRequestHash(t);
      const now = nowIso();
      const key = t.idempotency_key;
      const audit = opts?.audit;
      // No transaction around it: the ticket and the call's audit row are ONE statement (one
      // round trip instead of BEGIN, two inserts and COMMIT), atomic on its own. Only the
      // retry path (an existing ticket: nothing changes) writes its audit row separately.
      return write({ notFound: ['customer', t.customer_id] }, undefined, async (db) => {
        for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
          // With a key, a concurrent insert of the same (customer, key) makes this wait for
          // the other transaction and then do nothing; without a key the arbiter never
          // matches, so a duplicate id/number still raises 23505 (→ 'duplicate_ticket').
          const insert = db.insertInto('tickets')
            .values({ ...t, status: 'open', request_hash: requestHash, created_at: now, updated_at: now })
            .onConflict((oc) => oc.columns(['customer_id', 'idempotency_key']).where('idempotency_key', 'is not', null)
              .doNothing())
            .returning(TICKET_COLUMNS);
          const inserted = audit === undefined
            ? await insert.executeTakeFirst()
            : await db.with('written', () => insert).with('audited', (qb) => auditWhenWritten(qb, audit))
              .selectFrom('written').selectAll().executeTakeFirst();
          if (inserted) return { ticket: toTicket(inserted), created: true };
          if (key === null) break; // cannot happen: no arbiter conflict without a key
          const existing = await db.selectFrom('tickets').select([...TICKET_COLUMNS, 'request_hash'])
            .where('customer_id', '=', t.customer_id).where('idempotency_key', '=', key)
            .executeTakeFirst();
          if (existing) {
            if (existing.request_hash !== requestHash) {
              throw new ConflictError('idempotency_key_reused',
                'This idempotency key was already used for a different ticket request');
            }
            if (audit !== undefined) await insertAudit(db, [audit]); // a retry: nothing written but the entry
            return { ticket: toTicket(existing), created: false };
          }
          // the conflicting row was rolled back meanwhile: insert again
        }
        throw new UnavailableError(new Error('ticket insert kept conflicting without a visible row'));
      });
    },

    async getTicket(ticketId) {
      return read(async (db) => {
        const row = await db.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', ticketId).executeTakeFirst();
        return row ? toTicket(row) : null;
      });
    },

    async findTicketByIdempotencyKey(customerId, key) {
      return read(async (db) => {
        // served by the partial unique index on (customer_id, idempotency_key)
        const row = await db.selectFrom('tickets').select(TICKET_COLUMNS)
          .where('customer_id', '=', customerId).where('idempotency_key', '=', key)
          .executeTakeFirst();
        return row ? toTicket(row) : null;
      });
    },
  };
}
