// Row → domain mappers. They accept what any pg/PGlite parser set may return (Date or ISO
// string for instants, string or Date for dates, string or number for numeric/int8) and
// produce exactly the domain shapes: numbers, 'YYYY-MM-DD', ISO instants, null never undefined.
import type { Selectable } from 'kysely';
import type {
  AuditEntry, BankAccount, BillingAccount, BillingCharge, Customer, Order, OrderItem, Payment, Subscription, Ticket,
  Callback, Card, Handoff, Preferences, Transaction,
  Verification,
} from '../../domain/index.js';
import type { OutboxMessage } from '../types.js';
import type {
  AuditLogTable, BankAccountsTable, BillingAccountsTable, BillingChargesTable, CustomersTable, OrdersTable,
  OutboxTable, PaymentsTable, CallbacksTable, CardsTable, CustomerPreferencesTable, HandoffsTable, TransactionsTable,
  SubscriptionsTable, TicketsTable, VerificationsTable,
} from './schema.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** An instant as Date#toISOString(). */
export const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();
export const isoOrNull = (v: Date | string | null | undefined): string | null => (v == null ? null : iso(v));

/** A calendar date as 'YYYY-MM-DD' (a Date from pg's default parser is local midnight). */
export const day = (v: string | Date): string =>
  typeof v === 'string' ? v.slice(0, 10) : `${v.getFullYear()}-${pad2(v.getMonth() + 1)}-${pad2(v.getDate())}`;
export const dayOrNull = (v: string | Date | null | undefined): string | null => (v == null ? null : day(v));

export const num = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: number | string | null | undefined): number | null => (v == null ? null : num(v));

export const toCustomer = (r: Selectable<CustomersTable>): Customer => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone ?? null,
  username: r.username ?? null,
  account_number: r.account_number ?? null,
  tier: r.tier as Customer['tier'],
  risk_level: r.risk_level as Customer['risk_level'],
  kyc_status: r.kyc_status as Customer['kyc_status'],
  status: r.status as Customer['status'],
  date_of_birth: dayOrNull(r.date_of_birth),
  postcode: r.postcode ?? null,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});

export interface RawItem {
  product: string;
  quantity: number | string;
  unit_price: number | string;
}

export const toOrderItem = (i: RawItem): OrderItem => ({
  product: i.product,
  quantity: num(i.quantity),
  unit_price: num(i.unit_price),
});

export type OrderRow = Selectable<OrdersTable> & { items: RawItem[] | string | null };

export const toOrder = (r: OrderRow): Order => {
  // json arrives parsed from pg; tolerate a driver that hands back the text
  const items = typeof r.items === 'string' ? (JSON.parse(r.items) as RawItem[]) : (r.items ?? []);
  return {
    id: r.id,
    customer_id: r.customer_id,
    status: r.status as Order['status'],
    total: num(r.total),
    currency: r.currency,
    items: items.map(toOrderItem),
    ordered_at: iso(r.ordered_at),
    estimated_delivery: dayOrNull(r.estimated_delivery),
    updated_at: iso(r.updated_at),
    cancelled_at: isoOrNull(r.cancelled_at),
  };
};

export const toSubscription = (r: Selectable<SubscriptionsTable>): Subscription => ({
  id: r.id,
  customer_id: r.customer_id,
  plan: r.plan,
  status: r.status as Subscription['status'],
  amount: num(r.amount),
  currency: r.currency,
  next_billing_date: dayOrNull(r.next_billing_date),
  last_payment_date: dayOrNull(r.last_payment_date),
  started_at: iso(r.started_at),
});

export const toBillingAccount = (r: Selectable<BillingAccountsTable>): BillingAccount => ({
  customer_id: r.customer_id,
  balance: num(r.balance),
  currency: r.currency,
  due_date: dayOrNull(r.due_date),
  latest_charges: r.latest_charges,
  payment_method: r.payment_method ?? null,
  autopay: r.autopay,
  autopay_day: r.autopay_day == null ? null : num(r.autopay_day),
  updated_at: iso(r.updated_at),
});

export const toCharge = (r: Selectable<BillingChargesTable>): BillingCharge => ({
  id: r.id,
  customer_id: r.customer_id,
  charged_on: day(r.charged_on),
  description: r.description,
  amount: num(r.amount),
  currency: r.currency,
});

export const toPayment = (r: Selectable<PaymentsTable>): Payment => ({
  id: r.id,
  customer_id: r.customer_id,
  paid_on: day(r.paid_on),
  amount: num(r.amount),
  currency: r.currency,
  method: r.method,
});

