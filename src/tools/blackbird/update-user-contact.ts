import { z } from 'zod';
import { ServiceError } from '../../services/errors.js';
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
    try {
      const customer = await ctx.support.updateContact(args.user_id, { email: args.email, phone: args.phone });
      return { ...toBlackbirdUser(customer), message: UPDATED_MESSAGE };
    } catch (err) {
      // Name the lookup after the argument the model sent ("...with user_id of 1234567").
      if (err instanceof ServiceError && err.code === 'NOT_FOUND' && err.details.entity === 'customer') {
        throw new ServiceError('NOT_FOUND', err.message, { entity: 'customer', key: 'user_id', value: args.user_id });
      }
      throw err;
    }
  },
});
