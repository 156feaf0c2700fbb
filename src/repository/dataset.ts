// The data-set format shared by fixtures/ (the demo store) and `support-mcp db seed`.
// One file per collection: <name>.json (an array) or <name>.jsonl (one object per line,
// for generated sets too large for one JSON.parse). Optional fields have defaults so the
// hand-written fixtures stay readable; everything is validated before use.
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import {
  isExactAmount, minorDigits, phoneKey, BankAccount, BillingAccount, BillingCharge, Customer, Order, Payment,
  Subscription, Ticket, Callback, Card, Preferences, Transaction,
} from '../domain/index.js';

/** An amount exact in its currency's minor units (money.ts): JPY 0 decimals, USD 2, KWD 3. */
const exactIn = (amount: number | null, currency: string | null): boolean =>
  amount === null || currency === null || isExactAmount(amount, currency);
const inexact = (currency: string | null) =>
  `not an exact ${currency} amount: ${currency} has ${currency === null ? 2 : minorDigits(currency)} decimals`;

const DatasetCustomer = Customer.extend({
  phone: Customer.shape.phone.default(null),
  username: Customer.shape.username.default(null),
  account_number: Customer.shape.account_number.default(null),
  tier: Customer.shape.tier.default('standard'),
  risk_level: Customer.shape.risk_level.default('low'),
  kyc_status: Customer.shape.kyc_status.default('pending'),
  status: Customer.shape.status.default('active'),
  date_of_birth: Customer.shape.date_of_birth.default(null),
  postcode: Customer.shape.postcode.default(null),
  updated_at: Customer.shape.updated_at.optional(),
}).transform((c) => ({ ...c, updated_at: c.updated_at ?? c.created_at }));

const DatasetOrder = Order.extend({
  currency: Order.shape.currency.default('USD'),
  estimated_delivery: Order.shape.estimated_delivery.default(null),
  cancelled_at: Order.shape.cancelled_at.default(null),
  updated_at: Order.shape.updated_at.optional(),
}).transform((o) => ({ ...o, updated_at: o.updated_at ?? o.ordered_at }))
  .refine((o) => exactIn(o.total, o.currency) && o.items.every((i) => exactIn(i.unit_price, o.currency)), {
    message: 'total or a unit_price is not an exact amount of the order currency',
  });

const DatasetBillingAccount = BillingAccount.extend({
  autopay_day: BillingAccount.shape.autopay_day.default(null),
}).refine((b) => exactIn(b.balance, b.currency), { path: ['balance'], error: (i) => inexact((i.input as BillingAccount).currency) });

const DatasetTicket = Ticket.extend({
  amount: Ticket.shape.amount.default(null),
  currency: Ticket.shape.currency.default(null),
  conversation_id: Ticket.shape.conversation_id.default(null),
  idempotency_key: Ticket.shape.idempotency_key.default(null),
  updated_at: Ticket.shape.updated_at.optional(),
}).transform((t) => ({ ...t, updated_at: t.updated_at ?? t.created_at }));

const DatasetCard = Card.extend({
  block_reason: Card.shape.block_reason.default(null),
  blocked_at: Card.shape.blocked_at.default(null),
  updated_at: Card.shape.updated_at.optional(),
}).transform((c) => ({ ...c, updated_at: c.updated_at ?? c.blocked_at ?? '2024-01-01T00:00:00.000Z' }));

const DatasetTransaction = Transaction.extend({
  currency: Transaction.shape.currency.default('USD'),
  merchant: Transaction.shape.merchant.default(null),
  balance_after: Transaction.shape.balance_after.default(null),
});

export const DATASET_SCHEMAS = {
  customers: DatasetCustomer,
  orders: DatasetOrder,
  subscriptions: Subscription.refine((s) => exactIn(s.amount, s.currency), { path: ['amount'], message: 'not an exact amount of its currency' }),
  billing_accounts: DatasetBillingAccount,
  payments: Payment.refine((p) => exactIn(p.amount, p.currency), { path: ['amount'], message: 'not an exact amount of its currency' }),
  bank_accounts: BankAccount.refine((b) => exactIn(b.balance, b.currency), { path: ['balance'], message: 'not an exact amount of its currency' }),
  tickets: DatasetTicket.refine((t) => exactIn(t.amount, t.currency), { path: ['amount'], message: 'not an exact amount of its currency' }),
  charges: BillingCharge.refine((c) => exactIn(c.amount, c.currency), { path: ['amount'], message: 'not an exact amount of its currency' }),
  cards: DatasetCard,
  transactions: DatasetTransaction,
  preferences: Preferences.extend({ updated_at: Preferences.shape.updated_at.unwrap() }),
  callbacks: Callback.extend({ conversation_id: Callback.shape.conversation_id.default(null) }),
} as const;

