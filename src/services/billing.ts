// Billing use cases: the subscription, the billing account and its payments, and changing
// the stored payment method (only ever stored masked, see domain/billing.ts).
import {
  fromMinor, MAX_PAYMENT_METHOD_LENGTH, StatementMonth, storablePaymentMethod, toMinor, type BillingAccount, type Payment,
  type Statement, type Subscription,
} from '../domain/index.js';
import { NotFoundError } from '../repository/errors.js';
import type { SetAutopayResult } from '../repository/types.js';
import { DomainService, type CustomerScope } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';

export interface BillingSummary {
  account: BillingAccount;
  payments: Payment[];
}

export interface UpdatePaymentMethodOptions {
  /** How the caller's argument is named, for the "is required" error (default 'payment method'). */
  argument?: string;
}

const noBillingAccount = (customerId: string): ServiceError =>
  new ServiceError('NOT_FOUND', `Customer ${customerId} has no billing account.`, {
    entity: 'billing_account', key: 'customer_id', value: customerId,
  });

/** The account, or NOT_FOUND: for the customer when there is none, else for the account. */
const accountOf = async ({ customerId, billingAccount, customer }: CustomerScope): Promise<BillingAccount> => {
  const account = await billingAccount();
  if (account) return account;
  await customer();
  throw noBillingAccount(customerId);
};

export interface SetAutopayInput {
  enabled: boolean;
  /** 1..28; only with enabled (collect on this day of the month instead of the due date). */
  paymentDay?: number | null;
  /** How the caller's day argument is named in errors (default 'payment_day'). */
  dayArgument?: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The last full calendar month before `now` (UTC), 'YYYY-MM'. */
export const lastFullMonth = (now: Date = new Date()): string => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
};

