// Ticket use cases: opening a support ticket (idempotent with a key, or de-duplicated for
// clients that retry without one) and reading one.
import { createHash } from 'node:crypto';
import { isExactAmount, minorDigits, type Ticket, type TicketCategory, type TicketPriority } from '../domain/index.js';
import type { CreateTicketResult } from '../repository/types.js';
import { DomainService } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';
import { newReference } from './ids.js';

export interface CreateTicketInput {
  customerId: string;
  category: TicketCategory;
  priority: TicketPriority;
  description: string;
  /** Money involved, in major units: zero or more, exact in the currency (USD when none: two decimals). */
  amount?: number | null;
  /** ISO 4217 code of the amount, any case ('usd' is stored as USD). */
  currency?: string | null;
  conversationId?: string | null;
  idempotencyKey?: string | null;
  /** Prefix of the generated reference; profiles keep their contract's look (TKT, CASE). */
  referencePrefix?: string;
}

const DECIMALS: Record<number, string> = { 0: 'no decimals', 2: 'at most two decimals', 3: 'at most three decimals' };
const EXAMPLE: Record<number, string> = { 0: '1500', 2: '89.99', 3: '12.345' };

/**
 * The amount and currency as stored, or VALIDATION_FAILED (fields amount, currency). Checked
 * before any access check: arguments say nothing about a customer.
 */
const moneyOf = (input: Pick<CreateTicketInput, 'amount' | 'currency'>): { amount: number | null; currency: string | null } => {
  const amount = input.amount ?? null;
  const raw = input.currency ?? null;
  const currency = raw === null ? null : raw.trim().toUpperCase();
  // the amount's decimals are its currency's (JPY none, USD two, KWD three; USD when none is given)
  const valid = /^[A-Z]{3}$/.test(currency ?? '');
  const unit = valid ? currency! : 'USD';
  if (amount !== null && (amount < 0 || !isExactAmount(amount, unit))) {
    const digits = minorDigits(unit);
    const words = DECIMALS[digits] ?? `${digits} decimals`;
    throw invalidField('amount', `amount must be zero or more with ${words}, e.g. ${EXAMPLE[digits] ?? '89.99'}.`, `must be >= 0 with ${words}`);
  }
  if (raw !== null && !valid) {
    throw invalidField('currency', `'${raw.slice(0, 20)}' is not an ISO 4217 currency code such as USD.`, 'must be a three-letter ISO 4217 code');
  }
  return { amount, currency };
};

export class TicketService extends DomainService {
  async createTicket(input: CreateTicketInput): Promise<CreateTicketResult> {
    const money = moneyOf(input);
    return this.forCustomer(input.customerId, async (scope) => {
      const description = input.description.trim();
      if (description.length === 0) {
        throw invalidField('description', 'A ticket needs a description of the problem.', 'must not be empty');
      }
      const reference = newReference(input.referencePrefix ?? 'TKT');
      return scope.createTicket({
        id: reference,
        number: reference,
        category: input.category,
        priority: input.priority,
        description,
        ...money,
        conversation_id: input.conversationId ?? null,
        idempotency_key: input.idempotencyKey ?? null,
      });
    });
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
  ): Promise<CreateTicketResult> {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new Error(`windowMs must be a positive number, got ${windowMs}`);
    const at = now.getTime();
    if (Number.isNaN(at)) throw new Error('now is not a valid date');
    // the guard runs before the customer's earlier tickets are read
    const previous = await this.forCustomer(input.customerId, async (scope) => {
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([
          input.customerId, input.category, input.priority, input.description.trim(),
          input.amount ?? null, input.currency ?? null,
        ]))
        .digest('hex');
      const bucket = Math.floor(at / windowMs);
      const keyFor = (b: number): string => `auto:${fingerprint}:${b}`;
      const found = await scope.ticketByIdempotencyKey(keyFor(bucket - 1));
      return { found, key: keyFor(bucket) };
    });
    if (previous.found && at - Date.parse(previous.found.created_at) < windowMs) return { ticket: previous.found, created: false };
    return this.createTicket({ ...input, idempotencyKey: previous.key });
  }

  getTicket(ticketId: string): Promise<Ticket> {
    return this.forOwnerOf(
      (records) => records.getTicket(ticketId.trim()),
      () => new ServiceError('NOT_FOUND', `No ticket with id ${ticketId}.`, { entity: 'ticket', key: 'id', value: ticketId }),
      (t) => t.customer_id,
    );
  }
}
