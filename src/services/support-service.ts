// The support use cases, independent of MCP and of any tool contract's presentation.
// Every profile's tools call these methods; they validate, enforce business rules and
// translate repository errors into ServiceErrors with stable codes.
import { createHash } from 'node:crypto';
import { maskEmail, maskPhone } from '../domain/masking.js';
import {
  maskPaymentMethod, type BankAccount, type BankAccountType, type BillingAccount, type Customer,
  type CustomerLookup, type Order, type OrderPage, type OrderStatus, type Payment, type Subscription,
  type Ticket, type TicketCategory, type TicketPriority,
} from '../domain/index.js';
import type {
  CancelOrderResult, CreateTicketResult, SupportRepository, WriteOptions,
} from '../repository/types.js';
import { OpenAccessGuard, type AccessGuard } from './access.js';
import { fromRepositoryError, ServiceError } from './errors.js';
import { newReference } from './ids.js';
import { validateEmail, validatePhone } from './validation.js';

export interface CreateTicketInput {
  customerId: string;
  category: TicketCategory;
  priority: TicketPriority;
  description: string;
  amount?: number | null;
  currency?: string | null;
  conversationId?: string | null;
  idempotencyKey?: string | null;
  /** Prefix of the generated reference; profiles keep their contract's look (TKT, CASE). */
  referencePrefix?: string;
}

export interface BillingSummary {
  account: BillingAccount;
  payments: Payment[];
}

/**
 * What a look-up shows of a customer who is not verified in this conversation (verified
 * access): only what starting a verification needs.
 */
export interface CustomerPreview {
  id: string;
  email_masked: string;
  phone_masked: string | null;
}

export type CustomerLookupResult =
  | { verified: true; customer: Customer }
  | { verified: false; preview: CustomerPreview };

const LOOKUP_LABEL: Record<CustomerLookup['by'], string> = {
  id: 'customer id', email: 'e-mail', phone: 'phone', username: 'username', account_number: 'account number',
};

export class SupportService {
  private readonly guard: AccessGuard;
  private readonly writeOptions: () => WriteOptions | undefined;

  /**
   * @param opts.guard access policy of the calling conversation (default: open).
   * @param opts.writeOptions per-write options, e.g. the audit entry committed atomically with
   *   the write; used when a caller passes none.
   */
  constructor(
    readonly repo: SupportRepository,
    opts: { guard?: AccessGuard; writeOptions?: () => WriteOptions | undefined } = {},
  ) {
    this.guard = opts.guard ?? new OpenAccessGuard();
    this.writeOptions = opts.writeOptions ?? (() => undefined);
  }

  /** The access guard of this call (services and tools ask it, never bypass it). */
  get access(): AccessGuard {
    return this.guard;
  }

  /** Runs a repository call, turning typed repository errors into ServiceErrors. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromRepositoryError(err);
    }
  }

  /** The customer record, or NOT_FOUND; no access check (callers check or reduce it). */
  private async loadCustomer(lookup: CustomerLookup): Promise<Customer> {
    const value = lookup.by === 'email' ? lookup.value.trim() : lookup.value.trim();
    const customer = await this.call(() => this.repo.findCustomer({ ...lookup, value }));
    if (!customer) {
      throw new ServiceError('NOT_FOUND', `No customer with ${LOOKUP_LABEL[lookup.by]} ${value}.`, {
        entity: 'customer', key: lookup.by, value,
      });
    }
    return customer;
  }

  /** The full customer record; AUTH_REQUIRED when the conversation may not see it. */
  async findCustomer(lookup: CustomerLookup): Promise<Customer> {
    const customer = await this.loadCustomer(lookup);
    await this.guard.assertCustomer(customer.id);
    return customer;
  }

  /**
   * A customer look-up that works before verification: the full record when this
   * conversation may see it, otherwise only the id and masked contacts (what starting a
   * verification needs).
   */
  async lookupCustomer(lookup: CustomerLookup): Promise<CustomerLookupResult> {
    const customer = await this.loadCustomer(lookup);
    if (await this.guard.isVerified(customer.id)) return { verified: true, customer };
    return {
      verified: false,
      preview: { id: customer.id, email_masked: maskEmail(customer.email), phone_masked: customer.phone === null ? null : maskPhone(customer.phone) },
    };
  }

