// Customer use cases: finding a customer (in full once verified, as a preview before), and
// changing their contact details.
import type { Customer, CustomerLookup } from '../domain/index.js';
import { maskEmail, maskPhone } from '../domain/masking.js';
import { DomainService } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';
import { validateEmail, validatePhone } from './validation.js';

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

/** One identifier of a multi-identifier look-up, named as the caller's argument. */
export type NamedLookup = CustomerLookup & { argument: string };

const idOf = (r: CustomerLookupResult): string => (r.verified ? r.customer.id : r.preview.id);

export class CustomerService extends DomainService {
  /** The look-ups that work before verification: they reduce what they show instead of refusing. */
  static readonly beforeVerification = ['lookupCustomer', 'lookupCustomerByAll'] as const satisfies readonly (keyof CustomerService)[];

  /** The full customer record; AUTH_REQUIRED when the conversation may not see it. */
  findCustomer(lookup: CustomerLookup): Promise<Customer> {
    return this.findCustomerRecord(lookup);
  }

  getCustomer(customerId: string): Promise<Customer> {
    return this.findCustomerRecord({ by: 'id', value: customerId });
  }

  /** By e-mail: a malformed address is VALIDATION_FAILED (field email), an unknown one NOT_FOUND. */
  findByEmail(email: string): Promise<Customer> {
    return this.findCustomerRecord({ by: 'email', value: validateEmail(email) });
  }

  /**
   * A customer look-up that works before verification: the full record when this
   * conversation may see it, otherwise only the id and masked contacts (what starting a
   * verification needs).
   */
  async lookupCustomer(lookup: CustomerLookup): Promise<CustomerLookupResult> {
    const { customer, verified } = await this.identify(lookup);
    if (verified) return { verified: true, customer };
    return {
      verified: false,
      preview: { id: customer.id, email_masked: maskEmail(customer.email), phone_masked: customer.phone === null ? null : maskPhone(customer.phone) },
    };
  }

  /**
   * lookupCustomer by several identifiers, tried in order, which must all find the same
   * customer: NOT_FOUND (customer) naming the arguments when they do not.
   */
  async lookupCustomerByAll(lookups: readonly NamedLookup[]): Promise<CustomerLookupResult> {
    if (lookups.length === 0) throw invalidField('(arguments)', 'Give at least one identifier of the customer.', 'an identifier is required');
    let found: CustomerLookupResult | undefined;
    for (const { argument: _argument, ...lookup } of lookups) {
      const result = await this.lookupCustomer(lookup as CustomerLookup);
      if (found && idOf(result) !== idOf(found)) {
        throw new ServiceError('NOT_FOUND', `No single customer has all of the given identifiers (${lookups.map((l) => l.argument).join(', ')}).`, {
          entity: 'customer',
        });
      }
      found = result;
    }
    return found!;
  }

  /** Sets e-mail and/or phone (validated); CONFLICT when another customer uses the value. */
  updateContact(customerId: string, patch: { email?: string; phone?: string }): Promise<Customer> {
    return this.forCustomer(customerId, async (scope) => {
      if (patch.email === undefined && patch.phone === undefined) {
        throw invalidField('email', 'Give a new email and/or phone to update.', 'email or phone is required');
      }
      const clean: { email?: string; phone?: string } = {};
      if (patch.email !== undefined) clean.email = validateEmail(patch.email);
      if (patch.phone !== undefined) clean.phone = validatePhone(patch.phone);
      return scope.updateContact(clean);
    });
  }
}
