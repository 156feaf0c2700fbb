import { z } from 'zod';
import { ContactChannel, Preferences } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { customerIdArg } from './schemas.js';

export default defineTool({
  name: 'update_preferences',
  title: 'Update customer preferences',
  description: 'Change a customer\'s preferences: how to contact them (email, sms or phone), their language, whether they accept marketing, and their time zone (used for callbacks). Give only the fields to change; the others stay as they are. Returns the stored preferences. Confirm the change with the customer first.',
  input: z.object({
    customer_id: customerIdArg,
    contact_channel: ContactChannel.optional().describe('How the customer wants to be contacted.'),
    language: z.string().max(10).optional().describe('Language tag, e.g. en, es or pt-BR.'),
    marketing_opt_in: z.boolean().optional().describe('true: the customer accepts marketing messages.'),
    timezone: z.string().max(64).optional().describe('IANA time zone, e.g. America/New_York.'),
  }),
  output: z.object({
    preferences: Preferences,
    updated_fields: z.array(z.enum(['contact_channel', 'language', 'marketing_opt_in', 'timezone'])),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id.',
    VALIDATION_FAILED: 'Fix the field named in the message (give at least one preference), then call update_preferences again.',
  },
  async handler(args, ctx) {
    const patch = { contact_channel: args.contact_channel, language: args.language, marketing_opt_in: args.marketing_opt_in, timezone: args.timezone };
    const preferences = await ctx.services.customers.updatePreferences(args.customer_id, patch);
    const updated_fields = (['contact_channel', 'language', 'marketing_opt_in', 'timezone'] as const).filter((f) => patch[f] !== undefined);
    return { preferences, updated_fields };
  },
});
