// The one repository interface. Methods are use cases, not tables: each one is a single
// atomic step that both backends implement with the same observable behaviour, proven by
// the shared contract suite in test/contract/.
import type {
  AuditEntry, BankAccount, BankAccountType, BillingAccount, BillingCharge, ContactPatch, Customer, CustomerLookup,
  NewAuditEntry, NewTicket, NewVerification, Order, OrderPage, OrderReturn, OrderStatus, Payment, ReturnReason,
  Subscription, Ticket, Verification, VerificationAttempt, VerificationMethod, Card, CardBlockReason, Callback,
  CallbackStatus, Handoff, HandoffStatus, NewCallback, NewHandoff, Preferences, PreferencesPatch, TransactionPage,
} from '../domain/index.js';

export interface ListOrdersOptions {
  status?: OrderStatus;
  /** 1..100; default 20. */
  limit?: number;
  cursor?: string;
}

/** Options every write accepts: the audit entry is committed atomically with the write. */
export interface WriteOptions {
  audit?: NewAuditEntry;
}

export type CancelOrderResult =
  /** changed=false: the order was already cancelled (a retry), nothing was written. */
  { order: Order; changed: boolean };

export interface VerificationAttemptInput {
  /** Whether the caller's constant-time check of the answer succeeded. */
  matched: boolean;
  now?: Date;
  /** How long a successful verification unlocks the customer; becomes the new expires_at. */
  verifiedTtlMs: number;
}

export type CreateTicketResult = { ticket: Ticket; created: boolean };

export interface AutopaySettings {
  enabled: boolean;
  /** 1..28, or null: collect on the due date. Ignored (stored null) when disabled. */
  day: number | null;
}

/** changed=false: the account already had these settings (a retry); nothing was written but the audit entry. */
export type SetAutopayResult = { account: BillingAccount; changed: boolean };

/** A calendar range of billing activity, both ends inclusive ('YYYY-MM-DD'). */
export interface ActivityRange {
  from: string;
  to: string;
}

export interface BillingActivity {
  /** charged_on, then id, ascending. */
  charges: BillingCharge[];
  /** paid_on, then id, ascending. */
  payments: Payment[];
}

export interface NewReturn {
  /** RMA id, chosen by the caller (used only when a return is created). */
  id: string;
  orderId: string;
  reason: ReturnReason;
  /** By order line (1-based); each line at most once, quantities positive. */
  items: { line_no: number; quantity: number }[];
  /** Canonical hash of (items, reason): the same request again finds the same return. */
  requestHash: string;
  /**
   * The order must be delivered with estimated_delivery (the delivery day) on or after this
   * date ('YYYY-MM-DD'), else InvalidStateError('return', orderId, 'window_closed').
   */
  deliveredOnOrAfter: string;
}

/** created=false: an identical earlier request; its return is given back unchanged. */
export type RequestReturnResult = { orderReturn: OrderReturn; created: boolean };

/**
 * A conversation as one principal sees it. Verifications are found only through the
 * principal that created them, so the same conversation id presented by another principal
 * finds nothing (see domain/principal.ts).
 */
export interface ConversationKey {
  conversationId: string;
  /** Principal.id */
  principal: string;
}

// ---- verification outbox (messages a sender delivers: one-time codes)

export type OutboxChannel = 'email' | 'sms';

export interface NewOutboxMessage {
  id: string;
  channel: OutboxChannel;
  /** Full e-mail address or phone number: what the sender needs (masked everywhere else). */
  destination: string;
  /** Message text; the sender replaces `{code}` with `code`. */
  body: string;
  /** The plain one-time code. Only the outbox holds it, and only until the message is sent. */
  code: string | null;
  /** The verification the code belongs to (must exist), or null. */
  verification_id: string | null;
  customer_id: string | null;
  /** When the code stops working: a sender does not deliver after it. */
  expires_at: string | null;
}

export interface OutboxMessage extends NewOutboxMessage {
  created_at: string;
  /** null while pending. Marking a message sent also clears its code. */
  sent_at: string | null;
}

export interface OutboxQuery {
  /** Only messages not yet marked sent (oldest first either way). */
  pendingOnly?: boolean;
  /** 1..1000; default 100. */
  limit?: number;
}

export interface AuditQuery {
  customerId?: string;
  since?: string;
  /** 1..10000; default 100. */
  limit?: number;
  /** The newest `limit` entries instead of the oldest (still returned oldest first). */
  newest?: boolean;
}

// ---- rate-limit counters (fixed windows; see services/rate-limiter.ts)

