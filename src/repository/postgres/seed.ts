// Bulk seeding of a data set (fixtures or a generated set) into the Postgres schema.
// One transaction for the whole seed; rows go in as multi-row batches through
// `INSERT ... SELECT * FROM unnest($1::text[], $2::numeric[], ...)`: one parameter per
// column whatever the batch size, so a 5k-row statement costs one parse and one plan.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { phoneKey } from '../../domain/index.js';
import type { Dataset } from '../dataset.js';
import { ticketRequestHash } from '../ticket-hash.js';
import { mapDbError } from './errors.js';
import { DATA_TABLES, type Database } from './schema.js';

export interface SeedOptions {
  /** Empty every data table (audit_log and verifications too) first. Default false. */
  replace?: boolean;
  /** Rows per INSERT statement; default 5000. */
  batchSize?: number;
  /** Called after every batch with the collection and how many of its rows are in so far. */
  onProgress?: (collection: string, inserted: number) => void;
  /**
   * Drop the keys, foreign keys and indexes of the seeded tables before loading and build
   * them again afterwards (inside the same transaction; every rule is still checked, in bulk
   * instead of row by row: about 3x faster for a million orders). Default: only when the
   * data set has at least 50,000 rows, so small reseeds (tests) skip the DDL.
   */
  rebuildIndexes?: boolean;
}

export interface SeedResult {
  counts: Record<string, number>;
  ms: number;
}

export class SeedError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'SeedError';
  }
}

type PgType = 'text' | 'numeric' | 'integer' | 'boolean' | 'date' | 'timestamptz';
type Column<T> = readonly [name: string, type: PgType, get: (row: T) => unknown];

/** INSERT INTO table (cols) SELECT * FROM unnest($1::t1[], $2::t2[], ...) for one batch. */
function unnestInsert<T>(table: string, columns: readonly Column<T>[], rows: readonly T[]): RawBuilder<unknown> {
  const names = sql.raw(columns.map(([name]) => name).join(', '));
  const arrays = columns.map(([, type, get]) => sql`${rows.map(get)}::${sql.raw(type)}[]`);
  return sql`insert into ${sql.table(table)} (${names}) select * from unnest(${sql.join(arrays)})`;
}

async function insertBatches<T>(
  db: Kysely<Database>, collection: string, table: string, columns: readonly Column<T>[],
  rows: readonly T[], batchSize: number, onProgress?: SeedOptions['onProgress'],
): Promise<number> {
  let done = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    await unnestInsert(table, columns, batch).execute(db);
    done += batch.length;
    onProgress?.(collection, done);
  }
  return done;
}

type Customer = Dataset['customers'][number];
type Order = Dataset['orders'][number];
type Subscription = Dataset['subscriptions'][number];
type BillingAccount = Dataset['billing_accounts'][number];
type Payment = Dataset['payments'][number];
type BankAccount = Dataset['bank_accounts'][number];
type Ticket = Dataset['tickets'][number];
type Card = Dataset['cards'][number];
type Transaction = Dataset['transactions'][number];
type StoredPreferences = Dataset['preferences'][number];
type SeedCallback = Dataset['callbacks'][number];

const CALLBACK_COLUMNS: readonly Column<SeedCallback>[] = [
  ['id', 'text', (c) => c.id],
  ['customer_id', 'text', (c) => c.customer_id],
  ['destination', 'text', (c) => c.destination],
  ['window_start', 'timestamptz', (c) => c.window_start],
  ['window_end', 'timestamptz', (c) => c.window_end],
  ['topic', 'text', (c) => c.topic],
  ['status', 'text', (c) => c.status],
  ['conversation_id', 'text', (c) => c.conversation_id ?? null],
  // seeded rows are never retried: a key of their own
  ['request_key', 'text', (c) => `seed:${c.id}`],
  ['created_at', 'timestamptz', (c) => c.created_at],
  ['updated_at', 'timestamptz', (c) => c.updated_at],
];

const PREFERENCE_COLUMNS: readonly Column<StoredPreferences>[] = [
  ['customer_id', 'text', (p) => p.customer_id],
  ['contact_channel', 'text', (p) => p.contact_channel],
  ['language', 'text', (p) => p.language],
  ['marketing_opt_in', 'boolean', (p) => p.marketing_opt_in],
  ['timezone', 'text', (p) => p.timezone],
  ['updated_at', 'timestamptz', (p) => p.updated_at],
];

