// The `billing` profile: the Billing Assistant of the Realtime API workshop
// (alisoliman/realtime-api-workshop, solution/agents/billing.py; shared/reference/realtime-billing.md),
// with the solution file's tool names, descriptions and parameter schemas verbatim: each tool
// takes `customerCode` (and `paymentMethod`), and, like the contract, nothing is `required`.
//
// Contract decisions (the workshop returns fixed sample data and shows no errors):
// - customerCode is our customer id (TEL-1001…); it is validated in the handler because the
//   schema cannot require it. Format and spoken forms: customer-code.ts.
// - fetch_billing_details → {"balance", "due_date", "latest_charges"} as compact JSON; due_date
//   is null when the account has nothing due. fetch_payment_history → a JSON array of
//   {"date", "amount", "method"}, the 10 most recent payments, newest first.
//   update_payment_method → the sentence "Payment method updated to X for customer Y", where X
//   is the masked method actually stored ('Visa 4111 1111 1111 1111' → 'Visa ending in 1111';
//   CVV codes and expiry dates are dropped) and Y the canonical code.
// - Errors: one plain-text item with isError true — what went wrong, then what to do next.
//   Missing/malformed codes and a missing paymentMethod are VALIDATION_FAILED, unknown codes
//   NOT_FOUND ("No customer with code TEL-9999."). See presenter.ts.
import type { Profile } from '../profile.js';
import { billingPresenter } from './presenter.js';
import fetchBillingDetails from './fetch-billing-details.js';
import fetchPaymentHistory from './fetch-payment-history.js';
import updatePaymentMethod from './update-payment-method.js';
import setupAutopay from './setup-autopay.js';
import generateBillingStatement from './generate-billing-statement.js';

export const billingProfile: Profile = {
  defaultAccess: 'open',
  defaultRateLimits: false,
  name: 'billing',
  description: 'Realtime API workshop billing assistant: fetch_billing_details, fetch_payment_history, update_payment_method, and the challenge tools setup_autopay and generate_billing_statement (by customerCode; plain JSON/text results).',
  presenter: billingPresenter,
  instructions: 'Billing tools keyed by the customer\'s code (customerCode, e.g. TEL-1001): fetch_billing_details for the balance, due date and latest charges, fetch_payment_history for recent payments, update_payment_method to change how they pay (the method is stored masked), setup_autopay to switch automatic payments on or off (needs a payment method on file), generate_billing_statement for a month\'s PDF statement. Ask the customer for their code; never guess it.',
  tools: [fetchBillingDetails, fetchPaymentHistory, updatePaymentMethod, setupAutopay, generateBillingStatement],
};
