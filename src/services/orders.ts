// Order use cases: reading a customer's orders and cancelling one that has not shipped.
import type { Order, OrderPage, OrderStatus } from '../domain/index.js';
import type { CancelOrderResult } from '../repository/types.js';
import { DomainService, type OwnerLookups } from './domain-service.js';
import { ServiceError } from './errors.js';

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
  #load(orderId: string): [(records: OwnerLookups) => Promise<Order | null>, () => ServiceError] {
    return [
      (records) => records.getOrder(orderId.trim()),
      () => new ServiceError('NOT_FOUND', `No order with id ${orderId}.`, { entity: 'order', key: 'id', value: orderId }),
    ];
  }

  getOrder(orderId: string): Promise<Order> {
    return this.forOwnerOf(...this.#load(orderId), (o) => o.customer_id);
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