const CARD_COLUMNS: readonly Column<Card>[] = [
  ['id', 'text', (c) => c.id],
  ['customer_id', 'text', (c) => c.customer_id],
  ['bank_account_id', 'text', (c) => c.bank_account_id],
  ['brand', 'text', (c) => c.brand],
  ['last4', 'text', (c) => c.last4],
  ['status', 'text', (c) => c.status],
  ['block_reason', 'text', (c) => c.block_reason ?? null],
  ['blocked_at', 'timestamptz', (c) => c.blocked_at ?? null],
  ['updated_at', 'timestamptz', (c) => c.updated_at],
];

const TRANSACTION_COLUMNS: readonly Column<Transaction>[] = [
  ['id', 'text', (t) => t.id],
  ['bank_account_id', 'text', (t) => t.bank_account_id],
  ['posted_at', 'timestamptz', (t) => t.posted_at],
  ['amount', 'numeric', (t) => t.amount],
  ['currency', 'text', (t) => t.currency],
  ['description', 'text', (t) => t.description],
  ['merchant', 'text', (t) => t.merchant ?? null],
  ['status', 'text', (t) => t.status],
  ['balance_after', 'numeric', (t) => t.balance_after ?? null],
];
interface ItemRow { order_id: string; line_no: number; product: string; quantity: number; unit_price: number }

const CUSTOMER_COLUMNS: readonly Column<Customer>[] = [
  ['id', 'text', (c) => c.id],
  ['name', 'text', (c) => c.name],
  ['email', 'text', (c) => c.email],
  ['phone', 'text', (c) => c.phone ?? null],
  ['phone_key', 'text', (c) => (c.phone == null ? null : phoneKey(c.phone))],
  ['username', 'text', (c) => c.username ?? null],
  ['account_number', 'text', (c) => c.account_number ?? null],
  ['tier', 'text', (c) => c.tier],
  ['risk_level', 'text', (c) => c.risk_level],
  ['kyc_status', 'text', (c) => c.kyc_status],
  ['status', 'text', (c) => c.status],
  ['date_of_birth', 'date', (c) => c.date_of_birth ?? null],
  ['postcode', 'text', (c) => c.postcode ?? null],
  ['created_at', 'timestamptz', (c) => c.created_at],
  ['updated_at', 'timestamptz', (c) => c.updated_at ?? c.created_at],
];

const ORDER_COLUMNS: readonly Column<Order>[] = [
  ['id', 'text', (o) => o.id],
  ['customer_id', 'text', (o) => o.customer_id],
  ['status', 'text', (o) => o.status],
  ['total', 'numeric', (o) => o.total],
  ['currency', 'text', (o) => o.currency],
  ['ordered_at', 'timestamptz', (o) => o.ordered_at],
  ['estimated_delivery', 'date', (o) => o.estimated_delivery ?? null],
  ['updated_at', 'timestamptz', (o) => o.updated_at ?? o.ordered_at],
  ['cancelled_at', 'timestamptz', (o) => o.cancelled_at ?? null],
];

const ITEM_COLUMNS: readonly Column<ItemRow>[] = [
  ['order_id', 'text', (i) => i.order_id],
  ['line_no', 'integer', (i) => i.line_no],
  ['product', 'text', (i) => i.product],
  ['quantity', 'integer', (i) => i.quantity],
  ['unit_price', 'numeric', (i) => i.unit_price],
];

const SUBSCRIPTION_COLUMNS: readonly Column<Subscription>[] = [
  ['id', 'text', (s) => s.id],
  ['customer_id', 'text', (s) => s.customer_id],
  ['plan', 'text', (s) => s.plan],
  ['status', 'text', (s) => s.status],
  ['amount', 'numeric', (s) => s.amount],
  ['currency', 'text', (s) => s.currency],
  ['next_billing_date', 'date', (s) => s.next_billing_date ?? null],
  ['last_payment_date', 'date', (s) => s.last_payment_date ?? null],
  ['started_at', 'timestamptz', (s) => s.started_at],
];

