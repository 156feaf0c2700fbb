// The base of every domain service (customers, orders, billing, banking, tickets). It holds the
// repository privately: a subclass reaches customer data only through the helpers below, and
// each helper applies the call's access guard, error translation and write options itself. A
// use case gets a CustomerScope: the repository bound to the one customer the guard let
// through, whose writes carry the call's audit entry. So a new use case cannot forget the
// guard (there is no unguarded way to a customer's data), cannot read another customer's data
// from inside a scope, cannot leak a driver error, and cannot write without the audit entry.
import type {
  BankAccount, BankAccountType, BillingAccount, Callback, Card, CardBlockReason, ContactPatch, Customer, CustomerLookup, NewTicket, Order, OrderPage,
  NewCallback, Payment, Preferences, PreferencesPatch, Subscription, Ticket, TransactionPage,
} from '../domain/index.js';
import type {
  ActivityRange, AutopaySettings, BillingActivity, CancelOrderResult, CreateTicketResult, ListOrdersOptions,
  NewReturn, RequestReturnResult, SetAutopayResult, SupportRepository, WriteOptions, CardChangeResult,
  ListTransactionsOptions,
} from '../repository/types.js';
import { OpenAccessGuard, type AccessGuard } from './access.js';
import { fromRepositoryError, ServiceError } from './errors.js';

export interface DomainServiceOptions {
  /** Access policy of the calling conversation (default: open). */
  guard?: AccessGuard;
  /**
   * Per-write options, e.g. the audit entry committed atomically with the write (see
   * ServiceHub.writeOptionsFor). Asked once per write; default: none.
   */
  writeOptions?: () => WriteOptions | undefined;
}

/**
 * What a customer-scoped use case may touch: the data of one customer, after the guard let the
 * call through for that customer. Writes carry the call's write options (its audit entry).
 */
export interface CustomerScope {
  readonly customerId: string;
  /** The customer record; NOT_FOUND for an unknown id. */
  customer(): Promise<Customer>;
  subscription(): Promise<Subscription | null>;
  billingAccount(): Promise<BillingAccount | null>;
  /** Newest first. */
  payments(limit?: number): Promise<Payment[]>;
  bankAccounts(type?: BankAccountType): Promise<BankAccount[]>;
  orders(opts?: ListOrdersOptions): Promise<OrderPage>;
  ticketByIdempotencyKey(key: string): Promise<Ticket | null>;
  updateContact(patch: ContactPatch): Promise<Customer>;
  /** Stored or default preferences; null for an unknown customer. */
  preferences(): Promise<Preferences | null>;
  updatePreferences(patch: PreferencesPatch): Promise<Preferences>;
  /** Stores an already-masked payment method. */
  updatePaymentMethod(maskedMethod: string): Promise<BillingAccount>;
  createTicket(ticket: Omit<NewTicket, 'customer_id'>): Promise<CreateTicketResult>;
  /** Cancels one of this customer's orders (one loaded through forOwnerOf). */
  cancelOrder(order: Order): Promise<CancelOrderResult>;
  setAutopay(settings: AutopaySettings): Promise<SetAutopayResult>;
  /** Charges and payments dated in the range. */
  billingActivity(range: ActivityRange): Promise<BillingActivity>;
  /** Sums (minor units) of the charges and payments dated after `day`. */
  activityAfter(day: string, currency: string): Promise<{ chargesMinor: number; paymentsMinor: number }>;
  /** Requests a return of one of this customer's orders (one loaded through forOwnerOf). */
  requestReturn(order: Order, input: Omit<NewReturn, 'orderId'>): Promise<RequestReturnResult>;
  /** By last four digits, then id; every status. */
  cards(): Promise<Card[]>;
  /** Blocks one of this customer's cards (compare-and-set; a blocked card comes back with changed=false). */
  blockCard(card: Card, reason: CardBlockReason): Promise<CardChangeResult>;
  /** Lifts a temporary block on one of this customer's cards. */
  unblockCard(card: Card): Promise<CardChangeResult>;
  /** Schedules a callback for this customer (see CallbackRepository.scheduleCallback). */
  scheduleCallback(input: Omit<NewCallback, 'customer_id'>, maxOpen: number): Promise<{ callback: Callback; created: boolean }>;
  /** Cancels one of this customer's callbacks (one loaded through forOwnerOf). */
  cancelCallback(callback: Callback): Promise<{ callback: Callback; changed: boolean }>;
  /** One of this customer's accounts' transactions, newest first. */
  transactions(account: BankAccount, opts?: ListTransactionsOptions): Promise<TransactionPage>;
}

/** The reads allowed before the guard: finding a record by its own id to learn whose it is. */
// getOrderWithReturns: the order's returns are part of the order record here; like the
// order, they leave the service only when the guard lets the owner through.
export type OwnerLookups = Pick<SupportRepository, 'getOrder' | 'getOrderWithReturns' | 'getTicket' | 'getReturn' | 'getCard' | 'getCallback'>;

const LOOKUP_LABEL: Record<CustomerLookup['by'], string> = {
  id: 'customer id', email: 'e-mail', phone: 'phone', username: 'username', account_number: 'account number',
};

/** Runs a repository call, turning typed repository errors into ServiceErrors. */
export const translated = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    throw fromRepositoryError(err);
  }
};

export abstract class DomainService {
  readonly #repo: SupportRepository;
  readonly #guard: AccessGuard;
  readonly #writeOptions: () => WriteOptions | undefined;

