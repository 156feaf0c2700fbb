// Billing use cases: the subscription, the billing account and its payments, and changing
// the stored payment method (only ever stored masked, see domain/billing.ts).
import {
  MAX_PAYMENT_METHOD_LENGTH, storablePaymentMethod, type BillingAccount, type Payment, type Subscription,
} from '../domain/index.js';
import { NotFoundError } from '../repository/errors.js';
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

export class BillingService extends DomainService {
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
