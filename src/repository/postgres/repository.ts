// SupportRepository over Postgres (or PGlite) through Kysely. Every write is one atomic
// statement (or one transaction when an audit entry rides along); the database enforces
// the rules (unique indexes, CHECKs, FKs) and mapDbError turns its refusals into typed errors.
import { sql, type Kysely } from 'kysely';
import { ZodError } from 'zod';
import {
  NewTicket as NewTicketSchema, phoneKey,
  type AuditEntry, type BankAccount, type BankAccountType, type BillingAccount, type ContactPatch,
  type Customer, type CustomerLookup, type NewAuditEntry, type NewTicket, type NewVerification, type Order,
  type OrderPage, type Payment, type Subscription, type Ticket, type Verification, type VerificationAttempt,
  type VerificationMethod,
} from '../../domain/index.js';
import { decodeOrderCursor, encodeOrderCursor } from '../cursor.js';
import {
  ConflictError, InvalidStateError, NotFoundError, UnavailableError, ValidationError,
} from '../errors.js';
import { ticketRequestHash } from '../ticket-hash.js';
import type {
  AuditQuery, CancelOrderResult, CounterHit, CreateTicketResult, HitCountersOptions, ListOrdersOptions, NewOutboxMessage,
  ConversationKey, OutboxMessage, OutboxQuery, SupportRepository, VerificationAttemptInput, WriteOptions,
} from '../types.js';
import { checkCounterHits, PRUNE_BATCH } from '../counters.js';
import { mapDbError, type ErrorContext } from './errors.js';
import {
  toAuditEntry, toBankAccount, toBillingAccount, toCustomer, toOrder, toOutboxMessage, toPayment, toSubscription,
  toTicket, toVerification, type RawItem,
} from './mappers.js';
import type { Database } from './schema.js';

const CUSTOMER_COLUMNS = [
  'id', 'name', 'email', 'phone', 'phone_key', 'username', 'account_number', 'tier', 'risk_level', 'kyc_status',
  'status', 'date_of_birth', 'postcode', 'created_at', 'updated_at',
] as const;
const ORDER_COLUMNS = [
  'id', 'customer_id', 'status', 'total', 'currency', 'ordered_at', 'estimated_delivery', 'updated_at', 'cancelled_at',
] as const;
const TICKET_COLUMNS = [
  'id', 'number', 'customer_id', 'category', 'priority', 'status', 'description', 'amount', 'currency',
  'conversation_id', 'idempotency_key', 'created_at', 'updated_at',
] as const;

/** The order's lines, ordered by line number, as one json value (no N+1: one query per page). */
const ITEMS = sql<RawItem[]>`coalesce((
  select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price)
                  order by i.line_no)
  from order_items i where i.order_id = orders.id), '[]'::json)`.as('items');

const ACTIVE_SUBSCRIPTION_STATUSES = sql`('active', 'trial', 'past_due')`;

/** Audit rows are inserted in chunks well below the 65535-parameter limit. */
const AUDIT_CHUNK = 1000;

/** Longest wait of ping() (readiness); below the pool's 5 s connect timeout. */
const PING_TIMEOUT_MS = 3_000;

/** How often a compare-and-set is retried when a concurrent writer changed the row in between. */
const CAS_RETRIES = 5;

const clamp = (value: number | undefined, fallback: number, min: number, max: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)));

const nowIso = (): string => new Date().toISOString();

function validDate(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ValidationError(`invalid ${what}: not a valid date`);
  return d;
}

function parseInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError(`invalid ${what}: expected an ISO-8601 timestamp`);
  return new Date(ms).toISOString();
}

const auditRow = (e: NewAuditEntry, now: string) => ({
  at: e.at === undefined ? now : parseInstant(e.at, 'audit timestamp'),
  conversation_id: e.conversation_id ?? null,
  tool: e.tool,
  customer_id: e.customer_id ?? null,
  outcome: e.outcome,
  error_code: e.error_code ?? null,
  duration_ms: e.duration_ms,
  args: JSON.stringify(e.args ?? {}),
  principal: e.principal ?? null,
});

