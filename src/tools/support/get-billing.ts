import { z } from 'zod';
import { defineTool } from '../define.js';
import { BillingResult, billingView, customerIdArg } from './schemas.js';

export default defineTool({
  name: 'get_billing',
  title: 'Get billing',
  description: 'Get the customer\'s billing account: balance, due date, latest charges, masked payment method, autopay, and their most recent payments (newest first). Use for questions about bills, charges and payments.',
  input: z.object({
    customer_id: customerIdArg,
    payments_limit: z.number().int().min(1).max(50).optional().describe('How many recent payments to include, 1-50 (default 5).'),
  }),
  output: BillingResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Check the customer_id with find_customer; if the customer exists they have no billing account here.' },
  async handler(args, ctx) {
    const { account, payments } = await ctx.services.billing.getBilling(args.customer_id, args.payments_limit ?? 5);
    return { ...billingView(account), recent_payments: payments };
  },
});
