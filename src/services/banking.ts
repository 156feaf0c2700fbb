// Banking use cases: a customer's bank accounts and the balance of one of them. Balances are
// account data under every access policy: they need a verification in this conversation even
// when the deployment's access is open, and an account that is not active gives none out.
import { IsoDate, type BankAccount, type BankAccountType, type Card, type CardBlockReason, type TransactionPage } from '../domain/index.js';
import type { CardChangeResult, ListTransactionsOptions, SupportRepository } from '../repository/types.js';
import { DomainService, type CustomerScope, type DomainServiceOptions } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';

/** How a caller names a card: by id (optionally with the customer they say it is), or by the customer and its last four digits. */
export type CardTarget =
  | { cardId: string; customerId?: string }
  | { customerId: string; last4: string };

export interface TransactionQuery {
  /** One of the customer's accounts by id, or by type; default the main account (defaultAccount). */
  accountId?: string;
  accountType?: BankAccountType;
  /** Calendar days (YYYY-MM-DD, UTC), both inclusive. */
  fromDate?: string;
  toDate?: string;
  /** Bounds on the absolute amount, in major units. */
  minAmount?: number;
  maxAmount?: number;
  /** Words in the description or merchant (case-insensitive). */
  text?: string;
  limit?: number;
  cursor?: string;
}

export interface TransactionHistory extends TransactionPage {
  account: BankAccount;
}

const DAY_MS = 86_400_000;
const MAX_TEXT = 100;

