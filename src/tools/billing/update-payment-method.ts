import { z } from 'zod';
import { ServiceError } from '../../services/errors.js';
import { defineTool } from '../define.js';
import { CODE_EXAMPLE, CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

// Card security data must never be stored, even masked: CVV/CVC codes and expiry dates are
// removed before the service masks card numbers down to their last four digits.
const CVV_RE = /[,;]?\s*\b(?:cvv2?|cvc2?|csc|cid|security code)\b\W{0,3}\d{3,4}\b/gi;
const EXPIRY_RE = /[,;]?\s*\b(?:exp(?:iry|ires|iration)?(?: date)?|valid (?:thru|through|until))\b\W{0,3}\d{1,2}\s*[/-]\s*\d{2,4}\b/gi;

/** Removes security codes and expiry dates; a description that is only a card number gets a noun. */
export const stripCardSecrets = (method: string): string => {
  const cleaned = method.replace(CVV_RE, '').replace(EXPIRY_RE, '').replace(/\s+/g, ' ').trim();
  return /^\d/.test(cleaned) ? `Card ${cleaned}` : cleaned;
};

export default defineTool({
  name: 'update_payment_method',
  title: 'Update payment method',
  description: "Updates the customer's stored payment method (e.g., new credit card).",
  input: z.object({
    customerCode: z.string().optional().describe('Unique identifier for the customer to update payment method.'),
    paymentMethod: z.string().optional().describe("New payment method details (e.g., 'Visa ending in 1234')."),
  }),
  // The workshop's confirmation sentence; the method named is the masked one actually stored.
  output: z.string(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    ...CODE_NEXT_STEPS,
    VALIDATION_FAILED: `Ask the customer for their customer code (for example ${CODE_EXAMPLE}) and the new payment method (for example 'Visa ending in 1234'), then call the tool again.`,
  },
  async handler(args, ctx) {
    const customer = await customerByCode(ctx, args.customerCode);
    const method = stripCardSecrets(args.paymentMethod ?? '');
    if (method.length === 0) {
      throw new ServiceError('VALIDATION_FAILED', 'A paymentMethod is required.', {
        issues: [{ field: 'paymentMethod', message: 'is required' }],
      });
    }
    try {
      const account = await ctx.support.updatePaymentMethod(customer.id, method);
      return `Payment method updated to ${account.payment_method} for customer ${customer.id}`;
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'NOT_FOUND') {
        throw new ServiceError('NOT_FOUND', `Customer ${customer.id} has no billing account.`, err.details);
      }
      throw err;
    }
  },
});
