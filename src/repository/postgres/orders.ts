// Orders over Postgres: one order with its lines, keyset pages, and the cancel
// compare-and-set.
import { sql } from 'kysely';
import { decodeOrderCursor, encodeOrderCursor } from '../cursor.js';
import { InvalidStateError, NotFoundError, UnavailableError } from '../errors.js';
import type { OrderRepository } from '../types.js';
import { CAS_RETRIES, clamp, nowIso, parseInstant, type PgContext } from './context.js';
import { toOrder, type RawItem } from './mappers.js';

const ORDER_COLUMNS = [
  'id', 'customer_id', 'status', 'total', 'currency', 'ordered_at', 'estimated_delivery', 'updated_at', 'cancelled_at',
] as const;

/** The order's lines, ordered by line number, as one json value (no N+1: one query per page). */
const ITEMS = sql<RawItem[]>`coalesce((
  select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price)
                  order by i.line_no)
  from order_items i where i.order_id = orders.id), '[]'::json)`.as('items');

export function postgresOrders({ read, write }: PgContext): OrderRepository {
  return {
    async getOrder(orderId) {
      return read(async (db) => {
        const row = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('id', '=', orderId)
          .executeTakeFirst();
        return row ? toOrder(row) : null;
      });
    },

    async listOrders(customerId, opts = {}) {
      const limit = clamp(opts.limit, 20, 1, 100);
      const after = opts.cursor === undefined ? undefined : decodeOrderCursor(opts.cursor);
      const afterAt = after === undefined ? undefined : parseInstant(after.ordered_at, 'cursor');
      return read(async (db) => {
        let q = db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('customer_id', '=', customerId);
        if (opts.status !== undefined) q = q.where('status', '=', opts.status);
        if (after !== undefined) {
          // keyset: strictly after the cursor in (ordered_at desc, id desc) order
          q = q.where(sql<boolean>`(ordered_at, id) < (${afterAt}::timestamptz, ${after.id})`);
        }
        const rows = await q.orderBy('ordered_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
        const orders = rows.slice(0, limit).map(toOrder);
        const last = orders[orders.length - 1];
        return {
          orders,
          next_cursor: rows.length > limit && last ? encodeOrderCursor({ ordered_at: last.ordered_at, id: last.id }) : null,
        };
      });
    },

    async cancelOrder(orderId, opts) {
      return write({ notFound: ['order', orderId] }, opts?.audit, async (db) => {
        for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
          const now = nowIso();
          // The compare-and-set: one conditional UPDATE. A concurrent canceller waits on the
          // row lock and then re-checks the WHERE, so exactly one caller changes the row.
          const changed = await db.updateTable('orders')
            .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
            .where('id', '=', orderId)
            .where('status', 'in', ['processing', 'pending'])
            .returning([...ORDER_COLUMNS, ITEMS])
            .executeTakeFirst();
          if (changed) return { order: toOrder(changed), changed: true };
          // Informational read: why did nothing change?
          const current = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('id', '=', orderId)
            .executeTakeFirst();
          if (!current) throw new NotFoundError('order', orderId);
          if (current.status === 'cancelled') return { order: toOrder(current), changed: false };
          if (current.status !== 'processing' && current.status !== 'pending') {
            throw new InvalidStateError('order', orderId, current.status,
              `Order ${orderId} is ${current.status} and can no longer be cancelled`);
          }
          // it became cancellable again between the two statements: try the CAS once more
        }
        throw new UnavailableError(new Error(`order ${orderId} kept changing during cancel`));
      });
    },
  };
}