export const toBankAccount = (r: Selectable<BankAccountsTable>): BankAccount => ({
  id: r.id,
  customer_id: r.customer_id,
  account_type: r.account_type as BankAccount['account_type'],
  balance: num(r.balance),
  currency: r.currency,
  last_updated: iso(r.last_updated),
});

export const toTicket = (r: Omit<Selectable<TicketsTable>, 'request_hash'>): Ticket => ({
  id: r.id,
  number: r.number,
  customer_id: r.customer_id,
  category: r.category as Ticket['category'],
  priority: r.priority as Ticket['priority'],
  status: r.status as Ticket['status'],
  description: r.description,
  amount: numOrNull(r.amount),
  currency: r.currency ?? null,
  conversation_id: r.conversation_id ?? null,
  idempotency_key: r.idempotency_key ?? null,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});

export const toVerification = (r: Selectable<VerificationsTable>): Verification => ({
  id: r.id,
  customer_id: r.customer_id,
  conversation_id: r.conversation_id,
  principal: r.principal,
  method: r.method as Verification['method'],
  status: r.status as Verification['status'],
  code_hash: r.code_hash ?? null,
  delivered_to: r.delivered_to ?? null,
  attempts: num(r.attempts),
  max_attempts: num(r.max_attempts),
  expires_at: iso(r.expires_at),
  verified_at: isoOrNull(r.verified_at),
  created_at: iso(r.created_at),
});

export const toOutboxMessage = (r: Selectable<OutboxTable>): OutboxMessage => ({
  id: r.id,
  channel: r.channel as OutboxMessage['channel'],
  destination: r.destination,
  body: r.body,
  code: r.code ?? null,
  verification_id: r.verification_id ?? null,
  customer_id: r.customer_id ?? null,
  expires_at: isoOrNull(r.expires_at),
  created_at: iso(r.created_at),
  sent_at: isoOrNull(r.sent_at),
});

export const toAuditEntry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  id: num(r.id),
  at: iso(r.at),
  conversation_id: r.conversation_id ?? null,
  tool: r.tool,
  customer_id: r.customer_id ?? null,
  outcome: r.outcome as AuditEntry['outcome'],
  error_code: r.error_code ?? null,
  duration_ms: num(r.duration_ms),
  args: (typeof r.args === 'string' ? JSON.parse(r.args) : r.args) as Record<string, unknown>,
  principal: r.principal ?? null,
});

export const toCard = (r: Selectable<CardsTable>): Card => ({
  id: r.id,
  customer_id: r.customer_id,
  bank_account_id: r.bank_account_id,
  brand: r.brand as Card['brand'],
  last4: r.last4,
  status: r.status as Card['status'],
  block_reason: (r.block_reason ?? null) as Card['block_reason'],
  blocked_at: isoOrNull(r.blocked_at),
  updated_at: iso(r.updated_at),
});

export const toTransaction = (r: Selectable<TransactionsTable>): Transaction => ({
  id: r.id,
  bank_account_id: r.bank_account_id,
  posted_at: iso(r.posted_at),
  amount: num(r.amount),
  currency: r.currency,
  description: r.description,
  merchant: r.merchant ?? null,
  status: r.status as Transaction['status'],
  balance_after: numOrNull(r.balance_after),
});

export const toHandoff = (r: Selectable<HandoffsTable>): Handoff => ({
  id: r.id,
  conversation_id: r.conversation_id,
  principal: r.principal,
  customer_id: r.customer_id ?? null,
  customer_verified: r.customer_verified,
  reason: r.reason as Handoff['reason'],
  summary: r.summary,
  priority: r.priority as Handoff['priority'],
  queue: r.queue as Handoff['queue'],
  status: r.status as Handoff['status'],
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});

export const toPreferences = (r: Selectable<CustomerPreferencesTable>): Preferences => ({
  customer_id: r.customer_id,
  contact_channel: r.contact_channel as Preferences['contact_channel'],
  language: r.language,
  marketing_opt_in: r.marketing_opt_in,
  timezone: r.timezone,
  updated_at: iso(r.updated_at),
});

export const toCallback = (r: Pick<Selectable<CallbacksTable>, 'id' | 'customer_id' | 'destination' | 'window_start' | 'window_end' | 'topic' | 'status' | 'conversation_id' | 'created_at' | 'updated_at'>): Callback => ({
  id: r.id,
  customer_id: r.customer_id,
  destination: r.destination,
  window_start: iso(r.window_start),
  window_end: iso(r.window_end),
  topic: r.topic,
  status: r.status as Callback['status'],
  conversation_id: r.conversation_id ?? null,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});