export interface CounterHit {
  /** Non-empty, at most 512 characters, e.g. 'conversation:1m:<id>'. */
  key: string;
  /** Start of the fixed window (ISO-8601 instant); (key, windowStart) is one counter. */
  windowStart: string;
  /**
   * Gate: the hits after this one are applied only when this counter's new count is at most
   * `limit` (a call refused by one limit is not counted against the later ones).
   */
  limit?: number;
  /**
   * How much to add: a whole number from 1 (the default) to MAX_COUNTER_STEP. The rate limiter
   * adds the hits of several concurrent calls to one counter in one step.
   */
  by?: number;
}

/** A counter hit by several checks at once (CounterRepository.hitCounterGroups). */
export interface CounterGroup {
  key: string;
  windowStart: string;
  /** How many checks hit it (1 to MAX_COUNTER_STEP). */
  by: number;
  /** The checks that took a count at most this pass on to `then` (none: all of them). */
  limit?: number;
  /** Whether the checks it lets through go on to the shared `then` counter. */
  then?: boolean;
}

export interface HitCountersOptions {
  /** Also delete a bounded batch of counters whose window started before this instant. */
  pruneBefore?: string;
}

// ---- the repository, by aggregate. Each backend implements every one of these in its own
// module (postgres/<aggregate>.ts, fixtures/<aggregate>.ts), and composes them into one
// SupportRepository object; a new method goes into its aggregate's interface and modules.

export interface CustomerRepository {
  findCustomer(lookup: CustomerLookup): Promise<Customer | null>;
  /**
   * Sets email and/or phone. Throws NotFoundError, or ConflictError('email_taken' |
   * 'phone_taken') when another customer already has the value.
   */
  updateContact(customerId: string, patch: ContactPatch, opts?: WriteOptions): Promise<Customer>;
  /** The stored preferences, or the defaults (updated_at null) for a customer without a row; null for an unknown customer. */
  getPreferences(customerId: string): Promise<Preferences | null>;
  /**
   * Sets the given fields (the others keep their stored or default values) in one upsert and
   * returns the stored preferences. Throws NotFoundError for an unknown customer.
   */
  updatePreferences(customerId: string, patch: PreferencesPatch, opts?: WriteOptions): Promise<Preferences>;
}

export interface OrderRepository {
  getOrder(orderId: string): Promise<Order | null>;
  /** Newest first, keyset-paginated. An unknown customer gives an empty page. */
  listOrders(customerId: string, opts?: ListOrdersOptions): Promise<OrderPage>;
  /**
   * Atomic compare-and-set: only processing/pending orders become cancelled.
   * Throws NotFoundError, or InvalidStateError carrying the current status.
   */
  cancelOrder(orderId: string, opts?: WriteOptions): Promise<CancelOrderResult>;
  /**
   * One atomic step, serialised per order (concurrent requests never return more units than
   * were bought): an identical earlier request (same order and requestHash) is returned with
   * created=false; otherwise the order must be delivered (InvalidStateError with its status)
   * inside the window (InvalidStateError('return', orderId, 'window_closed')), every line must exist
   * (ValidationError) and have enough units left, counting every earlier return
   * (ConflictError 'return_quantity_exceeded'). Creates the return with status requested and
   * the refund estimate (units × unit price, exact in the order's currency).
   */
  requestReturn(input: NewReturn, opts?: WriteOptions): Promise<RequestReturnResult>;
  getReturn(returnId: string): Promise<OrderReturn | null>;
  /** The order's returns, oldest first. */
  listReturns(orderId: string): Promise<OrderReturn[]>;
  /** getOrder and listReturns in one read (one round trip on Postgres: get_order's path). */
  getOrderWithReturns(orderId: string): Promise<{ order: Order; returns: OrderReturn[] } | null>;
}

/** Subscriptions, the billing account and payments. */
export interface BillingRepository {
  /** The customer's current subscription (active/trial/past_due first, then the newest). */
  getSubscription(customerId: string): Promise<Subscription | null>;
  getBillingAccount(customerId: string): Promise<BillingAccount | null>;
  /** Newest first; limit 1..100, default 10. */
  listPayments(customerId: string, limit?: number): Promise<Payment[]>;
  /** Stores an already-masked payment method. Throws NotFoundError without a billing account. */
  updatePaymentMethod(customerId: string, maskedMethod: string, opts?: WriteOptions): Promise<BillingAccount>;
  /**
   * Switches autopay on (with an optional day) or off. Atomic: refuses, with
   * InvalidStateError('billing_account', id, 'no_payment_method'), an account with no payment
   * method on file. Throws NotFoundError without a billing account.
   */
  setAutopay(customerId: string, settings: AutopaySettings, opts?: WriteOptions): Promise<SetAutopayResult>;
  /** Charges and payments of the account dated inside the range. */
  billingActivity(customerId: string, range: ActivityRange): Promise<BillingActivity>;
  /** Sums of the charges and payments dated after `day` (exclusive), in minor units of `currency`. */
  activityAfter(customerId: string, day: string, currency: string): Promise<{ chargesMinor: number; paymentsMinor: number }>;
}

