import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerIdArg, PreferencesData, requiredText } from './schemas.js';

export default defineTool({
  name: 'update_customer_preferences',
  title: 'Update customer preferences',
  description: [
    'Update a customer\'s preferences: contactChannel (email, sms or phone), language (e.g. en, es), marketingOptIn and timezone (IANA, e.g. America/New_York; used for callbacks).',
    'Give only what changes; the rest stays. Returns the stored preferences.',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    contactChannel: z.enum(['email', 'sms', 'phone']).optional().describe('How the customer wants to be contacted.'),
    language: z.string().optional().describe('Language tag, e.g. en, es or pt-BR.'),
    marketingOptIn: z.boolean().optional().describe('true: the customer accepts marketing messages.'),
    timezone: z.string().optional().describe('IANA time zone, e.g. America/New_York.'),
  }),
  output: PreferencesData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call update_customer_preferences again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId.',
    VALIDATION_FAILED: 'Fix the parameter named in the message (give at least one preference), then call update_customer_preferences again.',
  },
  async handler(args, ctx) {
    const p = await ctx.services.customers.updatePreferences(requiredText(args.customerId, 'customerId'), {
      contact_channel: args.contactChannel, language: args.language, marketing_opt_in: args.marketingOptIn, timezone: args.timezone,
    });
    return { customerId: p.customer_id, contactChannel: p.contact_channel, language: p.language, marketingOptIn: p.marketing_opt_in, timezone: p.timezone, updatedAt: p.updated_at };
  },
});