async function insertAudit(db: Kysely<Database>, entries: readonly NewAuditEntry[]): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < entries.length; i += AUDIT_CHUNK) {
    await db.insertInto('audit_log').values(entries.slice(i, i + AUDIT_CHUNK).map((e) => auditRow(e, now))).execute();
  }
}

export interface PostgresRepositoryOptions {
  /** Whether close() destroys the Kysely instance (and so ends its pool). Default true. */
  ownsDb?: boolean;
  /**
   * Writable connection for the control tables (audit_log, verifications, outbox,
   * rate_limit_counters) when `db` is read-only (--read-only; see createControlPool in
   * pool.ts). Default: `db`. close() destroys it when ownsDb is true.
   */
  control?: Kysely<Database>;
}

export class PostgresRepository implements SupportRepository {
  readonly backend = 'postgres' as const;
  readonly #ownsDb: boolean;
  /** Where control-table writes go: the writable pool of a read-only repository, else `db`. */
  readonly #control: Kysely<Database>;
  #closed = false;

  constructor(readonly db: Kysely<Database>, opts: PostgresRepositoryOptions = {}) {
    this.#ownsDb = opts.ownsDb ?? true;
    this.#control = opts.control ?? db;
  }

  /**
   * A write to a control table (audit, verifications, outbox, rate-limit counters): runs on
   * the control connection, which stays writable in read-only mode. Customer data is never
   * written through here.
   */
  async #controlWrite<T>(ctx: ErrorContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#control);
    } catch (err) {
      throw mapDbError(err, ctx);
    }
  }

  /** Runs a read; any driver error becomes a typed repository error. */
  async #read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await fn(this.db);
    } catch (err) {
      throw mapDbError(err);
    }
  }

  /**
   * Runs a write. With an audit entry the write and the entry commit in one transaction,
   * and the entry is only written when `fn` returns (a thrown error rolls both back).
   * Without one, `fn` runs on the pool: each of its statements is atomic on its own.
   */
  async #write<T>(ctx: ErrorContext, audit: NewAuditEntry | undefined, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      if (audit === undefined) return await fn(this.db);
      return await this.db.transaction().execute(async (trx) => {
        const result = await fn(trx);
        await insertAudit(trx, [audit]);
        return result;
      });
    } catch (err) {
      throw mapDbError(err, ctx);
    }
  }

  // ---------------------------------------------------------------- customers

  async findCustomer(lookup: CustomerLookup): Promise<Customer | null> {
    return this.#read(async (db) => {
      let q = db.selectFrom('customers').select(CUSTOMER_COLUMNS);
      switch (lookup.by) {
        case 'id':
          q = q.where('id', '=', lookup.value);
          break;
        case 'email':
          // same expression as the unique index customers_email_lower_key
          q = q.where(sql`lower(email)`, '=', sql`lower(${lookup.value.trim()})`);
          break;
        case 'phone': {
          const key = phoneKey(lookup.value);
          if (key === null) return null;
          q = q.where('phone_key', '=', key);
          break;
        }
        case 'username':
          q = q.where('username', '=', lookup.value);
          break;
        case 'account_number':
          q = q.where('account_number', '=', lookup.value);
          break;
        default:
          throw new ValidationError('unknown customer lookup key');
      }
      const row = await q.executeTakeFirst();
      return row ? toCustomer(row) : null;
    });
  }

  async updateContact(customerId: string, patch: ContactPatch, opts?: WriteOptions): Promise<Customer> {
    const set: { email?: string; phone?: string; phone_key?: string | null; updated_at: string } = { updated_at: nowIso() };
    if (patch.email !== undefined) set.email = patch.email.trim();
    if (patch.phone !== undefined) {
      set.phone = patch.phone;
      set.phone_key = phoneKey(patch.phone);
    }
    return this.#write({ notFound: ['customer', customerId] }, opts?.audit, async (db) => {
      // The unique indexes on lower(email) and phone_key decide 'email_taken'/'phone_taken'
      // atomically (23505 → ConflictError); the customer's own current values never collide.
      const row = await db.updateTable('customers').set(set).where('id', '=', customerId)
        .returning(CUSTOMER_COLUMNS).executeTakeFirst();
      if (!row) throw new NotFoundError('customer', customerId);
      return toCustomer(row);
    });
  }

  // ---------------------------------------------------------------- orders

  async getOrder(orderId: string): Promise<Order | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('id', '=', orderId)
        .executeTakeFirst();
      return row ? toOrder(row) : null;
    });
  }

  async listOrders(customerId: string, opts: ListOrdersOptions = {}): Promise<OrderPage> {
    const limit = clamp(opts.limit, 20, 1, 100);
    const after = opts.cursor === undefined ? undefined : decodeOrderCursor(opts.cursor);
    const afterAt = after === undefined ? undefined : parseInstant(after.ordered_at, 'cursor');
    return this.#read(async (db) => {
      let q = db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('customer_id', '=', customerId);
      if (opts.status !== undefined) q = q.where('status', '=', opts.status);
      if (after !== undefined) {
        // keyset: strictly after the cursor in (ordered_at desc, id desc) order
        q = q.where(sql<boolean>`(ordered_at, id) < (${afterAt}::timestamptz, ${after.id})`);
      }
      const rows = await q.orderBy('ordered_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const orders = rows.slice(0, limit).map(toOrder);
      const last = orders[orders.length - 1];
      return {
        orders,
        next_cursor: rows.length > limit && last ? encodeOrderCursor({ ordered_at: last.ordered_at, id: last.id }) : null,
      };
    });
  }

  async cancelOrder(orderId: string, opts?: WriteOptions): Promise<CancelOrderResult> {
    return this.#write({ notFound: ['order', orderId] }, opts?.audit, async (db) => {
      for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
        const now = nowIso();
        // The compare-and-set: one conditional UPDATE. A concurrent canceller waits on the
        // row lock and then re-checks the WHERE, so exactly one caller changes the row.
        const changed = await db.updateTable('orders')
          .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
          .where('id', '=', orderId)
          .where('status', 'in', ['processing', 'pending'])
          .returning([...ORDER_COLUMNS, ITEMS])
          .executeTakeFirst();
        if (changed) return { order: toOrder(changed), changed: true };
        // Informational read: why did nothing change?
        const current = await db.selectFrom('orders').select([...ORDER_COLUMNS, ITEMS]).where('id', '=', orderId)
          .executeTakeFirst();
        if (!current) throw new NotFoundError('order', orderId);
        if (current.status === 'cancelled') return { order: toOrder(current), changed: false };
        if (current.status !== 'processing' && current.status !== 'pending') {
          throw new InvalidStateError('order', orderId, current.status,
            `Order ${orderId} is ${current.status} and can no longer be cancelled`);
        }
        // it became cancellable again between the two statements: try the CAS once more
      }
      throw new UnavailableError(new Error(`order ${orderId} kept changing during cancel`));
    });
  }

  // ---------------------------------------------------------------- subscriptions, billing, banking

  async getSubscription(customerId: string): Promise<Subscription | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('subscriptions').selectAll().where('customer_id', '=', customerId)
        .orderBy(sql`status in ${ACTIVE_SUBSCRIPTION_STATUSES}`, 'desc')
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toSubscription(row) : null;
    });
  }

  async getBillingAccount(customerId: string): Promise<BillingAccount | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('billing_accounts').selectAll().where('customer_id', '=', customerId)
        .executeTakeFirst();
      return row ? toBillingAccount(row) : null;
    });
  }

  async listPayments(customerId: string, limit?: number): Promise<Payment[]> {
    const n = clamp(limit, 10, 1, 100);
    return this.#read(async (db) => {
      const rows = await db.selectFrom('payments').selectAll().where('customer_id', '=', customerId)
        .orderBy('paid_on', 'desc').orderBy('id', 'desc').limit(n).execute();
      return rows.map(toPayment);
    });
  }

  async updatePaymentMethod(customerId: string, maskedMethod: string, opts?: WriteOptions): Promise<BillingAccount> {
    return this.#write({ notFound: ['billing_account', customerId] }, opts?.audit, async (db) => {
      const row = await db.updateTable('billing_accounts')
        .set({ payment_method: maskedMethod, updated_at: nowIso() })
        .where('customer_id', '=', customerId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('billing_account', customerId);
      return toBillingAccount(row);
    });
  }

  async listBankAccounts(customerId: string, type?: BankAccountType): Promise<BankAccount[]> {
    return this.#read(async (db) => {
      let q = db.selectFrom('bank_accounts').selectAll().where('customer_id', '=', customerId);
      if (type !== undefined) q = q.where('account_type', '=', type);
      const rows = await q.orderBy('account_type', 'asc').execute();
      return rows.map(toBankAccount);
    });
  }

  // ---------------------------------------------------------------- tickets

  async createTicket(input: NewTicket, opts?: WriteOptions): Promise<CreateTicketResult> {
    let t: ReturnType<typeof NewTicketSchema.parse>;
    try {
      t = NewTicketSchema.parse(input);
    } catch (err) {
      if (err instanceof ZodError) {
        const issue = err.issues[0];
        throw new ValidationError(`invalid ticket: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
      }
      throw err;
    }
    const requestHash = ticketRequestHash(t);
    const now = nowIso();
    const key = t.idempotency_key;
    return this.#write({ notFound: ['customer', t.customer_id] }, opts?.audit, async (db) => {
      for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
        // With a key, a concurrent insert of the same (customer, key) makes this wait for
        // the other transaction and then do nothing; without a key the arbiter never
        // matches, so a duplicate id/number still raises 23505 (→ 'duplicate_ticket').
        const inserted = await db.insertInto('tickets')
          .values({ ...t, status: 'open', request_hash: requestHash, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['customer_id', 'idempotency_key']).where('idempotency_key', 'is not', null)
            .doNothing())
          .returning(TICKET_COLUMNS)
          .executeTakeFirst();
        if (inserted) return { ticket: toTicket(inserted), created: true };
        if (key === null) break; // cannot happen: no arbiter conflict without a key
        const existing = await db.selectFrom('tickets').select([...TICKET_COLUMNS, 'request_hash'])
          .where('customer_id', '=', t.customer_id).where('idempotency_key', '=', key)
          .executeTakeFirst();
        if (existing) {
          if (existing.request_hash !== requestHash) {
            throw new ConflictError('idempotency_key_reused',
              'This idempotency key was already used for a different ticket request');
          }
          return { ticket: toTicket(existing), created: false };
        }
        // the conflicting row was rolled back meanwhile: insert again
      }
      throw new UnavailableError(new Error('ticket insert kept conflicting without a visible row'));
    });
  }

  async getTicket(ticketId: string): Promise<Ticket | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', ticketId).executeTakeFirst();
      return row ? toTicket(row) : null;
    });
  }

  async findTicketByIdempotencyKey(customerId: string, key: string): Promise<Ticket | null> {
    return this.#read(async (db) => {
      // served by the partial unique index on (customer_id, idempotency_key)
      const row = await db.selectFrom('tickets').select(TICKET_COLUMNS)
        .where('customer_id', '=', customerId).where('idempotency_key', '=', key)
        .executeTakeFirst();
      return row ? toTicket(row) : null;
    });
  }

  // ---------------------------------------------------------------- identity verification

  async createVerification(input: NewVerification): Promise<Verification> {
    return this.#controlWrite({ notFound: ['customer', input.customer_id] }, async (db) => {
      const row = await db.insertInto('verifications')
        .values({
          id: input.id,
          customer_id: input.customer_id,
          conversation_id: input.conversation_id,
          principal: input.principal,
          method: input.method,
          status: 'pending',
          code_hash: input.code_hash ?? null,
          delivered_to: input.delivered_to ?? null,
          attempts: 0,
          max_attempts: input.max_attempts,
          expires_at: parseInstant(input.expires_at, 'expires_at'),
          verified_at: null,
          created_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVerification(row);
    });
  }

  async getVerification(id: string): Promise<Verification | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toVerification(row) : null;
    });
  }

  async attemptVerification(id: string, attempt: VerificationAttemptInput): Promise<VerificationAttempt> {
    const now = validDate(attempt.now ?? new Date(), 'now');
    const nowAt = now.toISOString();
    const verifiedUntil = validDate(new Date(now.getTime() + attempt.verifiedTtlMs), 'verifiedTtlMs').toISOString();
    const matched = attempt.matched;
    return this.#controlWrite({ notFound: ['verification', id] }, async (db) => {
      for (let round = 0; round < CAS_RETRIES; round++) {
        // The attempt: counted only while pending, unexpired and below max_attempts. Row
        // locking re-checks the WHERE for concurrent attempts, so the count never passes max.
        const counted = await db.updateTable('verifications')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            status: matched
              ? sql<string>`'verified'`
              : sql<string>`case when attempts + 1 >= max_attempts then 'failed' else 'pending' end`,
            verified_at: matched ? nowAt : eb.ref('verified_at'),
            expires_at: matched ? verifiedUntil : eb.ref('expires_at'),
          }))
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .where(sql<boolean>`attempts < max_attempts`)
          .where('expires_at', '>', nowAt)
          .returningAll()
          .executeTakeFirst();
        if (counted) {
          return { outcome: matched ? 'verified' : 'failed', verification: toVerification(counted) };
        }
        const current = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) throw new NotFoundError('verification', id);
        const v = toVerification(current);
        if (v.status === 'verified') return { outcome: 'not_pending', verification: v };
        if (v.status === 'failed') return { outcome: 'locked', verification: v };
        if (v.status === 'expired') return { outcome: 'expired', verification: v };
        // pending
        if (Date.parse(v.expires_at) <= now.getTime()) {
          const expired = await db.updateTable('verifications').set({ status: 'expired' })
            .where('id', '=', id).where('status', '=', 'pending').where('expires_at', '<=', nowAt)
            .returningAll().executeTakeFirst();
          if (expired) return { outcome: 'expired', verification: toVerification(expired) };
          continue; // changed meanwhile: look again
        }
        if (v.attempts >= v.max_attempts) return { outcome: 'locked', verification: v };
        // pending, unexpired and below max: a concurrent change happened in between; retry
      }
      throw new UnavailableError(new Error(`verification ${id} kept changing during the attempt`));
    });
  }

  async findActiveVerification(customerId: string, conversation: ConversationKey, now: Date = new Date()): Promise<Verification | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('verifications').selectAll()
        .where('customer_id', '=', customerId)
        .where('conversation_id', '=', conversation.conversationId)
        .where('principal', '=', conversation.principal)
        .where('status', '=', 'verified')
        .where('expires_at', '>', validDate(now, 'now').toISOString())
        .orderBy('verified_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toVerification(row) : null;
    });
  }

  async findLatestVerification(customerId: string, conversation: ConversationKey, method: VerificationMethod): Promise<Verification | null> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('verifications').selectAll()
        .where('customer_id', '=', customerId)
        .where('conversation_id', '=', conversation.conversationId)
        .where('principal', '=', conversation.principal)
        .where('method', '=', method)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toVerification(row) : null;
    });
  }

  async conversationHasOtherPrincipal(conversation: ConversationKey): Promise<boolean> {
    return this.#read(async (db) => {
      const row = await db.selectFrom('verifications').select('id')
        .where('conversation_id', '=', conversation.conversationId)
        .where('principal', '<>', conversation.principal)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  // ---------------------------------------------------------------- verification outbox

  async enqueueOutbox(message: NewOutboxMessage): Promise<OutboxMessage> {
    const verificationId = message.verification_id ?? null;
    return this.#controlWrite({ notFound: ['verification', verificationId ?? ''] }, async (db) => {
      const row = await db.insertInto('outbox')
        .values({
          id: message.id,
          channel: message.channel,
          destination: message.destination,
          body: message.body,
          code: message.code ?? null,
          verification_id: verificationId,
          customer_id: message.customer_id ?? null,
          expires_at: message.expires_at == null ? null : parseInstant(message.expires_at, 'expires_at'),
          created_at: nowIso(),
          sent_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOutboxMessage(row);
    });
  }

  async listOutbox(query: OutboxQuery = {}): Promise<OutboxMessage[]> {
    const limit = clamp(query.limit, 100, 1, 1000);
    return this.#read(async (db) => {
      let q = db.selectFrom('outbox').selectAll();
      if (query.pendingOnly) q = q.where('sent_at', 'is', null);
      const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
      return rows.map(toOutboxMessage);
    });
  }

  async markOutboxSent(id: string, now: Date = new Date()): Promise<OutboxMessage> {
    const at = validDate(now, 'now').toISOString();
    return this.#controlWrite({ notFound: ['outbox_message', id] }, async (db) => {
      const changed = await db.updateTable('outbox').set({ sent_at: at, code: null })
        .where('id', '=', id).where('sent_at', 'is', null)
        .returningAll().executeTakeFirst();
      if (changed) return toOutboxMessage(changed);
      const current = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw new NotFoundError('outbox_message', id);
      return toOutboxMessage(current);
    });
  }

  // ---------------------------------------------------------------- audit

  async appendAudit(entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#controlWrite({}, async (db) => {
      if (entries.length <= AUDIT_CHUNK) return insertAudit(db, entries);
      // several statements: all or nothing
      return db.transaction().execute((trx) => insertAudit(trx, entries));
    });
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = clamp(query.limit, 100, 1, 10_000);
    const since = query.since === undefined ? undefined : parseInstant(query.since, 'since');
    return this.#read(async (db) => {
      let q = db.selectFrom('audit_log').selectAll();
      if (query.customerId !== undefined) q = q.where('customer_id', '=', query.customerId);
      if (since !== undefined) q = q.where('at', '>=', since);
      if (query.newest) {
        const rows = await q.orderBy('id', 'desc').limit(limit).execute();
        return rows.reverse().map(toAuditEntry);
      }
      const rows = await q.orderBy('id', 'asc').limit(limit).execute();
      return rows.map(toAuditEntry);
    });
  }

  // ---------------------------------------------------------------- rate-limit counters

  async hitCounters(hits: readonly CounterHit[], opts: HitCountersOptions = {}): Promise<Record<string, number>> {
    const checked = checkCounterHits(hits, opts);
    if (checked.hits.length === 0 && checked.pruneBefore === undefined) return {};
    // ONE statement (one round trip): a chain of upserts, each one fed by the previous one's
    // RETURNING row only while that counter is within its limit (the gate), plus an optional
    // bounded delete of ended windows. ON CONFLICT DO UPDATE increments under the row lock,
    // so concurrent hits never lose a count.
    const ctes = checked.hits.map((h, i) => {
      const name = sql.id(`h${i}`);
      const prev = checked.hits[i - 1];
      const source = prev === undefined
        ? sql`values (${h.key}::text, ${h.windowStart}::timestamptz, 1)`
        : sql`select ${h.key}::text, ${h.windowStart}::timestamptz, 1 from ${sql.id(`h${i - 1}`)} p
              where ${prev.limit === undefined ? sql`true` : sql`p.count <= ${prev.limit}::float8`}`;
      return sql`${name} as (
        insert into rate_limit_counters as c (key, window_start, count) ${source}
        on conflict (key, window_start) do update set count = c.count + 1
        returning c.key, c.count)`;
    });
    if (checked.pruneBefore !== undefined) {
      ctes.push(sql`pruned as (
        delete from rate_limit_counters where (key, window_start) in (
          select key, window_start from rate_limit_counters
          where window_start < ${checked.pruneBefore}::timestamptz limit ${PRUNE_BATCH}))`);
    }
    const selects = checked.hits.map((_, i) => sql`select key, count from ${sql.id(`h${i}`)}`);
    const body = selects.length > 0 ? sql.join(selects, sql` union all `) : sql`select null::text as key, 0 as count where false`;
    return this.#controlWrite({}, async (db) => {
      const { rows } = await sql<{ key: string; count: number | string }>`with ${sql.join(ctes, sql`, `)} ${body}`.execute(db);
      const out: Record<string, number> = {};
      for (const r of rows) out[r.key] = Number(r.count);
      return out;
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Readiness (/readyz) and the start-up check. Bounded: a server that accepts connections but
   * never answers (frozen, or a network black hole) would otherwise hang the probe for as long
   * as a pooled connection waits on it, with no timeout of its own (test/reliability
   * db-outage.test.ts, "frozen"). The statement itself may finish later; nothing waits for it.
   */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(new Error(`no answer within ${PING_TIMEOUT_MS} ms`))), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#read((db) => sql`select 1`.execute(db)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDb) {
      if (this.#control !== this.db) await this.#control.destroy().catch(() => undefined);
      await this.db.destroy();
    }
  }
}
