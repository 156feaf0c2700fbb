import { z } from 'zod';
import { defineTool } from '../define.js';
import { CODE_EXAMPLE, CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

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
    // The billing service drops CVV codes and expiry dates and masks card numbers before
    // storing; the sentence names the masked method actually stored.
    const account = await ctx.services.billing.updatePaymentMethod(customer.id, args.paymentMethod ?? '', { argument: 'paymentMethod' });
    return `Payment method updated to ${account.payment_method} for customer ${customer.id}`;
  },
});
