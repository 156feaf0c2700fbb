// The one repository interface. Methods are use cases, not tables: each one is a single
// atomic step that both backends implement with the same observable behaviour, proven by
// the shared contract suite in test/contract/.
import type {
  AuditEntry, BankAccount, BankAccountType, BillingAccount, ContactPatch, Customer, CustomerLookup,
  NewAuditEntry, NewTicket, NewVerification, Order, OrderPage, OrderStatus, Payment, Subscription,
  Ticket, Verification, VerificationAttempt,
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

export interface AuditQuery {
  customerId?: string;
  since?: string;
  limit?: number;
}

export interface SupportRepository {
  readonly backend: 'postgres' | 'fixtures';

  // customers
  findCustomer(lookup: CustomerLookup): Promise<Customer | null>;
  /**
   * Sets email and/or phone. Throws NotFoundError, or ConflictError('email_taken' |
   * 'phone_taken') when another customer already has the value.
   */
  updateContact(customerId: string, patch: ContactPatch, opts?: WriteOptions): Promise<Customer>;

  // orders
  getOrder(orderId: string): Promise<Order | null>;
  /** Newest first, keyset-paginated. An unknown customer gives an empty page. */
  listOrders(customerId: string, opts?: ListOrdersOptions): Promise<OrderPage>;
  /**
   * Atomic compare-and-set: only processing/pending orders become cancelled.
   * Throws NotFoundError, or InvalidStateError carrying the current status.
   */
  cancelOrder(orderId: string, opts?: WriteOptions): Promise<CancelOrderResult>;

  // subscriptions, billing, banking
  /** The customer's current subscription (active/trial/past_due first, then the newest). */
  getSubscription(customerId: string): Promise<Subscription | null>;
  getBillingAccount(customerId: string): Promise<BillingAccount | null>;
  /** Newest first; limit 1..100, default 10. */
  listPayments(customerId: string, limit?: number): Promise<Payment[]>;
  /** Stores an already-masked payment method. Throws NotFoundError without a billing account. */
  updatePaymentMethod(customerId: string, maskedMethod: string, opts?: WriteOptions): Promise<BillingAccount>;
  /** All of the customer's bank accounts, or the one of the given type. */
  listBankAccounts(customerId: string, type?: BankAccountType): Promise<BankAccount[]>;

  // tickets
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

  // identity verification
  createVerification(input: NewVerification): Promise<Verification>;
  getVerification(id: string): Promise<Verification | null>;
  /**
   * One atomic attempt: counts it, and moves pending → verified (matched) or pending →
   * failed (attempts exhausted). No attempt is counted once locked, expired or settled.
   */
  attemptVerification(id: string, attempt: VerificationAttemptInput): Promise<VerificationAttempt>;
  /** The verified, unexpired verification of this customer in this conversation, if any. */
  findActiveVerification(customerId: string, conversationId: string, now?: Date): Promise<Verification | null>;

  // audit (append-only)
  appendAudit(entries: NewAuditEntry[]): Promise<void>;
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;

  /** Cheap round trip for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
