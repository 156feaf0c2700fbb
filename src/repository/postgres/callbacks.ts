// Callbacks over Postgres. Scheduling is one transaction that first locks the customer's row:
// concurrent schedules for one customer run one after the other, so the open-callback count
// and the insert cannot interleave, and an identical request finds the first one's row.
import { Callback } from '../../domain/index.js';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import type { CallbackRepository } from '../types.js';
import { nowIso, parseInstant, type PgContext } from './context.js';
import { toCallback } from './mappers.js';

const CALLBACK_COLUMNS = [
  'id', 'customer_id', 'destination', 'window_start', 'window_end', 'topic', 'status', 'conversation_id', 'created_at', 'updated_at',
] as const;

export function postgresCallbacks({ read, write, writeTransaction }: PgContext): CallbackRepository {
  return {
    async scheduleCallback(input, maxOpen, opts) {
      const now = nowIso();
      const { request_key: requestKey, ...fields } = input;
      const row = {
        ...fields,
        window_start: parseInstant(input.window_start, 'window_start'),
        window_end: parseInstant(input.window_end, 'window_end'),
        status: 'scheduled' as const,
        created_at: now,
        updated_at: now,
      };
      if (!Callback.safeParse(row).success || typeof requestKey !== 'string' || requestKey === '') throw new ValidationError('invalid callback');
      return writeTransaction({ notFound: ['customer', input.customer_id] }, opts?.audit, async (db) => {
        const customer = await db.selectFrom('customers').select('id').where('id', '=', input.customer_id).forUpdate().executeTakeFirst();
        if (!customer) throw new NotFoundError('customer', input.customer_id);
        const existing = await db.selectFrom('callbacks').select(CALLBACK_COLUMNS)
          .where('customer_id', '=', input.customer_id).where('request_key', '=', requestKey).where('status', '=', 'scheduled')
          .executeTakeFirst();
        if (existing) return { callback: toCallback(existing), created: false };
        const open = await db.selectFrom('callbacks').select((eb) => eb.fn.countAll<string>().as('n'))
          .where('customer_id', '=', input.customer_id).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
        if (Number(open.n) >= maxOpen) {
          throw new ConflictError('callback_limit_reached', `Customer ${input.customer_id} already has ${maxOpen} scheduled callbacks`);
        }
        const inserted = await db.insertInto('callbacks').values({ ...row, request_key: requestKey }).returning(CALLBACK_COLUMNS).executeTakeFirstOrThrow();
        return { callback: toCallback(inserted), created: true };
      });
    },

    async getCallback(id) {
      return read(async (db) => {
        const row = await db.selectFrom('callbacks').select(CALLBACK_COLUMNS).where('id', '=', id).executeTakeFirst();
        return row ? toCallback(row) : null;
      });
    },

    async listCallbacks(customerId, status) {
      return read(async (db) => {
        let q = db.selectFrom('callbacks').select(CALLBACK_COLUMNS).where('customer_id', '=', customerId);
        if (status !== undefined) q = status.length === 0 ? q.where('id', '=', '') : q.where('status', 'in', status);
        const rows = await q.orderBy('window_start', 'asc').orderBy('id', 'asc').execute();
        return rows.map(toCallback);
      });
    },

    async cancelCallback(id, opts) {
      return write({ notFound: ['callback', id] }, opts?.audit, async (db) => {
        const changed = await db.updateTable('callbacks').set({ status: 'cancelled', updated_at: nowIso() })
          .where('id', '=', id).where('status', '=', 'scheduled').returning(CALLBACK_COLUMNS).executeTakeFirst();
        if (changed) return { callback: toCallback(changed), changed: true };
        const current = await db.selectFrom('callbacks').select(CALLBACK_COLUMNS).where('id', '=', id).executeTakeFirst();
        if (!current) throw new NotFoundError('callback', id);
        if (current.status === 'completed') throw new InvalidStateError('callback', id, 'completed', `Callback ${id} has already taken place`);
        return { callback: toCallback(current), changed: false };
      });
    },
  };
}