export interface BankingRepository {
  /** All of the customer's bank accounts, or the one of the given type. */
  listBankAccounts(customerId: string, type?: BankAccountType): Promise<BankAccount[]>;
  /** The customer's cards, by last four digits then id (every status). Empty for an unknown customer. */
  listCards(customerId: string): Promise<Card[]>;
  getCard(cardId: string): Promise<Card | null>;
  /**
   * Atomic compare-and-set active → blocked (reason, blocked_at = now). A card already blocked
   * is returned unchanged with changed=false (whatever its reason: a retry is safe). Throws
   * NotFoundError, or InvalidStateError('card', id, 'replaced') for a replaced card.
   */
  blockCard(cardId: string, reason: CardBlockReason, opts?: WriteOptions): Promise<CardChangeResult>;
  /**
   * Atomic compare-and-set blocked(temporary) → active. An active card is returned with
   * changed=false. Throws NotFoundError, or InvalidStateError('card', id, state) where state is
   * the block reason (lost, stolen, suspected_fraud) or 'replaced': those cannot be lifted.
   */
  unblockCard(cardId: string, opts?: WriteOptions): Promise<CardChangeResult>;
  /**
   * One account's transactions, newest first (posted_at desc, id desc), keyset-paginated.
   * An unknown account gives an empty page. Throws ValidationError for a bad cursor.
   */
  listTransactions(bankAccountId: string, opts?: ListTransactionsOptions): Promise<TransactionPage>;
}

export type CardChangeResult = { card: Card; changed: boolean };

export interface ListTransactionsOptions {
  /** posted_at >= from (ISO instant). */
  from?: string;
  /** posted_at < to (ISO instant). */
  to?: string;
  /** Compared with the absolute amount (a charge of -89.99 has amount 89.99 here). */
  minAmount?: number;
  maxAmount?: number;
  /** Case-insensitive substring of the description or the merchant. */
  text?: string;
  /** 1..100; default 20. */
  limit?: number;
  cursor?: string;
}

/** Callbacks to the phone on file (customer data). */
export interface CallbackRepository {
  /**
   * One atomic step: an identical request (same customer and request_key) still scheduled is
   * returned with created=false; otherwise, when the customer already has `maxOpen` scheduled
   * callbacks, ConflictError('callback_limit_reached'); otherwise the callback is stored.
   * Throws NotFoundError for an unknown customer.
   */
  scheduleCallback(input: NewCallback, maxOpen: number, opts?: WriteOptions): Promise<{ callback: Callback; created: boolean }>;
  getCallback(id: string): Promise<Callback | null>;
  /** By window_start, then id; optionally only some statuses. */
  listCallbacks(customerId: string, status?: CallbackStatus[]): Promise<Callback[]>;
  /**
   * scheduled → cancelled; an already cancelled one comes back with changed=false. Throws
   * NotFoundError, or InvalidStateError('callback', id, 'completed').
   */
  cancelCallback(id: string, opts?: WriteOptions): Promise<{ callback: Callback; changed: boolean }>;
}

export interface TicketRepository {
  /**
   * Idempotent when idempotency_key is set: the same key and request for the same customer
   * returns the first ticket with created=false; the same key with a different request throws
   * ConflictError('idempotency_key_reused'). Throws NotFoundError for an unknown customer.
   */
  createTicket(input: NewTicket, opts?: WriteOptions): Promise<CreateTicketResult>;
  getTicket(ticketId: string): Promise<Ticket | null>;
  /**
   * The ticket stored for this customer under this idempotency key, or null (also for an
   * unknown customer). Keys are scoped per customer: another customer's key is never found.
   */
  findTicketByIdempotencyKey(customerId: string, key: string): Promise<Ticket | null>;
}

// The control tables below stay writable in read-only deployments (see postgres/pool.ts).