/** First and last day of a 'YYYY-MM' month. */
export const monthRange = (month: string): { from: string; to: string } => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${pad2(last)}` };
};

/** The month argument as a 'YYYY-MM' not after the current month, or VALIDATION_FAILED (before any access check). */
export const statementMonth = (month: string | undefined, now: Date = new Date(), argument = 'month'): string => {
  if (month === undefined) return lastFullMonth(now);
  const m = month.trim();
  if (!StatementMonth.safeParse(m).success) {
    throw invalidField(argument, `${argument} must be a calendar month as YYYY-MM, e.g. ${lastFullMonth(now)}.`, 'expected YYYY-MM');
  }
  const current = `${now.getUTCFullYear()}-${pad2(now.getUTCMonth() + 1)}`;
  if (m > current) throw invalidField(argument, `${m} has not started yet: a statement covers the current month at most.`, 'is in the future');
  if (m < '2000-01') throw invalidField(argument, `${m} is before any billing history.`, 'is too early');
  return m;
};

export class BillingService extends DomainService {
  /**
   * The statement of one month (default: the last full month): opening balance, the month's
   * charges and payments, closing balance, all exact in the account's currency. Anchored on
   * the current balance, so statements always agree with it: closing = balance now - charges
   * after the month + payments after it; opening = closing - charges + payments of the month.
   * A month with no activity is a valid statement (empty lists, opening = closing).
   */
  async getStatement(customerId: string, month?: string, now: Date = new Date()): Promise<Statement> {
    const m = statementMonth(month, now);
    return this.forCustomer(customerId, async (scope) => {
      const account = await accountOf(scope);
      const customer = await scope.customer();
      const { currency } = account;
      const range = monthRange(m);
      const [activity, after] = await Promise.all([scope.billingActivity(range), scope.activityAfter(range.to, currency)]);
      const sum = (amounts: number[]) => amounts.reduce((acc, a) => acc + toMinor(a, currency), 0);
      const charged = sum(activity.charges.map((c) => c.amount));
      const paid = sum(activity.payments.map((p) => p.amount));
      const closing = toMinor(account.balance, currency) - after.chargesMinor + after.paymentsMinor;
      const opening = closing - charged + paid;
      return {
        customer_id: customer.id,
        customer_name: customer.name,
        month: m,
        period_start: range.from,
        period_end: range.to,
        currency,
        opening_balance: fromMinor(opening, currency),
        charges: activity.charges,
        total_charges: fromMinor(charged, currency),
        payments: activity.payments,
        total_payments: fromMinor(paid, currency),
        closing_balance: fromMinor(closing, currency),
        payment_method: account.payment_method,
        autopay: account.autopay,
        generated_at: now.toISOString(),
      };
    });
  }

  getSubscription(customerId: string): Promise<Subscription> {
    return this.forCustomer(customerId, async ({ subscription, customer }) => {
      const sub = await subscription();
      if (sub) return sub;
      await customer();
      throw new ServiceError('NOT_FOUND', `Customer ${customerId} has no subscription.`, {
        entity: 'subscription', key: 'customer_id', value: customerId,
      });
    });
  }

  getBillingAccount(customerId: string): Promise<BillingAccount> {
    return this.forCustomer(customerId, accountOf);
  }

  /** Newest first. */
  listPayments(customerId: string, limit = 10): Promise<Payment[]> {
    return this.forCustomer(customerId, async (scope) => {
      await accountOf(scope);
      return scope.payments(limit);
    });
  }

  /** The account and its most recent payments (newest first). */
  getBilling(customerId: string, paymentsLimit = 5): Promise<BillingSummary> {
    return this.forCustomer(customerId, async (scope) => {
      const account = await accountOf(scope);
      return { account, payments: await scope.payments(paymentsLimit) };
    });
  }

  /**
   * Switches autopay on (optionally on a day 1-28) or off. Needs a payment method on file to
   * switch on: INVALID_STATE (billing_account, no_payment_method) otherwise. Idempotent: the
   * same settings again change nothing (changed=false); audited like every write.
   */
  async setAutopay(customerId: string, input: SetAutopayInput): Promise<SetAutopayResult> {
    const day = input.paymentDay ?? null;
    const argument = input.dayArgument ?? 'payment_day';
    if (day !== null && !(Number.isInteger(day) && day >= 1 && day <= 28)) {
      throw invalidField(argument, `${argument} must be a day of the month from 1 to 28.`, 'must be 1 to 28');
    }
    if (day !== null && !input.enabled) {
      throw invalidField(argument, `${argument} only applies when autopay is being switched on.`, 'only with enabled=true');
    }
    return this.forCustomer(customerId, async (scope) => {
      await accountOf(scope);
      try {
        return await scope.setAutopay({ enabled: input.enabled, day });
      } catch (err) {
        if (err instanceof NotFoundError && err.entity === 'billing_account') throw noBillingAccount(customerId);
        throw err;
      }
    });
  }

  /**
   * Stores only the storable form (storablePaymentMethod): CVV codes and expiry dates are
   * dropped and a pasted card number is reduced to its last four digits, whoever calls.
   * A description with nothing left once the secrets are removed is VALIDATION_FAILED (before
   * any access check: it says nothing about the customer); more than 100 characters too.
   */
  async updatePaymentMethod(customerId: string, method: string, opts: UpdatePaymentMethodOptions = {}): Promise<BillingAccount> {
    const argument = opts.argument ?? 'payment method';
    if (storablePaymentMethod(method).length === 0) throw invalidField(argument, `A ${argument} is required.`, 'is required');
    return this.forCustomer(customerId, async (scope) => {
      const masked = storablePaymentMethod(method);
      if (masked.length > MAX_PAYMENT_METHOD_LENGTH) {
        throw invalidField('payment_method', 'Describe the payment method in 1 to 100 characters, e.g. "Visa ending in 1234".', 'must be 1 to 100 characters');
      }
      try {
        return await scope.updatePaymentMethod(masked);
      } catch (err) {
        // the repository names the missing row by the customer id: say what is missing
        if (err instanceof NotFoundError && err.entity === 'billing_account') {
          throw noBillingAccount(customerId);
        }
        throw err;
      }
    });
  }
}
