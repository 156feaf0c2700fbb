// Banking use cases: a customer's bank accounts and the balance of one of them. Balances are
// account data under every access policy: they need a verification in this conversation even
// when the deployment's access is open, and an account that is not active gives none out.
import type { BankAccount, BankAccountType } from '../domain/index.js';
import type { SupportRepository } from '../repository/types.js';
import { DomainService, type DomainServiceOptions } from './domain-service.js';
import { ServiceError } from './errors.js';

/** Without an account type: the first account the customer has in this order (the same on every backend). */
export const DEFAULT_ACCOUNT_ORDER: readonly BankAccountType[] = ['checking', 'savings', 'credit'];

/** The default account: by DEFAULT_ACCOUNT_ORDER, then by id (two accounts of a type give the same one everywhere). */
export const defaultAccount = (accounts: readonly BankAccount[]): BankAccount | undefined => {
  const rank = (a: BankAccount) => DEFAULT_ACCOUNT_ORDER.indexOf(a.account_type);
  return [...accounts].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
};

export interface BankingServiceOptions extends DomainServiceOptions {
  /**
   * AUTH_REQUIRED unless the customer verified their identity in this conversation, whatever
   * the access policy (VerificationService.requireVerified bound to the call's conversation).
   * Default: refuse, so a service built without a verification never gives out a balance.
   */
  requireVerified?: (customerId: string) => Promise<unknown>;
}

export class BankingService extends DomainService {
  readonly #requireVerified: (customerId: string) => Promise<unknown>;

  constructor(repo: SupportRepository, opts: BankingServiceOptions = {}) {
    super(repo, opts);
    this.#requireVerified = opts.requireVerified ?? (async (customerId) => {
      throw new ServiceError('AUTH_REQUIRED', `Customer ${customerId} has not verified their identity in this conversation.`, {
        entity: 'verification', key: 'customer_id', value: customerId,
      });
    });
  }

  /** All of the customer's accounts, or those of one type; NOT_FOUND (bank_account) when there are none. */
  listBankAccounts(customerId: string, type?: BankAccountType): Promise<BankAccount[]> {
    return this.forCustomer(customerId, async ({ bankAccounts, customer }) => {
      const accounts = await bankAccounts(type);
      if (accounts.length > 0) return accounts;
      await customer();
      throw new ServiceError('NOT_FOUND', type ? `Customer ${customerId} has no ${type} account.` : `Customer ${customerId} has no bank account.`, {
        entity: 'bank_account', key: 'customer_id', value: customerId,
      });
    });
  }

  /**
   * The account whose balance may be given out: the one of `type`, or the default account
   * (DEFAULT_ACCOUNT_ORDER). Needs a verification in this conversation; then INVALID_STATE
   * (customer, its status) when the customer is not active, checked only after
   * authentication so an unverified caller does not learn the account's state.
   */
  async balanceAccount(customerId: string, type?: BankAccountType): Promise<BankAccount> {
    const customer = await this.findCustomerRecord({ by: 'id', value: customerId });
    await this.#requireVerified(customer.id);
    if (customer.status !== 'active') {
      throw new ServiceError('INVALID_STATE', `Customer ${customer.id}'s accounts are ${customer.status}; balances cannot be given out.`, {
        entity: 'customer', state: customer.status,
      });
    }
    return defaultAccount(await this.listBankAccounts(customer.id, type))!;
  }
}