export type CollectionName = keyof typeof DATASET_SCHEMAS;
export const COLLECTIONS = Object.keys(DATASET_SCHEMAS) as CollectionName[];

export interface Dataset {
  customers: Customer[];
  orders: Order[];
  subscriptions: Subscription[];
  billing_accounts: BillingAccount[];
  payments: Payment[];
  bank_accounts: BankAccount[];
  tickets: Ticket[];
  /** Charges posted to billing accounts (statements); optional in a data set. */
  charges: BillingCharge[];
  cards: Card[];
  transactions: Transaction[];
  /** Stored preferences (customers without a row have the defaults). */
  preferences: Preferences[];
  callbacks: Callback[];
}

export const emptyDataset = (): Dataset => ({
  customers: [], orders: [], subscriptions: [], billing_accounts: [], payments: [], bank_accounts: [], tickets: [], charges: [],
  cards: [], transactions: [], preferences: [], callbacks: [],
});

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** The fixtures shipped with the package (fixtures/ at the package root). */
export const DEFAULT_FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

const DATETIME_KEYS = new Set([
  'created_at', 'updated_at', 'ordered_at', 'cancelled_at', 'started_at', 'last_updated', 'verified_at', 'expires_at', 'at',
  'posted_at', 'blocked_at', 'window_start', 'window_end',
]);

/**
 * Instants are returned in Date#toISOString() form ('2024-10-23T10:30:00.000Z') by every
 * backend, so fixture values written without milliseconds are normalised on load.
 */
export const normalizeInstants = <T extends object>(record: T): T => {
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) {
    if (DATETIME_KEYS.has(k) && typeof v === 'string') out[k] = new Date(v).toISOString();
  }
  return out as T;
};

/**
 * Dates relative to when the data set is loaded, so the demo has recent activity whatever day
 * it runs (returns inside their window, a last full month to put on a statement):
 * - 'today-12d' is the date 12 days before today (UTC), 'today+3d' three days after;
 * - 'month-1:05' is the 5th of last month, 'month+0:28' the 28th of this month (days 01-28);
 * - either may end in a time, 'today-12dT10:30:00Z', for an instant.
 * Every other value is kept as written.
 */
const RELATIVE_DAY = /^today([+-]\d{1,5})d(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?Z)?$/;
const RELATIVE_MONTH = /^month([+-]\d{1,3}):(0[1-9]|1\d|2[0-8])(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?Z)?$/;
export const resolveRelativeDate = (value: string, today: Date = new Date()): string => {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const d = RELATIVE_DAY.exec(value);
  if (d) return new Date(Date.UTC(y, m, today.getUTCDate() + Number(d[1]))).toISOString().slice(0, 10) + (d[2] ?? '');
  const mo = RELATIVE_MONTH.exec(value);
  if (mo) return new Date(Date.UTC(y, m + Number(mo[1]), Number(mo[2]))).toISOString().slice(0, 10) + (mo[3] ?? '');
  return value;
};
export const resolveRelativeDates = (raw: unknown, today: Date = new Date()): unknown => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    out[k] = typeof v === 'string' && (v.startsWith('today') || v.startsWith('month')) ? resolveRelativeDate(v, today) : v;
  }
  return out;
};

const parseRecord = (name: CollectionName, raw: unknown, where: string): unknown => {
  const result = DATASET_SCHEMAS[name].safeParse(resolveRelativeDates(raw));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DatasetError(`${where}: ${issue?.path.join('.') || '(record)'}: ${issue?.message ?? 'invalid'}`);
  }
  return normalizeInstants(result.data as object);
};

