// Shared pieces of the PromptArena contract (examples/customer-support-integrated, tool YAMLs in
// promptarena.md §3.3): the e-mail argument, the result shapes of the YAMLs' output_schema, and
// the mapping of our domain values onto the contract's narrower enums.
import { z } from 'zod';
import type { Customer, CustomerTier, Order, OrderStatus, Subscription, Ticket, TicketStatus } from '../../domain/index.js';
import type { ToolContext } from '../define.js';

/** Verbatim from the YAMLs: `email: {type: string, description: Customer email address}`. */
export const emailArg = z.string().describe('Customer email address');

/** Finds the customer by e-mail; a malformed address is an argument error, an unknown one NOT_FOUND. */
export const customerByEmail = (ctx: ToolContext, email: string): Promise<Customer> => ctx.services.customers.findByEmail(email);

/** 'YYYY-MM-DD' of an ISO instant (UTC), as the example's account_created / date. */
export const dateOf = (instant: string): string => instant.slice(0, 10);

// --- customer -----------------------------------------------------------------------------

export const ArenaTier = z.enum(['basic', 'premium', 'enterprise']);
/** The contract has no 'standard': our default paid tier maps to its entry-level 'basic'. */
export const TIER: Record<CustomerTier, z.infer<typeof ArenaTier>> = {
  basic: 'basic', standard: 'basic', premium: 'premium', enterprise: 'enterprise',
};

export const CustomerInfo = z.object({
  customer_id: z.string(),
  name: z.string(),
  email: z.string(),
  account_created: z.string(),
  tier: ArenaTier,
});

export const toCustomerInfo = (c: Customer): z.input<typeof CustomerInfo> => ({
  customer_id: c.id,
  name: c.name,
  email: c.email,
  account_created: dateOf(c.created_at),
  tier: TIER[c.tier],
});

// --- orders -------------------------------------------------------------------------------

export const ArenaOrderStatus = z.enum(['pending', 'shipped', 'delivered', 'cancelled']);
/** The contract has no 'processing': not shipped yet is 'pending' to it. */
export const ORDER_STATUS: Record<OrderStatus, z.infer<typeof ArenaOrderStatus>> = {
  processing: 'pending', pending: 'pending', shipped: 'shipped', delivered: 'delivered', cancelled: 'cancelled',
};

export const ArenaOrder = z.object({
  order_id: z.string(),
  date: z.string(),
  status: ArenaOrderStatus,
  total: z.number(),
  items: z.array(z.string()),
});

export const toArenaOrder = (o: Order): z.input<typeof ArenaOrder> => ({
  order_id: o.id,
  date: dateOf(o.ordered_at),
  status: ORDER_STATUS[o.status],
  total: o.total,
  // items are plain product names; a quantity above one is kept as "Name (x2)"
  items: o.items.map((i) => (i.quantity === 1 ? i.product : `${i.product} (x${i.quantity})`)),
});

// --- subscription -------------------------------------------------------------------------

export const SubscriptionStatus = z.object({
  subscription_id: z.string(),
  plan: z.string(),
  status: z.enum(['active', 'cancelled', 'past_due', 'trial']),
  // The YAML types both dates as string: a missing date (e.g. no next billing for a cancelled
  // subscription) is left out rather than sent as null.
  next_billing_date: z.string().optional(),
  amount: z.number(),
  last_payment_date: z.string().optional(),
});

export const toSubscriptionStatus = (s: Subscription): z.input<typeof SubscriptionStatus> => ({
  subscription_id: s.id,
  plan: s.plan,
  status: s.status,
  ...(s.next_billing_date !== null ? { next_billing_date: s.next_billing_date } : {}),
  amount: s.amount,
  ...(s.last_payment_date !== null ? { last_payment_date: s.last_payment_date } : {}),
});

// --- ticket -------------------------------------------------------------------------------

export const ArenaTicketStatus = z.enum(['open', 'assigned', 'resolved', 'closed']);
/** Work in progress (in_progress, escalated) is 'assigned' in the contract's four states. */
export const TICKET_STATUS: Record<TicketStatus, z.infer<typeof ArenaTicketStatus>> = {
  open: 'open', assigned: 'assigned', in_progress: 'assigned', escalated: 'assigned', resolved: 'resolved', closed: 'closed',
};

export const TicketReceipt = z.object({
  ticket_id: z.string(),
  status: ArenaTicketStatus,
  created_at: z.string(),
});

export const toTicketReceipt = (t: Ticket): z.input<typeof TicketReceipt> => ({
  ticket_id: t.number,
  status: TICKET_STATUS[t.status],
  // the example's form, '2024-10-23T10:30:00Z' (whole seconds)
  created_at: t.created_at.replace(/\.\d+Z$/, 'Z'),
});
