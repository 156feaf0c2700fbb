import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerIdArg, CustomerResult } from './schemas.js';

export default defineTool({
  name: 'update_contact',
  title: 'Update contact details',
  description: 'Change a customer\'s e-mail address and/or phone number. Give at least one of email or phone. Confirm the new value with the customer first. Fails with CONFLICT if another customer already uses it.',
  input: z
    .object({
      customer_id: customerIdArg,
      email: z.string().max(254).optional().describe('New e-mail address.'),
      phone: z.string().max(32).optional().describe('New phone number, e.g. 415-555-1234.'),
    })
    .refine((a) => a.email !== undefined || a.phone !== undefined, { message: 'give email and/or phone' }),
  output: CustomerResult.extend({ updated_fields: z.array(z.enum(['email', 'phone'])) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id.',
    CONFLICT: 'Ask the customer for a different value; this one belongs to another account.',
    VALIDATION_FAILED: 'Ask the customer to repeat the value and check its format.',
  },
  async handler(args, ctx) {
    const customer = await ctx.services.customers.updateContact(args.customer_id, { email: args.email, phone: args.phone });
    const updated_fields = (['email', 'phone'] as const).filter((f) => args[f] !== undefined);
    return { customer, updated_fields };
  },
});
