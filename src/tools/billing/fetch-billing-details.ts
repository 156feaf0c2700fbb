import { z } from 'zod';
import { defineTool } from '../define.js';
import { CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

export default defineTool({
  name: 'fetch_billing_details',
  title: 'Fetch billing details',
  description: "Retrieve the customer's current billing details (balance, due date, latest charges).",
  input: z.object({
    customerCode: z.string().optional().describe('Unique identifier for the customer to fetch billing info.'),
  }),
  output: z.object({
    balance: z.number(),
    /** 'YYYY-MM-DD'; null when nothing is due (e.g. a zero balance on autopay). */
    due_date: z.string().nullable(),
    latest_charges: z.string(),
    /** ISO 4217 code of balance (added to the workshop's fields). */
    currency: z.string(),
    /** Whether the balance is collected automatically (setup_autopay). */
    autopay: z.boolean(),
    /** Day of the month autopay collects on; only while autopay is on with a chosen day. */
    autopay_day: z.number().int().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: CODE_NEXT_STEPS,
  async handler(args, ctx) {
    const customer = await customerByCode(ctx, args.customerCode);
    const account = await ctx.services.billing.getBillingAccount(customer.id);
    return {
      balance: account.balance,
      due_date: account.due_date,
      latest_charges: account.latest_charges,
      currency: account.currency,
      autopay: account.autopay,
      ...(account.autopay_day === null ? {} : { autopay_day: account.autopay_day }),
    };
  },
});
