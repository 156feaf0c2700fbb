// Argument schemas and result views of the blackbird contract (seed 003), plus the mapping
// from domain records to the contract's flat shapes. Presentation only: no data access.
import { z } from 'zod';
import type { Customer, Order, OrderStatus } from '../../domain/index.js';

// ---------------------------------------------------------------------------------------------
// Arguments: names, descriptions, enums and patterns exactly as the contract writes them.

export const LOOKUP_KEYS = ['email', 'phone', 'username'] as const;

export const lookupArgs = z.object({
  key: z.enum(LOOKUP_KEYS).describe('The field to search by (email, phone, or username)'),
  value: z.string().describe('The value to search for in the specified field'),
});

export const orderIdArg = (description: string) =>
  z.string().regex(/^\d{5}$/, 'must be a 5-digit order ID, e.g. 24601').describe(description);

export const customerIdArg = z
  .string()
  .regex(/^\d{7}$/, 'must be a 7-digit customer ID, e.g. 1213210')
  .describe('The 7-digit customer ID');

// The contract says `format: email`. z.email() would also emit a long `pattern`, so the check
// is a refine (invisible to JSON Schema) and `format` is added by patchInputJsonSchema.
const emailFormat = z.email();
export const emailArg = z
  .string()
  .refine((v) => emailFormat.safeParse(v).success, 'must be a valid email address')
  .describe('New email address (optional)');

export const phoneArg = z
  .string()
  .regex(/^\d{3}-\d{3}-\d{4}$/, 'must be a phone number in format XXX-XXX-XXXX')
  .describe('New phone number in format XXX-XXX-XXXX (optional)');

// ---------------------------------------------------------------------------------------------
// Results.

/** The contract's four order statuses (the fastapi-demo CHECK constraint). */
export const BlackbirdStatus = z.enum(['Processing', 'Shipped', 'Delivered', 'Cancelled']);
export type BlackbirdStatus = z.infer<typeof BlackbirdStatus>;

export const BlackbirdUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  username: z.string().nullable(),
});
export type BlackbirdUser = z.infer<typeof BlackbirdUser>;

export const BlackbirdOrder = z.object({
  id: z.string(),
  customer_id: z.string(),
  product: z.string(),
  quantity: z.number().int(),
  price: z.number(),
  status: BlackbirdStatus,
});
export type BlackbirdOrder = z.infer<typeof BlackbirdOrder>;

const STATUS: Record<OrderStatus, BlackbirdStatus> = {
  processing: 'Processing',
  // `pending` is not one of the contract's statuses; like processing it has not shipped and
  // can still be cancelled, which is exactly what the contract's Processing means.
  pending: 'Processing',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export const presentStatus = (status: string): string =>
  STATUS[status as OrderStatus] ?? status.charAt(0).toUpperCase() + status.slice(1);

export const toBlackbirdUser = (c: Customer): BlackbirdUser => ({
  id: c.id, name: c.name, email: c.email, phone: c.phone, username: c.username,
});

/**
 * The contract has one product line per order. A one-item order is that item verbatim
 * (price = unit price, as in the course data). A multi-item order becomes one line listing
 * every item ("2 x USB-C Charging Cable, Laptop Stand") with quantity 1 and price = the order
 * total, so quantity × price is what was charged, as for every single-item order.
 */
export const toBlackbirdOrder = (o: Order): BlackbirdOrder => {
  const base = { id: o.id, customer_id: o.customer_id, status: STATUS[o.status] };
  const [only, ...rest] = o.items;
  if (only && rest.length === 0) {
    return { ...base, product: only.product, quantity: only.quantity, price: only.unit_price };
  }
  const product = o.items.map((i) => (i.quantity === 1 ? i.product : `${i.quantity} x ${i.product}`)).join(', ');
  return { ...base, product: product || '(no items)', quantity: o.items.length === 0 ? 0 : 1, price: o.total };
};

/** Oldest first, as in the contract's example (24601 before 13579). */
export const oldestFirst = (orders: Order[]): Order[] =>
  [...orders].sort((a, b) => cmp(a.ordered_at, b.ordered_at) || cmp(a.id, b.id));

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
