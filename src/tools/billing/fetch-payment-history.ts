import { z } from 'zod';
import { defineTool } from '../define.js';
import { CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

/** How many of the most recent payments are returned, newest first. */
export const PAYMENT_HISTORY_LIMIT = 10;

export default defineTool({
  name: 'fetch_payment_history',
  title: 'Fetch payment history',
  description: "Retrieve the customer's recent payment history.",
  input: z.object({
    customerCode: z.string().optional().describe('Unique identifier for the customer to fetch their payment history.'),
  }),
  // The contract returns a bare list (hence no structuredContent for this profile).
  // currency is added to the workshop's {date, amount, method}.
  output: z.array(z.object({ date: z.string(), amount: z.number(), method: z.string(), currency: z.string() })),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: CODE_NEXT_STEPS,
  async handler(args, ctx) {
    const customer = await customerByCode(ctx, args.customerCode);
    const payments = await ctx.services.billing.listPayments(customer.id, PAYMENT_HISTORY_LIMIT);
    return payments.map((p) => ({ date: p.paid_on, amount: p.amount, method: p.method, currency: p.currency }));
  },
});
