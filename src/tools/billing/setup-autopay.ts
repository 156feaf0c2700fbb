import { z } from 'zod';
import { argumentError } from '../arguments.js';
import { defineTool } from '../define.js';
import { CODE_EXAMPLE, CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

// The workshop's challenge "a tool to set up automatic payments", in the workshop's style:
// camelCase arguments, nothing required in the schema (checked here), a confirmation sentence.
export default defineTool({
  name: 'setup_autopay',
  title: 'Set up automatic payments',
  description: "Sets up (or switches off) automatic payment of the customer's bill from their stored payment method.",
  input: z.object({
    customerCode: z.string().optional().describe('Unique identifier for the customer to set up automatic payments for.'),
    enabled: z.boolean().optional().describe('true to switch automatic payments on, false to switch them off.'),
    paymentDay: z.number().optional().describe('Day of the month (1-28) to collect the balance; default the due date.'),
  }),
  output: z.string(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    ...CODE_NEXT_STEPS,
    VALIDATION_FAILED: `Ask the customer for their customer code (for example ${CODE_EXAMPLE}), whether to switch automatic payments on or off, and optionally a day of the month from 1 to 28, then call the tool again.`,
    INVALID_STATE: 'There is no payment method on file: call update_payment_method first with the customer\'s new card or account, then call setup_autopay again.',
  },
  async handler(args, ctx) {
    const customer = await customerByCode(ctx, args.customerCode);
    if (args.enabled === undefined) throw argumentError('enabled', 'Say whether automatic payments should be on (enabled: true) or off (enabled: false).', 'is required');
    const { account, changed } = await ctx.services.billing.setAutopay(customer.id, {
      enabled: args.enabled, paymentDay: args.paymentDay ?? null, dayArgument: 'paymentDay',
    });
    const when = account.autopay_day === null ? 'on the due date' : `on day ${account.autopay_day} of each month`;
    const sentence = account.autopay
      ? `Automatic payments enabled for customer ${customer.id}: the balance is charged to ${account.payment_method} ${when}`
      : `Automatic payments disabled for customer ${customer.id}`;
    return changed ? sentence : `${sentence} (no change: it was already set up this way)`;
  },
});
