import { defineTool } from '../define.js';
import { BlackbirdUser, lookupArgs, toBlackbirdUser } from './schemas.js';

export default defineTool({
  name: 'get_user',
  title: 'Get user',
  description: "Retrieves customer information by searching with email, phone, or username. Returns the customer's full profile including ID, name, email, phone, and username.",
  input: lookupArgs,
  output: BlackbirdUser,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    return toBlackbirdUser(await ctx.services.customers.findCustomer({ by: args.key, value: args.value }));
  },
});
