// Order use cases: reading a customer's orders and cancelling one that has not shipped.
import { createHash } from 'node:crypto';
import type { Order, OrderPage, OrderReturn, OrderStatus, ReturnReason } from '../domain/index.js';
import type { SupportRepository } from '../repository/types.js';
import type { CancelOrderResult, RequestReturnResult } from '../repository/types.js';
import { DomainService, type DomainServiceOptions, type OwnerLookups } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';
import { newReference } from './ids.js';

/** Days after delivery a return may be requested, by default. */
export const DEFAULT_RETURN_WINDOW_DAYS = 30;

export interface OrderServiceOptions extends DomainServiceOptions {
  /** Days after delivery (a delivered order's estimated_delivery) a return may be requested; default 30. */
  returnWindowDays?: number;
}

export interface ReturnRequestItem {
  /** The product's name as the order shows it (case and surrounding spaces ignored). */
  product: string;
  quantity: number;
}

export interface OrderDetails {
  order: Order;
  /** Oldest first; empty when the order has none. */
  returns: OrderReturn[];
}

const MAX_RETURN_LINES = 100;

export interface CancelOrderOptions {
  /**
   * Refuse an order that is already cancelled (INVALID_STATE, state cancelled) instead of
   * reporting changed=false: for contracts where cancelling "only works" on a live order.
   * Nothing is written either way.
   */
  refuseCancelled?: boolean;
}

/** Page size used to read all of a customer's orders. */
const PAGE = 100;

export class OrderService extends DomainService {
  readonly #returnWindowDays: number;

  constructor(repo: SupportRepository, opts: OrderServiceOptions = {}) {
    super(repo, opts);
    this.#returnWindowDays = opts.returnWindowDays ?? DEFAULT_RETURN_WINDOW_DAYS;
  }

  #load(orderId: string): [(records: OwnerLookups) => Promise<Order | null>, () => ServiceError] {
    return [
      (records) => records.getOrder(orderId.trim()),
      () => new ServiceError('NOT_FOUND', `No order with id ${orderId}.`, { entity: 'order', key: 'id', value: orderId }),
    ];
  }

  getOrder(orderId: string): Promise<Order> {
    return this.forOwnerOf(...this.#load(orderId), (o) => o.customer_id);
  }

  /** The order and its returns (oldest first). */
  getOrderDetails(orderId: string): Promise<OrderDetails> {
    return this.forOwnerOf(
      (records) => records.getOrderWithReturns(orderId.trim()),
      this.#load(orderId)[1],
      (d) => d.order.customer_id,
    );
  }

  getReturn(returnId: string): Promise<OrderReturn> {
    return this.forOwnerOf(
      (records) => records.getReturn(returnId.trim()),
      () => new ServiceError('NOT_FOUND', `No return with id ${returnId}.`, { entity: 'return', key: 'id', value: returnId }),
      (r) => r.customer_id,
    );
  }

  /**
   * Starts a return (RMA, status requested) of some of a delivered order's items: only within
   * the return window (default 30 days from delivery), never more units than were bought minus
   * those already returned (checked atomically with the insert, so concurrent requests cannot
   * over-return), with a refund estimate in the order's currency. An identical request again
   * (same items, quantities and reason) returns the first return with created=false.
   */
  requestReturn(orderId: string, items: ReturnRequestItem[], reason: ReturnReason, now: Date = new Date()): Promise<RequestReturnResult> {
    if (items.length === 0 || items.length > MAX_RETURN_LINES) throw invalidField('items', 'List the items to return (product and quantity), at least one.', 'must list 1 to 100 items');
    for (const item of items) {
      if (!Number.isInteger(item.quantity) || item.quantity < 1) throw invalidField('items', 'Each quantity must be a whole number of at least 1.', 'quantity must be >= 1');
    }
    const names = items.map((i) => i.product.trim().toLowerCase());
    if (new Set(names).size !== names.length) throw invalidField('items', 'List each product once, with the total quantity to return.', 'duplicate product');
    return this.forOwnerOf(...this.#load(orderId), (o) => o.customer_id, async (order, scope) => {
      const lines = items.map((item) => {
        const want = item.product.trim().toLowerCase();
        const matches = order.items.flatMap((line, i) => (line.product.trim().toLowerCase() === want ? [i + 1] : []));
        if (matches.length !== 1) {
          const products = order.items.map((l) => l.product).join(', ');
          throw invalidField('items', `Order ${order.id} has no product "${item.product.slice(0, 60)}"; its products are: ${products}.`, 'unknown product');
        }
        return { line_no: matches[0]!, quantity: item.quantity };
      }).sort((a, b) => a.line_no - b.line_no);
      const requestHash = createHash('sha256').update(JSON.stringify([lines, reason])).digest('hex');
      const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - this.#returnWindowDays));
      return scope.requestReturn(order, {
        id: newReference('RMA'), reason, items: lines, requestHash, deliveredOnOrAfter: day.toISOString().slice(0, 10),
      });
    });
  }

  /** Newest first, one page. NOT_FOUND for an unknown customer (clearer than an empty list for a typo'd id). */
  listOrders(customerId: string, opts: { status?: OrderStatus; limit?: number; cursor?: string } = {}): Promise<OrderPage> {
    return this.forCustomer(customerId, async (scope) => {
      await scope.customer();
      return scope.orders(opts);
    });
  }

  /** All of a customer's orders, newest first, at most `max` (the newest). */
  async allOrders(customerId: string, max: number): Promise<Order[]> {
    const out: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listOrders(customerId, { limit: PAGE, cursor });
      out.push(...page.orders);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && out.length < max);
    return out.slice(0, max);
  }

  /**
   * Cancels an order that has not shipped (processing/pending); INVALID_STATE with the current
   * status otherwise. Whose order it is is checked BEFORE the atomic cancel (an order never
   * changes owner).
   */
  cancelOrder(orderId: string, opts: CancelOrderOptions = {}): Promise<CancelOrderResult> {
    return this.forOwnerOf(...this.#load(orderId), (o) => o.customer_id, async (order, scope) => {
      const result = await scope.cancelOrder(order);
      if (!result.changed && opts.refuseCancelled === true) {
        throw new ServiceError('INVALID_STATE', `Order ${result.order.id} has already been cancelled.`, {
          entity: 'order', key: 'id', value: result.order.id, state: 'cancelled',
        });
      }
      return result;
    });
  }
}
