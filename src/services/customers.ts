// Customer use cases: finding a customer (in full once verified, as a preview before), and
// changing their contact details.
import {
  ContactChannel, LanguageTag, TimeZone, type Customer, type CustomerLookup, type Preferences, type PreferencesPatch,
} from '../domain/index.js';
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

  /** The customer's preferences (the defaults, updated_at null, when never set). */
  getPreferences(customerId: string): Promise<Preferences> {
    return this.forCustomer(customerId, async (scope) => {
      await scope.customer();
      return (await scope.preferences())!;
    });
  }

  /**
   * Sets the given preferences (a partial update; at least one field) and returns the stored
   * ones. Each value is validated before any access check (arguments say nothing about a
   * customer): VALIDATION_FAILED naming the field.
   */
  updatePreferences(customerId: string, patch: PreferencesPatch): Promise<Preferences> {
    const clean: PreferencesPatch = {};
    if (patch.contact_channel !== undefined) {
      if (!ContactChannel.safeParse(patch.contact_channel).success) throw invalidField('contact_channel', 'contact_channel must be email, sms or phone.', 'must be email, sms or phone');
      clean.contact_channel = patch.contact_channel;
    }
    if (patch.language !== undefined) {
      const language = patch.language.trim();
      if (!LanguageTag.safeParse(language).success) throw invalidField('language', `'${language.slice(0, 20)}' is not a language tag such as en, es or pt-BR.`, 'must be a language tag such as en or pt-BR');
      clean.language = language;
    }
    if (patch.marketing_opt_in !== undefined) clean.marketing_opt_in = patch.marketing_opt_in;
    if (patch.timezone !== undefined) {
      const timezone = patch.timezone.trim();
      if (!TimeZone.safeParse(timezone).success) throw invalidField('timezone', `'${timezone.slice(0, 40)}' is not an IANA time zone such as America/New_York.`, 'must be an IANA time zone');
      clean.timezone = timezone;
    }
    if (Object.keys(clean).length === 0) throw invalidField('preferences', 'Give at least one preference to change.', 'nothing to update');
    return this.forCustomer(customerId, (scope) => scope.updatePreferences(clean));
  }
}