const BILLING_COLUMNS: readonly Column<BillingAccount>[] = [
  ['customer_id', 'text', (b) => b.customer_id],
  ['balance', 'numeric', (b) => b.balance],
  ['currency', 'text', (b) => b.currency],
  ['due_date', 'date', (b) => b.due_date ?? null],
  ['latest_charges', 'text', (b) => b.latest_charges],
  ['payment_method', 'text', (b) => b.payment_method ?? null],
  ['autopay', 'boolean', (b) => b.autopay],
  ['autopay_day', 'integer', (b) => b.autopay_day ?? null],
  ['updated_at', 'timestamptz', (b) => b.updated_at],
];

type Charge = Dataset['charges'][number];
const CHARGE_COLUMNS: readonly Column<Charge>[] = [
  ['id', 'text', (c) => c.id],
  ['customer_id', 'text', (c) => c.customer_id],
  ['charged_on', 'date', (c) => c.charged_on],
  ['description', 'text', (c) => c.description],
  ['amount', 'numeric', (c) => c.amount],
  ['currency', 'text', (c) => c.currency],
];

const PAYMENT_COLUMNS: readonly Column<Payment>[] = [
  ['id', 'text', (p) => p.id],
  ['customer_id', 'text', (p) => p.customer_id],
  ['paid_on', 'date', (p) => p.paid_on],
  ['amount', 'numeric', (p) => p.amount],
  ['currency', 'text', (p) => p.currency],
  ['method', 'text', (p) => p.method],
];

const BANK_ACCOUNT_COLUMNS: readonly Column<BankAccount>[] = [
  ['id', 'text', (b) => b.id],
  ['customer_id', 'text', (b) => b.customer_id],
  ['account_type', 'text', (b) => b.account_type],
  ['balance', 'numeric', (b) => b.balance],
  ['currency', 'text', (b) => b.currency],
  ['last_updated', 'timestamptz', (b) => b.last_updated],
];

const TICKET_COLUMNS: readonly Column<Ticket & { request_hash: string }>[] = [
  ['id', 'text', (t) => t.id],
  ['number', 'text', (t) => t.number],
  ['customer_id', 'text', (t) => t.customer_id],
  ['category', 'text', (t) => t.category],
  ['priority', 'text', (t) => t.priority],
  ['status', 'text', (t) => t.status],
  ['description', 'text', (t) => t.description],
  ['amount', 'numeric', (t) => t.amount ?? null],
  ['currency', 'text', (t) => t.currency ?? null],
  ['conversation_id', 'text', (t) => t.conversation_id ?? null],
  ['idempotency_key', 'text', (t) => t.idempotency_key ?? null],
  ['request_hash', 'text', (t) => t.request_hash],
  ['created_at', 'timestamptz', (t) => t.created_at],
  ['updated_at', 'timestamptz', (t) => t.updated_at ?? t.created_at],
];

/** Order lines flattened per batch of orders, so memory stays bounded by the batch. */
function itemsOf(orders: readonly Order[]): ItemRow[] {
  const out: ItemRow[] = [];
  for (const o of orders) {
    o.items.forEach((item, idx) => {
      out.push({ order_id: o.id, line_no: idx + 1, product: item.product, quantity: item.quantity, unit_price: item.unit_price });
    });
  }
  return out;
}

/** Tables seedDataset writes to. */
const SEEDED_TABLES = [
  'customers', 'orders', 'order_items', 'subscriptions', 'billing_accounts', 'payments', 'bank_accounts', 'tickets',
  'billing_charges',
  'cards', 'transactions', 'customer_preferences', 'callbacks',
] as const;

const SEEDED_COLLECTIONS = [
  'customers', 'orders', 'subscriptions', 'billing_accounts', 'payments', 'bank_accounts', 'tickets', 'charges', 'cards', 'transactions', 'preferences', 'callbacks',
] as const satisfies readonly (keyof Dataset)[];

const REBUILD_THRESHOLD = 50_000;
const ANALYZE_THRESHOLD = 5_000;

interface SavedDefinitions {
  /** Primary-key and unique constraints: [table, name, definition]. */
  keys: { tbl: string; name: string; def: string }[];
  /** Foreign keys on or pointing at a seeded table. */
  foreignKeys: { tbl: string; name: string; def: string }[];
  /** Indexes that back no constraint (unique expression/partial ones included). */
  indexes: { name: string; def: string }[];
}

