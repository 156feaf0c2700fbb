import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerByEmail, emailArg, SubscriptionStatus, toSubscriptionStatus } from './schemas.js';

export default defineTool({
  name: 'check_subscription_status',
  title: 'Check subscription status',
  description: 'Check subscription details and billing information',
  input: z.object({ email: emailArg }),
  output: SubscriptionStatus,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const customer = await customerByEmail(ctx, args.email);
    return toSubscriptionStatus(await ctx.services.billing.getSubscription(customer.id));
  },
});
