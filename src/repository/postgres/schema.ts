// Hand-written Kysely table types for db/migrations/*.sql. Select types are deliberately
// loose (what any pg / PGlite type-parser set might return); the row mappers in
// repository.ts normalise them to the exact domain shapes.
import type { ColumnType } from 'kysely';

/** timestamptz: our pool parses to an ISO string; a foreign pool may give a Date. */
export type Instant = ColumnType<Date | string, Date | string, Date | string>;
export type InstantWithDefault = ColumnType<Date | string, Date | string | undefined, Date | string>;
/** date: our pool keeps the raw 'YYYY-MM-DD' text; default pg parsing gives a local Date. */
export type CalendarDate = ColumnType<string | Date, string, string>;
/** numeric(13,3): our pool parses to number (exact, see domain/money.ts); default pg parsing gives a string. */
export type Money = ColumnType<number | string, number | string, number | string>;
/** int8 (bigserial): our pool parses to number; default pg parsing gives a string. Never written. */
export type Int8 = ColumnType<number | string, never, never>;

export interface CustomersTable {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  phone_key: string | null;
  username: string | null;
  account_number: string | null;
  tier: string;
  risk_level: string;
  kyc_status: string;
  status: string;
  date_of_birth: CalendarDate | null;
  postcode: string | null;
  created_at: InstantWithDefault;
  updated_at: InstantWithDefault;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  status: string;
  total: Money;
  currency: string;
  ordered_at: Instant;
  estimated_delivery: CalendarDate | null;
  updated_at: InstantWithDefault;
  cancelled_at: Instant | null;
}

export interface OrderItemsTable {
  order_id: string;
  line_no: number;
  product: string;
  quantity: number;
  unit_price: Money;
}

export interface SubscriptionsTable {
  id: string;
  customer_id: string;
  plan: string;
  status: string;
  amount: Money;
  currency: string;
  next_billing_date: CalendarDate | null;
  last_payment_date: CalendarDate | null;
  started_at: Instant;
}

export interface BillingAccountsTable {
  customer_id: string;
  balance: Money;
  currency: string;
  due_date: CalendarDate | null;
  latest_charges: string;
  payment_method: string | null;
  autopay: boolean;
  autopay_day: number | null;
  updated_at: InstantWithDefault;
}

export interface BillingChargesTable {
  id: string;
  customer_id: string;
  charged_on: CalendarDate;
  description: string;
  amount: Money;
  currency: string;
}

export interface OrderReturnsTable {
  id: string;
  order_id: string;
  customer_id: string;
  status: string;
  reason: string;
  refund_estimate: Money;
  currency: string;
  request_hash: string;
  created_at: InstantWithDefault;
  updated_at: InstantWithDefault;
}

export interface OrderReturnItemsTable {
  return_id: string;
  line_no: number;
  product: string;
  quantity: number;
}

export interface PaymentsTable {
  id: string;
  customer_id: string;
  paid_on: CalendarDate;
  amount: Money;
  currency: string;
  method: string;
}

export interface BankAccountsTable {
  id: string;
  customer_id: string;
  account_type: string;
  balance: Money;
  currency: string;
  last_updated: InstantWithDefault;
}

export interface TicketsTable {
  id: string;
  number: string;
  customer_id: string;
  category: string;
  priority: string;
  status: string;
  description: string;
  amount: Money | null;
  currency: string | null;
  conversation_id: string | null;
  idempotency_key: string | null;
  request_hash: string;
  created_at: InstantWithDefault;
  updated_at: InstantWithDefault;
}

export interface VerificationsTable {
  id: string;
  customer_id: string;
  conversation_id: string;
  principal: string;
  method: string;
  status: string;
  code_hash: string | null;
  delivered_to: string | null;
  attempts: number;
  max_attempts: number;
  expires_at: Instant;
  verified_at: Instant | null;
  created_at: InstantWithDefault;
}

export interface OutboxTable {
  id: string;
  channel: string;
  destination: string;
  body: string;
  code: string | null;
  verification_id: string | null;
  customer_id: string | null;
  expires_at: Instant | null;
  created_at: InstantWithDefault;
  sent_at: Instant | null;
}

export interface AuditLogTable {
  id: Int8;
  at: InstantWithDefault;
  conversation_id: string | null;
  tool: string;
  customer_id: string | null;
  outcome: string;
  error_code: string | null;
  duration_ms: number;
  /** jsonb; written as a JSON text parameter cast to jsonb. */
  args: ColumnType<Record<string, unknown>, string, string>;
  principal: string | null;
}

export interface RateLimitCountersTable {
  key: string;
  window_start: Instant;
  count: ColumnType<number, number | undefined, number>;
}

export interface CardsTable {
  id: string;
  customer_id: string;
  bank_account_id: string;
  brand: string;
  last4: string;
  status: string;
  block_reason: string | null;
  blocked_at: Instant | null;
  updated_at: InstantWithDefault;
}

export interface TransactionsTable {
  id: string;
  bank_account_id: string;
  posted_at: Instant;
  amount: Money;
  currency: string;
  description: string;
  merchant: string | null;
  status: string;
  balance_after: Money | null;
}

export interface HandoffsTable {
  id: string;
  conversation_id: string;
  principal: string;
  customer_id: string | null;
  customer_verified: boolean;
  reason: string;
  summary: string;
  priority: string;
  queue: string;
  status: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface CustomerPreferencesTable {
  customer_id: string;
  contact_channel: string;
  language: string;
  marketing_opt_in: boolean;
  timezone: string;
  updated_at: Instant;
}

export interface CallbacksTable {
  id: string;
  customer_id: string;
  destination: string;
  window_start: Instant;
  window_end: Instant;
  topic: string;
  status: string;
  conversation_id: string | null;
  request_key: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface Database {
  customers: CustomersTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  subscriptions: SubscriptionsTable;
  billing_accounts: BillingAccountsTable;
  payments: PaymentsTable;
  bank_accounts: BankAccountsTable;
  cards: CardsTable;
  transactions: TransactionsTable;
  customer_preferences: CustomerPreferencesTable;
  callbacks: CallbacksTable;
  tickets: TicketsTable;
  billing_charges: BillingChargesTable;
  order_returns: OrderReturnsTable;
  order_return_items: OrderReturnItemsTable;
  verifications: VerificationsTable;
  outbox: OutboxTable;
  handoffs: HandoffsTable;
  audit_log: AuditLogTable;
  rate_limit_counters: RateLimitCountersTable;
}

/** Data tables in dependency order (parents first). */
export const DATA_TABLES = [
  'customers', 'orders', 'order_items', 'subscriptions', 'billing_accounts', 'payments',
  'bank_accounts', 'cards', 'transactions', 'customer_preferences', 'callbacks', 'tickets', 'billing_charges', 'order_returns', 'order_return_items',
  'verifications', 'outbox', 'handoffs', 'audit_log', 'rate_limit_counters',
] as const satisfies readonly (keyof Database)[];