/**
 * Saves the definitions (as the catalog prints them) of every key, foreign key and index of
 * the seeded tables, then drops them. Read from the catalog, so they cannot drift from the
 * migrations.
 */
async function dropKeysAndIndexes(db: Kysely<Database>): Promise<SavedDefinitions> {
  const tables = [...SEEDED_TABLES];
  const { rows: constraints } = await sql<{ tbl: string; name: string; def: string; type: string }>`
    select c.conrelid::regclass::text as tbl, quote_ident(c.conname) as name,
           pg_get_constraintdef(c.oid) as def, c.contype as type
    from pg_constraint c
    where c.contype in ('p', 'u', 'f')
      and (c.conrelid = any(${tables}::regclass[])
           or (c.contype = 'f' and c.confrelid = any(${tables}::regclass[])))
    order by c.oid`.execute(db);
  const { rows: indexes } = await sql<{ name: string; def: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid = any(${tables}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
    order by i.indexrelid`.execute(db);
  const saved: SavedDefinitions = {
    foreignKeys: constraints.filter((c) => c.type === 'f'),
    keys: constraints.filter((c) => c.type !== 'f'),
    indexes,
  };
  for (const fk of saved.foreignKeys) await sql.raw(`alter table ${fk.tbl} drop constraint ${fk.name}`).execute(db);
  for (const key of saved.keys) await sql.raw(`alter table ${key.tbl} drop constraint ${key.name}`).execute(db);
  for (const index of saved.indexes) await sql.raw(`drop index ${index.name}`).execute(db);
  return saved;
}

/** Builds everything dropKeysAndIndexes dropped; each build checks its rule over all rows at once. */
async function restoreKeysAndIndexes(db: Kysely<Database>, saved: SavedDefinitions): Promise<void> {
  for (const key of saved.keys) await sql.raw(`alter table ${key.tbl} add constraint ${key.name} ${key.def}`).execute(db);
  for (const index of saved.indexes) await sql.raw(index.def).execute(db);
  for (const fk of saved.foreignKeys) await sql.raw(`alter table ${fk.tbl} add constraint ${fk.name} ${fk.def}`).execute(db);
}

/**
 * For the operator: which rule broke and the server's detail line (e.g. which key collided;
 * never SQL text). The driver's own error stays in SeedError#cause.
 */
function describeFailure(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; constraint?: unknown; detail?: unknown };
  const rule = typeof e.constraint === 'string' ? ` ${e.constraint}` : '';
  const detail = typeof e.detail === 'string' ? ` (${e.detail})` : '';
  switch (e.code) {
    case '23505': return `duplicate value for the unique rule${rule}${detail}`;
    case '23503': return `a row refers to a missing record: rule${rule}${detail}`;
    case '23514': return `a value breaks the rule${rule}${detail}`;
    case '23502': return `a required value is missing${detail}`;
    default: return `${mapDbError(err).message}${detail}`;
  }
}

/**
 * Loads a data set into an empty (or, with replace, emptied) database in one transaction.
 * Refuses when customers already has rows unless `replace` is set; replace TRUNCATEs every
 * data table (audit_log and verifications included) inside the same transaction, so a
 * failed seed leaves the previous data in place.
 */
export async function seedDataset(db: Kysely<Database>, dataset: Dataset, opts: SeedOptions = {}): Promise<SeedResult> {
  const batchSize = Math.max(1, Math.trunc(opts.batchSize ?? 5000));
  const onProgress = opts.onProgress;
  const started = Date.now();
  const counts: Record<string, number> = {};
  try {
    await db.transaction().execute(async (trx) => {
      // a large seed runs for minutes: lift the pool's statement timeout for this transaction only
      await sql`set local statement_timeout = 0`.execute(trx);
      if (opts.replace) {
        await sql`truncate ${sql.join(DATA_TABLES.map((t) => sql.table(t)))} restart identity cascade`.execute(trx);
      } else {
        const { rows } = await sql<{ present: boolean }>`select exists (select 1 from customers) as present`.execute(trx);
        if (rows[0]?.present) {
          throw new SeedError('the database already has customers: add --replace (support-mcp db seed [DIR] --replace) to empty it first');
        }
      }
      const totalRows = SEEDED_COLLECTIONS.reduce((n, name) => n + dataset[name].length, 0)
        + dataset.orders.reduce((n, o) => n + o.items.length, 0);
      const saved = (opts.rebuildIndexes ?? totalRows >= REBUILD_THRESHOLD) ? await dropKeysAndIndexes(trx) : undefined;

      counts.customers = await insertBatches(trx, 'customers', 'customers', CUSTOMER_COLUMNS, dataset.customers, batchSize, onProgress);

      let orders = 0;
      let items = 0;
      for (let i = 0; i < dataset.orders.length; i += batchSize) {
        const batch = dataset.orders.slice(i, i + batchSize);
        await unnestInsert('orders', ORDER_COLUMNS, batch).execute(trx);
        orders += batch.length;
        onProgress?.('orders', orders);
        const lines = itemsOf(batch);
        // lines of one order batch, in statements of at most ~2 batches' worth of rows
        for (let j = 0; j < lines.length; j += batchSize * 2) {
          const chunk = lines.slice(j, j + batchSize * 2);
          await unnestInsert('order_items', ITEM_COLUMNS, chunk).execute(trx);
          items += chunk.length;
        }
        onProgress?.('order_items', items);
      }
      counts.orders = orders;
      counts.order_items = items;

      counts.subscriptions = await insertBatches(trx, 'subscriptions', 'subscriptions', SUBSCRIPTION_COLUMNS, dataset.subscriptions, batchSize, onProgress);
      counts.billing_accounts = await insertBatches(trx, 'billing_accounts', 'billing_accounts', BILLING_COLUMNS, dataset.billing_accounts, batchSize, onProgress);
      counts.payments = await insertBatches(trx, 'payments', 'payments', PAYMENT_COLUMNS, dataset.payments, batchSize, onProgress);
      counts.bank_accounts = await insertBatches(trx, 'bank_accounts', 'bank_accounts', BANK_ACCOUNT_COLUMNS, dataset.bank_accounts, batchSize, onProgress);

      let tickets = 0;
      for (let i = 0; i < dataset.tickets.length; i += batchSize) {
        const batch = dataset.tickets.slice(i, i + batchSize).map((t) => ({ ...t, request_hash: ticketRequestHash(t) }));
        await unnestInsert('tickets', TICKET_COLUMNS, batch).execute(trx);
        tickets += batch.length;
        onProgress?.('tickets', tickets);
      }
      counts.tickets = tickets;
      counts.charges = await insertBatches(trx, 'charges', 'billing_charges', CHARGE_COLUMNS, dataset.charges ?? [], batchSize, onProgress);
      counts.cards = await insertBatches(trx, 'cards', 'cards', CARD_COLUMNS, dataset.cards, batchSize, onProgress);
      counts.preferences = await insertBatches(trx, 'preferences', 'customer_preferences', PREFERENCE_COLUMNS, dataset.preferences, batchSize, onProgress);
      counts.callbacks = await insertBatches(trx, 'callbacks', 'callbacks', CALLBACK_COLUMNS, dataset.callbacks, batchSize, onProgress);
      counts.transactions = await insertBatches(trx, 'transactions', 'transactions', TRANSACTION_COLUMNS, dataset.transactions, batchSize, onProgress);

      if (saved) {
        const n = saved.keys.length + saved.indexes.length + saved.foreignKeys.length;
        onProgress?.('indexes', 0);
        await restoreKeysAndIndexes(trx, saved);
        onProgress?.('indexes', n);
      }

      // Fresh statistics so the planner uses the indexes right away (autovacuum lags, and
      // PGlite has none). Skipped for small sets: test reseeds stay fast.
      if (totalRows >= ANALYZE_THRESHOLD) {
        await sql`analyze ${sql.join(SEEDED_TABLES.map((t) => sql.table(t)))}`.execute(trx);
      }
    });
  } catch (err) {
    if (err instanceof SeedError) throw err;
    throw new SeedError(`seeding failed, nothing was written: ${describeFailure(err)}`, err);
  }
  return { counts, ms: Date.now() - started };
}
