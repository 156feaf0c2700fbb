import { z } from 'zod';
import { defineTool } from '../define.js';
import { BillingResult, billingView, customerIdArg } from './schemas.js';

export default defineTool({
  name: 'set_autopay',
  title: 'Set autopay',
  description: 'Switch automatic payment of the customer\'s bill on or off. With autopay on, the balance is collected from the payment method on file on the due date, or on payment_day (1-28) of each month when given. Needs a payment method on file. Confirm with the customer before calling; calling again with the same settings changes nothing.',
  input: z.object({
    customer_id: customerIdArg,
    enabled: z.boolean().describe('true to switch autopay on, false to switch it off.'),
    payment_day: z.number().int().min(1).max(28).optional().describe('Day of the month (1-28) to collect the balance; only with enabled=true. Default: the due date.'),
  }),
  output: z.object({
    billing_account: BillingResult.omit({ recent_payments: true }),
    changed: z.boolean().describe('false when autopay already had these settings; nothing changed.'),
    message: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Check the customer_id with find_customer; if the customer exists they have no billing account here.',
    INVALID_STATE: 'The customer has no payment method on file: add one first with update_payment_method (ask the customer for the card or account), then call set_autopay again.',
    VALIDATION_FAILED: 'Ask the customer which day of the month (1-28) they want to be charged, or leave payment_day out to pay on the due date.',
  },
  async handler(args, ctx) {
    const { account, changed } = await ctx.services.billing.setAutopay(args.customer_id, { enabled: args.enabled, paymentDay: args.payment_day ?? null });
    const state = account.autopay
      ? `Autopay is on${account.autopay_day === null ? ' (collected on the due date)' : ` (collected on day ${account.autopay_day} of each month)`}, charged to ${account.payment_method}.`
      : 'Autopay is off.';
    return { billing_account: billingView(account), changed, message: changed ? state : `${state} Nothing changed.` };
  },
});
