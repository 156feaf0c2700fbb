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
