import { z } from 'zod';
import { Currency, IsoDateTime, Money } from './common.js';

/** Union of the categories used by the support, arena and banking contracts. */
export const TicketCategory = z.enum([
  'billing', 'shipping', 'technical', 'account', 'order', 'delivery',
  'fraud', 'dispute', 'chargeback', 'account_issue', 'transaction_inquiry', 'other',
]);
export const TicketPriority = z.enum(['low', 'medium', 'high', 'urgent']);
export const TicketStatus = z.enum(['open', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed']);
export type TicketCategory = z.infer<typeof TicketCategory>;
export type TicketPriority = z.infer<typeof TicketPriority>;
export type TicketStatus = z.infer<typeof TicketStatus>;

export const Ticket = z.object({
  id: z.string().min(1),
  /** Human-facing reference, e.g. CASE-FRD-2024-001 or TICK-1001. */
  number: z.string().min(1),
  customer_id: z.string().min(1),
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  description: z.string().min(1),
  amount: Money.nullable(),
  currency: Currency.nullable(),
  conversation_id: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type Ticket = z.infer<typeof Ticket>;

export const NewTicket = z.object({
  id: z.string().min(1),
  number: z.string().min(1),
  customer_id: z.string().min(1),
  category: TicketCategory,
  priority: TicketPriority,
  description: z.string().min(1).max(10_000),
  amount: Money.nullable().default(null),
  currency: Currency.nullable().default(null),
  conversation_id: z.string().nullable().default(null),
  /** Scoped per customer; a retry with the same key and the same request returns the first ticket. */
  idempotency_key: z.string().min(1).max(200).nullable().default(null),
});
export type NewTicket = z.input<typeof NewTicket>;
