import { z } from 'zod';
import { Currency, IsoDate, IsoDateTime, Money } from './common.js';

export const OrderStatus = z.enum(['processing', 'pending', 'shipped', 'delivered', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;
/** Orders that have not left the warehouse may still be cancelled. */
export const CANCELLABLE_ORDER_STATUSES: readonly OrderStatus[] = ['processing', 'pending'];

export const OrderItem = z.object({
  product: z.string().min(1),
  quantity: z.number().int().positive(),
  unit_price: Money,
});
export type OrderItem = z.infer<typeof OrderItem>;

export const Order = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  status: OrderStatus,
  total: Money,
  currency: Currency,
  items: z.array(OrderItem),
  /** When the order was placed. */
  ordered_at: IsoDateTime,
  estimated_delivery: IsoDate.nullable(),
  updated_at: IsoDateTime,
  cancelled_at: IsoDateTime.nullable(),
});
export type Order = z.infer<typeof Order>;

export const OrderPage = z.object({
  orders: z.array(Order),
  /** Opaque; pass back to get the next page. null when there is none. */
  next_cursor: z.string().nullable(),
});
export type OrderPage = z.infer<typeof OrderPage>;

/** Why a customer returns items (a fixed list, so reports and rules can rely on it). */
export const ReturnReason = z.enum(['damaged', 'defective', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other']);
export type ReturnReason = z.infer<typeof ReturnReason>;

export const ReturnStatus = z.enum(['requested', 'received', 'refunded', 'rejected']);
export type ReturnStatus = z.infer<typeof ReturnStatus>;

export const ReturnItem = z.object({
  /** The order item's position, 1-based (order.items[line_no - 1]). */
  line_no: z.number().int().positive(),
  product: z.string().min(1),
  quantity: z.number().int().positive(),
});
export type ReturnItem = z.infer<typeof ReturnItem>;

/** A return (RMA) of some of a delivered order's items. */
export const OrderReturn = z.object({
  id: z.string().min(1),
  order_id: z.string().min(1),
  customer_id: z.string().min(1),
  status: ReturnStatus,
  reason: ReturnReason,
  items: z.array(ReturnItem).min(1),
  /** What the refund will be: the returned units at their unit prices, in the order's currency. */
  refund_estimate: Money,
  currency: Currency,
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type OrderReturn = z.infer<typeof OrderReturn>;

/** Units of each order line (1-based) not yet in a return (rejected returns give theirs back). */
export const returnableUnits = (order: Order, earlier: readonly Pick<OrderReturn, 'status' | 'items'>[]): Map<number, number> => {
  const left = new Map(order.items.map((item, i) => [i + 1, item.quantity]));
  for (const r of earlier) {
    if (r.status === 'rejected') continue;
    for (const i of r.items) left.set(i.line_no, (left.get(i.line_no) ?? 0) - i.quantity);
  }
  return left;
};