  constructor(repo: SupportRepository, opts: DomainServiceOptions = {}) {
    this.#repo = repo;
    this.#guard = opts.guard ?? new OpenAccessGuard();
    this.#writeOptions = opts.writeOptions ?? (() => undefined);
  }

  /**
   * The one way to a customer's data: the guard first (AUTH_REQUIRED unless this conversation
   * may act on the customer), then `use` with the scope, its repository errors translated.
   */
  protected async forCustomer<T>(customerId: string, use: (scope: CustomerScope) => Promise<T>): Promise<T> {
    await this.#guard.assertCustomer(customerId);
    return translated(() => use(this.#scope(customerId)));
  }

  /**
   * For records whose owner is known only once loaded (an order, a ticket, a customer found by
   * e-mail): loads it, NOT_FOUND (`notFound`) when absent, then the guard on its owner before
   * the record, or anything `use` does with it, is returned.
   */
  protected async forOwnerOf<R, T = R>(
    load: (records: OwnerLookups) => Promise<R | null>,
    notFound: () => ServiceError,
    ownerOf: (record: R) => string,
    use: (record: R, scope: CustomerScope) => Promise<T> = async (record) => record as unknown as T,
  ): Promise<T> {
    const record = await translated(() => load(this.#repo));
    if (record === null) throw notFound();
    return this.forCustomer(ownerOf(record), (scope) => use(record, scope));
  }

  /**
   * Before verification: the customer found by `lookup` and whether this conversation may see
   * them (no AUTH_REQUIRED). For look-ups that reduce what they show, never for data access.
   */
  protected async identify(lookup: CustomerLookup): Promise<{ customer: Customer; verified: boolean }> {
    const customer = await this.#load(lookup);
    return { customer, verified: await translated(() => this.#guard.isVerified(customer.id)) };
  }

  /** The full customer record found by `lookup`; AUTH_REQUIRED when this conversation may not see it. */
  protected findCustomerRecord(lookup: CustomerLookup): Promise<Customer> {
    return this.forOwnerOf(() => this.#load(lookup), () => customerNotFound(lookup), (c) => c.id);
  }

  async #load(lookup: CustomerLookup): Promise<Customer> {
    const value = lookup.value.trim();
    const customer = await translated(() => this.#repo.findCustomer({ ...lookup, value }));
    if (!customer) throw customerNotFound({ ...lookup, value });
    return customer;
  }

  #scope(customerId: string): CustomerScope {
    const repo = this.#repo;
    const write = (): WriteOptions | undefined => this.#writeOptions();
    return {
      customerId,
      customer: () => this.#load({ by: 'id', value: customerId }),
      subscription: () => repo.getSubscription(customerId),
      billingAccount: () => repo.getBillingAccount(customerId),
      payments: (limit) => repo.listPayments(customerId, limit),
      bankAccounts: (type) => repo.listBankAccounts(customerId, type),
      orders: (opts) => repo.listOrders(customerId, opts),
      ticketByIdempotencyKey: (key) => repo.findTicketByIdempotencyKey(customerId, key),
      updateContact: (patch) => repo.updateContact(customerId, patch, write()),
      preferences: () => repo.getPreferences(customerId),
      updatePreferences: (patch) => repo.updatePreferences(customerId, patch, write()),
      updatePaymentMethod: (maskedMethod) => repo.updatePaymentMethod(customerId, maskedMethod, write()),
      createTicket: (ticket) => repo.createTicket({ ...ticket, customer_id: customerId }, write()),
      cancelOrder: async (order) => {
        if (order.customer_id !== customerId) throw new Error(`order ${order.id} is not customer ${customerId}'s`);
        return repo.cancelOrder(order.id, write());
      },
      setAutopay: (settings) => repo.setAutopay(customerId, settings, write()),
      billingActivity: (range) => repo.billingActivity(customerId, range),
      activityAfter: (day, currency) => repo.activityAfter(customerId, day, currency),
      requestReturn: async (order, input) => {
        if (order.customer_id !== customerId) throw new Error(`order ${order.id} is not customer ${customerId}'s`);
        return repo.requestReturn({ ...input, orderId: order.id }, write());
      },
      cards: () => repo.listCards(customerId),
      blockCard: async (card, reason) => {
        if (card.customer_id !== customerId) throw new Error(`card ${card.id} is not customer ${customerId}'s`);
        return repo.blockCard(card.id, reason, write());
      },
      unblockCard: async (card) => {
        if (card.customer_id !== customerId) throw new Error(`card ${card.id} is not customer ${customerId}'s`);
        return repo.unblockCard(card.id, write());
      },
      scheduleCallback: (input, maxOpen) => repo.scheduleCallback({ ...input, customer_id: customerId }, maxOpen, write()),
      cancelCallback: async (callback) => {
        if (callback.customer_id !== customerId) throw new Error(`callback ${callback.id} is not customer ${customerId}'s`);
        return repo.cancelCallback(callback.id, write());
      },
      transactions: async (account, opts) => {
        if (account.customer_id !== customerId) throw new Error(`bank account ${account.id} is not customer ${customerId}'s`);
        return repo.listTransactions(account.id, opts);
      },
    };
  }
}

/** NOT_FOUND for a customer look-up, naming the key and value as given. */
export const customerNotFound = (lookup: CustomerLookup): ServiceError => {
  const value = lookup.value.trim();
  return new ServiceError('NOT_FOUND', `No customer with ${LOOKUP_LABEL[lookup.by]} ${value}.`, { entity: 'customer', key: lookup.by, value });
};