/** Identity verification. */
export interface VerificationRepository {
  createVerification(input: NewVerification): Promise<Verification>;
  getVerification(id: string): Promise<Verification | null>;
  /**
   * One atomic attempt: counts it, and moves pending → verified (matched) or pending →
   * failed (attempts exhausted). No attempt is counted once locked, expired or settled.
   */
  attemptVerification(id: string, attempt: VerificationAttemptInput): Promise<VerificationAttempt>;
  /** The verified, unexpired verification of this customer in this principal's conversation, if any. */
  findActiveVerification(customerId: string, conversation: ConversationKey, now?: Date): Promise<Verification | null>;
  /**
   * The newest verification (any status; created_at desc, then id desc) of this customer in
   * this principal's conversation by this method, or null. Used to answer a pending KBA
   * challenge and to keep a locked challenge locked until it expires.
   */
  findLatestVerification(customerId: string, conversation: ConversationKey, method: VerificationMethod): Promise<Verification | null>;
  /**
   * Whether a principal other than `conversation.principal` has any verification in this
   * conversation id: someone presenting a conversation that is not theirs (a replay). Used
   * on refusal paths only, to audit and log the attempt.
   */
  conversationHasOtherPrincipal(conversation: ConversationKey): Promise<boolean>;
}

/** The verification outbox. */
export interface OutboxRepository {
  /** Stores a message for a sender. Throws ConflictError('duplicate_outbox_message') for a used id, NotFoundError for an unknown verification. */
  enqueueOutbox(message: NewOutboxMessage): Promise<OutboxMessage>;
  /** Oldest first (created_at, then id). */
  listOutbox(query?: OutboxQuery): Promise<OutboxMessage[]>;
  /**
   * Marks a message sent (sent_at = now) and clears its code. Idempotent: a message already
   * sent is returned unchanged. Throws NotFoundError for an unknown id.
   */
  markOutboxSent(id: string, now?: Date): Promise<OutboxMessage>;
}

/** Handoffs to a person: a queue a help-desk integration drains (a control table, like the outbox). */
export interface HandoffRepository {
  /**
   * Opens a handoff unless this principal's conversation already has one in progress (open or
   * accepted): then that one is returned with created=false (atomic: concurrent calls open one).
   * `position`: 1-based place among the open handoffs of its queue (oldest first), 0 once accepted.
   */
  openHandoff(input: NewHandoff): Promise<OpenHandoffResult>;
  getHandoff(id: string): Promise<Handoff | null>;
  /** Oldest first (created_at, then id). */
  listHandoffs(query?: HandoffQuery): Promise<Handoff[]>;
  /**
   * open → accepted, open|accepted → closed; the same status again changes nothing. Throws
   * NotFoundError, or InvalidStateError('handoff', id, 'closed') to accept a closed handoff.
   */
  setHandoffStatus(id: string, status: Exclude<HandoffStatus, 'open'>): Promise<Handoff>;
}

export type OpenHandoffResult = { handoff: Handoff; created: boolean; position: number };

export interface HandoffQuery {
  /** Only these statuses (default: all). */
  status?: HandoffStatus[];
  /** 1..1000; default 100. */
  limit?: number;
}

/** The audit log (append-only). */
export interface AuditRepository {
  appendAudit(entries: NewAuditEntry[]): Promise<void>;
  /** Oldest first (by id). */
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;
}

/** Rate-limit counters. */
export interface CounterRepository {
  /**
   * One atomic step: increments each counter by one (or its `by`), in order, creating it; stops after
   * a hit whose new count exceeds its `limit`. Returns the new count of every counter it
   * incremented (by key). Concurrent calls never lose an increment. Throws ValidationError
   * for an empty or over-long key, an invalid windowStart/pruneBefore, the same key twice in
   * one call, or a pruneBefore after the window of a counter being hit.
   */
  hitCounters(hits: readonly CounterHit[], opts?: HitCountersOptions): Promise<Record<string, number>>;
  /**
   * The rate limiter's batch, one atomic step: each group's counter goes up by `by`; its
   * checks take the counts it went through (old + 1 … old + by), and of those marked `then`,
   * the ones whose count is at most `limit` are added to the one shared `then` counter (the
   * gate of hitCounters, for many checks at once). Returns the new count of every counter it
   * incremented (`then` only when something passed on). Same validation as hitCounters; a
   * group's key must differ from `then`'s.
   */
  hitCounterGroups(groups: readonly CounterGroup[], then?: { key: string; windowStart: string }, opts?: HitCountersOptions): Promise<Record<string, number>>;
}

/** Every use case of every aggregate: what a backend's aggregate modules provide together. */
export interface RepositoryMethods extends
  CustomerRepository, OrderRepository, BillingRepository, BankingRepository, CallbackRepository, TicketRepository,
  VerificationRepository, OutboxRepository, HandoffRepository, AuditRepository, CounterRepository {}

export interface SupportRepository extends RepositoryMethods {
  readonly backend: 'postgres' | 'fixtures';
  /** Cheap round trip for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