  getCustomer(customerId: string): Promise<Customer> {
    return this.findCustomer({ by: 'id', value: customerId });
  }

  async getOrder(orderId: string): Promise<Order> {
    const order = await this.call(() => this.repo.getOrder(orderId.trim()));
    if (!order) throw new ServiceError('NOT_FOUND', `No order with id ${orderId}.`, { entity: 'order', key: 'id', value: orderId });
    await this.guard.assertCustomer(order.customer_id);
    return order;
  }

  async listOrders(customerId: string, opts: { status?: OrderStatus; limit?: number; cursor?: string } = {}): Promise<OrderPage> {
    await this.guard.assertCustomer(customerId);
    await this.getCustomer(customerId); // a clear NOT_FOUND beats an empty list for a typo'd id
    return this.call(() => this.repo.listOrders(customerId, opts));
  }

  async cancelOrder(orderId: string, opts?: WriteOptions): Promise<CancelOrderResult> {
    // Whose order it is is checked BEFORE the atomic cancel (an order never changes owner).
    await this.getOrder(orderId);
    return this.call(() => this.repo.cancelOrder(orderId.trim(), opts ?? this.writeOptions()));
  }

  async getSubscription(customerId: string): Promise<Subscription> {
    await this.guard.assertCustomer(customerId);
    const sub = await this.call(() => this.repo.getSubscription(customerId));
    if (!sub) {
      await this.getCustomer(customerId);
      throw new ServiceError('NOT_FOUND', `Customer ${customerId} has no subscription.`, {
        entity: 'subscription', key: 'customer_id', value: customerId,
      });
    }
    return sub;
  }

  async getBillingAccount(customerId: string): Promise<BillingAccount> {
    await this.guard.assertCustomer(customerId);
    const account = await this.call(() => this.repo.getBillingAccount(customerId));
    if (!account) {
      await this.getCustomer(customerId);
      throw new ServiceError('NOT_FOUND', `Customer ${customerId} has no billing account.`, {
        entity: 'billing_account', key: 'customer_id', value: customerId,
      });
    }
    return account;
  }

  async listPayments(customerId: string, limit = 10): Promise<Payment[]> {
    await this.getBillingAccount(customerId); // checks access
    return this.call(() => this.repo.listPayments(customerId, limit));
  }

  async getBilling(customerId: string, paymentsLimit = 5): Promise<BillingSummary> {
    const account = await this.getBillingAccount(customerId); // checks access
    const payments = await this.call(() => this.repo.listPayments(customerId, paymentsLimit));
    return { account, payments };
  }

  /** Stores only a masked form: a pasted card number is reduced to its last four digits. */
  async updatePaymentMethod(customerId: string, method: string, opts?: WriteOptions): Promise<BillingAccount> {
    await this.guard.assertCustomer(customerId);
    const masked = maskPaymentMethod(method);
    if (masked.length === 0 || masked.length > 100) {
      throw new ServiceError('VALIDATION_FAILED', 'Describe the payment method in 1 to 100 characters, e.g. "Visa ending in 1234".', {
        issues: [{ field: 'payment_method', message: 'must be 1 to 100 characters' }],
      });
    }
    return this.call(() => this.repo.updatePaymentMethod(customerId, masked, opts ?? this.writeOptions()));
  }

  async listBankAccounts(customerId: string, type?: BankAccountType): Promise<BankAccount[]> {
    await this.guard.assertCustomer(customerId);
    const accounts = await this.call(() => this.repo.listBankAccounts(customerId, type));
    if (accounts.length === 0) {
      await this.getCustomer(customerId);
      throw new ServiceError('NOT_FOUND', type ? `Customer ${customerId} has no ${type} account.` : `Customer ${customerId} has no bank account.`, {
        entity: 'bank_account', key: 'customer_id', value: customerId,
      });
    }
    return accounts;
  }

