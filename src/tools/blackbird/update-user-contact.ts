import { z } from 'zod';
import { defineTool } from '../define.js';
import { BlackbirdUser, customerIdArg, emailArg, phoneArg, toBlackbirdUser } from './schemas.js';

export const UPDATED_MESSAGE = 'User information updated successfully';

export default defineTool({
  name: 'update_user_contact',
  title: 'Update user contact',
  description: "Updates a customer's contact information (email and/or phone number). At least one field must be provided. Returns the updated customer profile.",
  input: z
    .object({ user_id: customerIdArg, email: emailArg.optional(), phone: phoneArg.optional() })
    // The contract's `minProperties: 2` (user_id plus at least one field to update).
    .refine((a) => a.email !== undefined || a.phone !== undefined, {
      message: 'At least one field to update (email or phone) must be provided',
    }),
  output: BlackbirdUser.extend({ message: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  patchInputJsonSchema: (schema) => {
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    return {
      ...schema,
      properties: { ...properties, email: { ...properties.email, format: 'email' } },
      minProperties: 2,
    };
  },
  async handler(args, ctx) {
    // An unknown user_id is presented as "Couldn't find a user with user_id of …" (presenter.ts).
    const customer = await ctx.services.customers.updateContact(args.user_id, { email: args.email, phone: args.phone });
    return { ...toBlackbirdUser(customer), message: UPDATED_MESSAGE };
  },
});
