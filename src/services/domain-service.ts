// The base of every domain service (customers, orders, billing, banking, tickets). It holds the
// repository privately: a subclass reaches it only through the helpers below, and each helper
// applies the call's access guard, error translation and write options itself. So a new use
// case cannot forget the guard (there is no unguarded way to a customer's data), cannot leak a
// driver error, and cannot write without the call's audit entry.
import type { Customer, CustomerLookup } from '../domain/index.js';
import type { SupportRepository, WriteOptions } from '../repository/types.js';
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

/** What a customer-scoped use case may touch: one customer, after the guard let it through. */
export interface CustomerScope {
  readonly customerId: string;
  /** The repository (errors are translated by the helper that handed out the scope). */
  readonly repo: SupportRepository;
  /** Options for a write of this call (the call's audit entry, to commit with the first write). */
  write(): WriteOptions | undefined;
  /** The customer record; NOT_FOUND for an unknown id. */
  customer(): Promise<Customer>;
}

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
    load: (repo: SupportRepository) => Promise<R | null>,
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
    return {
      customerId,
      repo: this.#repo,
      write: () => this.#writeOptions(),
      customer: () => this.#load({ by: 'id', value: customerId }),
    };
  }
}

/** NOT_FOUND for a customer look-up, naming the key and value as given. */
export const customerNotFound = (lookup: CustomerLookup): ServiceError => {
  const value = lookup.value.trim();
  return new ServiceError('NOT_FOUND', `No customer with ${LOOKUP_LABEL[lookup.by]} ${value}.`, { entity: 'customer', key: lookup.by, value });
};
