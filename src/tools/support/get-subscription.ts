import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerIdArg, SubscriptionResult } from './schemas.js';

export default defineTool({
  name: 'get_subscription',
  title: 'Get subscription',
  description: 'Get the customer\'s current subscription: plan, status (active, trial, past_due, cancelled), amount, next billing date and last payment date. For balances and payments use get_billing.',
  input: z.object({ customer_id: customerIdArg }),
  output: SubscriptionResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Check the customer_id with find_customer; if the customer exists they simply have no subscription.' },
  async handler(args, ctx) {
    return { subscription: await ctx.services.billing.getSubscription(args.customer_id) };
  },
});