async function readCollection(dir: string, name: CollectionName): Promise<unknown[]> {
  const jsonPath = path.join(dir, `${name}.json`);
  const jsonlPath = path.join(dir, `${name}.jsonl`);
  if (existsSync(jsonlPath)) {
    const out: unknown[] = [];
    const lines = createInterface({ input: createReadStream(jsonlPath, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new DatasetError(`${jsonlPath}:${n}: not valid JSON`);
      }
      out.push(parseRecord(name, raw, `${jsonlPath}:${n}`));
    }
    return out;
  }
  if (!existsSync(jsonPath)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch {
    throw new DatasetError(`${jsonPath}: not valid JSON`);
  }
  if (!Array.isArray(raw)) throw new DatasetError(`${jsonPath}: expected a JSON array`);
  return raw.map((r, i) => parseRecord(name, r, `${jsonPath}[${i}]`));
}

/**
 * Loads and validates a data set, then checks it as the database would: unique keys and
 * references. A data set that loads here also seeds into Postgres.
 */
export async function loadDataset(dir: string = DEFAULT_FIXTURES_DIR): Promise<Dataset> {
  if (!existsSync(dir)) throw new DatasetError(`fixtures directory not found: ${dir}`);
  const ds = emptyDataset();
  for (const name of COLLECTIONS) {
    (ds[name] as unknown[]) = await readCollection(dir, name);
  }
  checkDatasetIntegrity(ds);
  return ds;
}

/** The same uniqueness and reference rules the Postgres schema enforces. */
export function checkDatasetIntegrity(ds: Dataset): void {
  const unique = (what: string, values: Iterable<string | null>) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (v === null) continue;
      if (seen.has(v)) throw new DatasetError(`duplicate ${what}: ${v}`);
      seen.add(v);
    }
    return seen;
  };
  const customerIds = unique('customer id', ds.customers.map((c) => c.id));
  unique('customer email', ds.customers.map((c) => c.email.toLowerCase()));
  unique('customer username', ds.customers.map((c) => c.username));
  unique('customer account_number', ds.customers.map((c) => c.account_number));
  unique('customer phone', ds.customers.map((c) => (c.phone === null ? null : phoneKey(c.phone))));
  unique('order id', ds.orders.map((o) => o.id));
  unique('subscription id', ds.subscriptions.map((s) => s.id));
  unique('billing account customer', ds.billing_accounts.map((b) => b.customer_id));
  unique('payment id', ds.payments.map((p) => p.id));
  unique('bank account id', ds.bank_accounts.map((b) => b.id));
  unique('bank account type per customer', ds.bank_accounts.map((b) => `${b.customer_id}/${b.account_type}`));
  unique('ticket id', ds.tickets.map((t) => t.id));
  unique('ticket number', ds.tickets.map((t) => t.number));
  const ref = (what: string, ids: Iterable<string>) => {
    for (const id of ids) if (!customerIds.has(id)) throw new DatasetError(`${what} refers to unknown customer ${id}`);
  };
  ref('order', ds.orders.map((o) => o.customer_id));
  ref('subscription', ds.subscriptions.map((s) => s.customer_id));
  ref('billing account', ds.billing_accounts.map((b) => b.customer_id));
  ref('payment', ds.payments.map((p) => p.customer_id));
  ref('bank account', ds.bank_accounts.map((b) => b.customer_id));
  ref('ticket', ds.tickets.map((t) => t.customer_id));
  unique('charge id', ds.charges.map((c) => c.id));
  ref('charge', ds.charges.map((c) => c.customer_id));
  const accountOwner = new Map(ds.bank_accounts.map((b) => [b.id, b.customer_id]));
  unique('card id', ds.cards.map((c) => c.id));
  ref('card', ds.cards.map((c) => c.customer_id));
  for (const c of ds.cards) {
    if (accountOwner.get(c.bank_account_id) !== c.customer_id) throw new DatasetError(`card ${c.id} refers to bank account ${c.bank_account_id}, which is not customer ${c.customer_id}'s`);
  }
  unique('callback id', ds.callbacks.map((c) => c.id));
  ref('callback', ds.callbacks.map((c) => c.customer_id));
  unique('preferences customer', ds.preferences.map((p) => p.customer_id));
  ref('preferences', ds.preferences.map((p) => p.customer_id));
  unique('transaction id', ds.transactions.map((t) => t.id));
  for (const t of ds.transactions) {
    if (!accountOwner.has(t.bank_account_id)) throw new DatasetError(`transaction ${t.id} refers to unknown bank account ${t.bank_account_id}`);
  }
}