/** A calendar day as the instant it starts (UTC), or VALIDATION_FAILED on `field`. */
const dayStart = (value: string, field: string): number => {
  const ms = IsoDate.safeParse(value).success ? Date.parse(`${value}T00:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalidField(field, `${field} must be a calendar date such as 2024-11-30.`, 'must be YYYY-MM-DD');
  }
  return ms;
};

/** The repository's filter for a query, or VALIDATION_FAILED: checked before any access check (arguments say nothing about a customer). */
const transactionFilter = (q: TransactionQuery): ListTransactionsOptions => {
  const opts: ListTransactionsOptions = {};
  const from = q.fromDate === undefined ? undefined : dayStart(q.fromDate, 'fromDate');
  const to = q.toDate === undefined ? undefined : dayStart(q.toDate, 'toDate') + DAY_MS;
  if (from !== undefined && to !== undefined && from >= to) throw invalidField('fromDate', 'fromDate must not be after toDate.', 'must not be after toDate');
  if (from !== undefined) opts.from = new Date(from).toISOString();
  if (to !== undefined) opts.to = new Date(to).toISOString();
  for (const [field, value] of [['minAmount', q.minAmount], ['maxAmount', q.maxAmount]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw invalidField(field, `${field} must be zero or more.`, 'must be >= 0');
  }
  if (q.minAmount !== undefined && q.maxAmount !== undefined && q.minAmount > q.maxAmount) {
    throw invalidField('minAmount', 'minAmount must not be more than maxAmount.', 'must be <= maxAmount');
  }
  if (q.minAmount !== undefined) opts.minAmount = q.minAmount;
  if (q.maxAmount !== undefined) opts.maxAmount = q.maxAmount;
  const text = q.text?.trim();
  if (text !== undefined && text.length > MAX_TEXT) throw invalidField('text', `The search text is limited to ${MAX_TEXT} characters.`, `at most ${MAX_TEXT} characters`);
  if (text) opts.text = text;
  if (q.limit !== undefined) {
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 100) throw invalidField('limit', 'limit must be between 1 and 100.', 'must be 1-100');
    opts.limit = q.limit;
  }
  if (q.cursor !== undefined) opts.cursor = q.cursor;
  return opts;
};

const cardNotFound = (key: string, value: string): ServiceError =>
  new ServiceError('NOT_FOUND', key === 'id' ? `No card with id ${value}.` : `No card ending in ${value}.`, { entity: 'card', key, value });

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

  /** The customer's cards (every status), by last four digits then id; NOT_FOUND for an unknown customer. */
  listCards(customerId: string): Promise<Card[]> {
    return this.forCustomer(customerId, async (scope) => {
      await scope.customer();
      return scope.cards();
    });
  }

  /**
   * Blocks a card right away (compare-and-set active → blocked): changed=false when it was
   * already blocked (a retry, or a second report). INVALID_STATE (card, replaced) for a card
   * that has been replaced.
   */
  blockCard(target: CardTarget, reason: CardBlockReason): Promise<CardChangeResult> {
    return this.#withCard(target, (card, scope) => scope.blockCard(card, reason));
  }

  /**
   * Lifts a temporary block; changed=false for an active card. INVALID_STATE (card, the block
   * reason) for a lost, stolen or fraud block: those cards are replaced, never unblocked.
   */
  unblockCard(target: CardTarget): Promise<CardChangeResult> {
    return this.#withCard(target, (card, scope) => scope.unblockCard(card));
  }

  /**
   * A page of one account's transactions, newest first. Account data: like balances it needs a
   * verification in this conversation under every access policy, and an account that is not
   * active gives none out. NOT_FOUND (bank_account) for an account that is not the customer's.
   */
  async transactionHistory(customerId: string, query: TransactionQuery = {}): Promise<TransactionHistory> {
    const filter = transactionFilter(query);
    const customer = await this.findCustomerRecord({ by: 'id', value: customerId });
    await this.#requireVerified(customer.id);
    if (customer.status !== 'active') {
      throw new ServiceError('INVALID_STATE', `Customer ${customer.id}'s accounts are ${customer.status}; transactions cannot be given out.`, {
        entity: 'customer', state: customer.status,
      });
    }
    return this.forCustomer(customer.id, async (scope) => {
      const accounts = await scope.bankAccounts(query.accountType);
      const wanted = query.accountId?.trim();
      const account = wanted === undefined ? defaultAccount(accounts) : accounts.find((a) => a.id === wanted);
      if (account === undefined) {
        throw new ServiceError('NOT_FOUND', query.accountId !== undefined
          ? `Customer ${customer.id} has no account ${query.accountId}.`
          : query.accountType ? `Customer ${customer.id} has no ${query.accountType} account.` : `Customer ${customer.id} has no bank account.`, {
          entity: 'bank_account', key: query.accountId !== undefined ? 'id' : 'customer_id', value: query.accountId ?? customer.id,
        });
      }
      return { account, ...(await scope.transactions(account, filter)) };
    });
  }

  /**
   * Finds the card a caller means, after the guard, and runs `use` on it. With a customer, only
   * that customer's cards are searched (another customer's card id is NOT_FOUND, nothing about
   * it is revealed); a card id alone is guarded on its owner.
   */
  #withCard<T>(target: CardTarget, use: (card: Card, scope: CustomerScope) => Promise<T>): Promise<T> {
    const last4 = 'last4' in target ? target.last4.trim() : undefined;
    if (last4 !== undefined && !/^\d{4}$/.test(last4)) {
      throw invalidField('cardLast4', 'The last four digits of the card are four digits, e.g. 4821.', 'must be four digits');
    }
    const cardId = 'cardId' in target ? target.cardId.trim() : undefined;
    if (target.customerId === undefined) {
      return this.forOwnerOf((records) => records.getCard(cardId!), () => cardNotFound('id', cardId!), (card) => card.customer_id, use);
    }
    return this.forCustomer(target.customerId.trim(), async (scope) => {
      await scope.customer();
      const cards = await scope.cards();
      if (cardId !== undefined) {
        const card = cards.find((c) => c.id === cardId);
        if (card === undefined) throw cardNotFound('id', cardId);
        return use(card, scope);
      }
      // a replaced card keeps its digits, but the caller means the card in their wallet
      const matches = cards.filter((c) => c.last4 === last4 && c.status !== 'replaced');
      if (matches.length === 0) throw cardNotFound('last4', last4!);
      if (matches.length > 1) {
        throw invalidField('cardLast4', `The customer has ${matches.length} cards ending in ${last4}; name the card by its id.`, 'matches several cards');
      }
      return use(matches[0]!, scope);
    });
  }
}
