// Orders over Postgres: one order with its lines, keyset pages, and the cancel
// compare-and-set.
import { sql, type Kysely, type Selectable } from 'kysely';
import { minorToDecimal, returnableUnits, toMinor, type Order, type OrderReturn } from '../../domain/index.js';
import { KeyedBatch } from './batch.js';
import { decodeOrderCursor, encodeOrderCursor } from '../cursor.js';
import { ConflictError, InvalidStateError, NotFoundError, UnavailableError, ValidationError } from '../errors.js';
import type { OrderRepository } from '../types.js';
import { CAS_RETRIES, clamp, nowIso, parseInstant, type PgContext } from './context.js';
import { iso, num, toOrder, type RawItem } from './mappers.js';
import type { Database, OrderReturnsTable } from './schema.js';

const ORDER_COLUMNS = [
  'id', 'customer_id', 'status', 'total', 'currency', 'ordered_at', 'estimated_delivery', 'updated_at', 'cancelled_at',
] as const;

/** The order's lines, ordered by line number, as one json value (no N+1: one query per page). */
const ITEMS = sql<RawItem[]>`coalesce((
  select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price)
                  order by i.line_no)
  from order_items i where i.order_id = orders.id), '[]'::json)`.as('items');

export function postgresOrders(ctx: PgContext): OrderRepository {
  const { read, write } = ctx;
  return {
    ...postgresReturns(ctx),
    ...postgresOrderWithReturns(ctx),
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

const RETURN_COLUMNS = [
  'id', 'order_id', 'customer_id', 'status', 'reason', 'refund_estimate', 'currency', 'created_at', 'updated_at',
] as const;

/** The return's lines, by line number, as one json value. */
const RETURN_ITEMS = sql<{ line_no: number; product: string; quantity: number }[]>`coalesce((
  select json_agg(json_build_object('line_no', i.line_no, 'product', i.product, 'quantity', i.quantity) order by i.line_no)
  from order_return_items i where i.return_id = order_returns.id), '[]'::json)`.as('items');

type ReturnRow = Selectable<OrderReturnsTable> & { items: unknown };

const toReturn = (r: Omit<ReturnRow, 'request_hash'>): OrderReturn => {
  const items = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as { line_no: number | string; product: string; quantity: number | string }[];
  return {
    id: r.id,
    order_id: r.order_id,
    customer_id: r.customer_id,
    status: r.status as OrderReturn['status'],
    reason: r.reason as OrderReturn['reason'],
    items: items.map((i) => ({ line_no: num(i.line_no), product: i.product, quantity: num(i.quantity) })),
    refund_estimate: num(r.refund_estimate),
    currency: r.currency,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
};

/** Runs fn in a transaction: the write's own (with an audit entry) or a new one. */
const inTransaction = <T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

export function postgresReturns({ read, write }: PgContext): Pick<OrderRepository, 'requestReturn' | 'getReturn' | 'listReturns'> {
  const listFor = (db: Kysely<Database>, orderId: string) =>
    db.selectFrom('order_returns').select([...RETURN_COLUMNS, RETURN_ITEMS]).where('order_id', '=', orderId)
      .orderBy('created_at').orderBy('id').execute();
  return {
    async requestReturn(input, opts) {
      return write({ notFound: ['order', input.orderId] }, opts?.audit, (outer) => inTransaction(outer, async (db) => {
        // The order row lock serialises every return of this order: the units left are
        // counted and the new return inserted with no other request in between.
        const order = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('id', '=', input.orderId)
          .forUpdate().executeTakeFirst();
        if (!order) throw new NotFoundError('order', input.orderId);
        const o = toOrder(order);
        const earlier = (await listFor(db, o.id)).map(toReturn);
        const hashes = await db.selectFrom('order_returns').select(['id']).where('order_id', '=', o.id)
          .where('request_hash', '=', input.requestHash).executeTakeFirst();
        if (hashes) return { orderReturn: earlier.find((r) => r.id === hashes.id)!, created: false };
        if (o.status !== 'delivered') {
          throw new InvalidStateError('order', o.id, o.status, `Order ${o.id} is ${o.status}; only delivered orders can be returned`);
        }
        if (o.estimated_delivery === null || o.estimated_delivery < input.deliveredOnOrAfter) {
          throw new InvalidStateError('return', o.id, 'window_closed', `The return window of order ${o.id} has closed`);
        }
        const left = returnableUnits(o, earlier);
        let refundMinor = 0;
        const items = input.items.map(({ line_no, quantity }) => {
          const line = o.items[line_no - 1];
          if (!line || !Number.isInteger(quantity) || quantity < 1) throw new ValidationError(`order ${o.id} has no line ${line_no}`);
          if (quantity > (left.get(line_no) ?? 0)) {
            throw new ConflictError('return_quantity_exceeded', `Only ${left.get(line_no) ?? 0} of ${line.product} can still be returned`);
          }
          refundMinor += quantity * toMinor(line.unit_price, o.currency);
          return { line_no, product: line.product, quantity };
        });
        if (items.length === 0) throw new ValidationError('a return needs at least one item');
        const now = nowIso();
        await db.insertInto('order_returns').values({
          id: input.id, order_id: o.id, customer_id: o.customer_id, status: 'requested', reason: input.reason,
          refund_estimate: minorToDecimal(refundMinor, o.currency), currency: o.currency, request_hash: input.requestHash,
          created_at: now, updated_at: now,
        }).execute();
        await db.insertInto('order_return_items').values(items.map((i) => ({ return_id: input.id, ...i }))).execute();
        const created = await db.selectFrom('order_returns').select([...RETURN_COLUMNS, RETURN_ITEMS]).where('id', '=', input.id)
          .executeTakeFirstOrThrow();
        return { orderReturn: toReturn(created), created: true };
      }));
    },

    async getReturn(returnId) {
      return read(async (db) => {
        const row = await db.selectFrom('order_returns').select([...RETURN_COLUMNS, RETURN_ITEMS]).where('id', '=', returnId)
          .executeTakeFirst();
        return row ? toReturn(row) : null;
      });
    },

    async listReturns(orderId) {
      return read(async (db) => (await listFor(db, orderId)).map(toReturn));
    },
  };
}

/** The order's returns (oldest first) with their lines, as one json value: get_order in one statement. */
const RETURNS = sql<ReturnRow[]>`coalesce((
  select json_agg(json_build_object(
    'id', r.id, 'order_id', r.order_id, 'customer_id', r.customer_id, 'status', r.status, 'reason', r.reason,
    'refund_estimate', r.refund_estimate, 'currency', r.currency, 'created_at', r.created_at, 'updated_at', r.updated_at,
    'items', coalesce((
      select json_agg(json_build_object('line_no', i.line_no, 'product', i.product, 'quantity', i.quantity) order by i.line_no)
      from order_return_items i where i.return_id = r.id), '[]'::json)
  ) order by r.created_at, r.id)
  from order_returns r where r.order_id = orders.id), '[]'::json)`.as('returns');

export function postgresOrderWithReturns({ read }: PgContext): Pick<OrderRepository, 'getOrderWithReturns'> {
  // get_order's read: concurrent ones share a statement (batch.ts)
  const byId = new KeyedBatch<{ order: Order; returns: OrderReturn[] }>((ids) => read(async (db) => {
    const rows = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS, RETURNS]).where('id', '=', sql<string>`any(${ids}::text[])`)
      .execute();
    return new Map(rows.map(({ returns, ...order }) => {
      const list = (typeof returns === 'string' ? JSON.parse(returns) : returns) as ReturnRow[];
      return [order.id, { order: toOrder(order), returns: list.map(toReturn) }];
    }));
  }));
  return {
    getOrderWithReturns: (orderId) => byId.load(orderId),
  };
}