  async updateContact(customerId: string, patch: { email?: string; phone?: string }, opts?: WriteOptions): Promise<Customer> {
    await this.guard.assertCustomer(customerId);
    if (patch.email === undefined && patch.phone === undefined) {
      throw new ServiceError('VALIDATION_FAILED', 'Give a new email and/or phone to update.', {
        issues: [{ field: 'email', message: 'email or phone is required' }],
      });
    }
    const clean: { email?: string; phone?: string } = {};
    if (patch.email !== undefined) clean.email = validateEmail(patch.email);
    if (patch.phone !== undefined) clean.phone = validatePhone(patch.phone);
    return this.call(() => this.repo.updateContact(customerId, clean, opts ?? this.writeOptions()));
  }

  async createTicket(input: CreateTicketInput, opts?: WriteOptions): Promise<CreateTicketResult> {
    await this.guard.assertCustomer(input.customerId);
    const description = input.description.trim();
    if (description.length === 0) {
      throw new ServiceError('VALIDATION_FAILED', 'A ticket needs a description of the problem.', {
        issues: [{ field: 'description', message: 'must not be empty' }],
      });
    }
    const reference = newReference(input.referencePrefix ?? 'TKT');
    return this.call(() =>
      this.repo.createTicket(
        {
          id: reference,
          number: reference,
          customer_id: input.customerId,
          category: input.category,
          priority: input.priority,
          description,
          amount: input.amount ?? null,
          currency: input.currency ?? null,
          conversation_id: input.conversationId ?? null,
          idempotency_key: input.idempotencyKey ?? null,
        },
        opts ?? this.writeOptions(),
      ),
    );
  }

  /**
   * createTicket for clients that retry without sending a key of their own (PromptArena's
   * stdio client re-sends a failed or slow call up to 3 times): an identical request (same
   * customer, category, priority, description, amount, currency) within `windowMs` of the
   * ticket's creation returns that ticket with created=false.
   *
   * The key is derived: `auto:<sha256 of the request>:<time bucket>` with buckets of windowMs.
   * Within one bucket, concurrent identical calls collapse through createTicket's atomic
   * idempotency. A retry just after a bucket boundary first finds the ticket stored under the
   * previous bucket's key, and returns it when it is younger than the window. Known limit: two
   * identical calls racing ACROSS a boundary (the first not yet stored when the second looks)
   * may create two tickets.
   */
  async createTicketDeduplicated(
    input: Omit<CreateTicketInput, 'idempotencyKey'>,
    windowMs: number,
    now: Date = new Date(),
    opts?: WriteOptions,
  ): Promise<CreateTicketResult> {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new Error(`windowMs must be a positive number, got ${windowMs}`);
    const at = now.getTime();
    if (Number.isNaN(at)) throw new Error('now is not a valid date');
    await this.guard.assertCustomer(input.customerId); // before reading the customer's earlier tickets
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([
        input.customerId, input.category, input.priority, input.description.trim(),
        input.amount ?? null, input.currency ?? null,
      ]))
      .digest('hex');
    const bucket = Math.floor(at / windowMs);
    const keyFor = (b: number): string => `auto:${fingerprint}:${b}`;
    const previous = await this.call(() => this.repo.findTicketByIdempotencyKey(input.customerId, keyFor(bucket - 1)));
    if (previous && at - Date.parse(previous.created_at) < windowMs) return { ticket: previous, created: false };
    return this.createTicket({ ...input, idempotencyKey: keyFor(bucket) }, opts);
  }

  async getTicket(ticketId: string): Promise<Ticket> {
    const ticket = await this.call(() => this.repo.getTicket(ticketId.trim()));
    if (!ticket) throw new ServiceError('NOT_FOUND', `No ticket with id ${ticketId}.`, { entity: 'ticket', key: 'id', value: ticketId });
    await this.guard.assertCustomer(ticket.customer_id);
    return ticket;
  }
}
