import { z } from 'zod';
import { defineTool } from '../define.js';
import { allOrders } from './get-customer-orders.js';
import { BlackbirdOrder, BlackbirdUser, lookupArgs, toBlackbirdOrder, toBlackbirdUser } from './schemas.js';

export default defineTool({
  name: 'get_user_info',
  title: 'Get user info',
  description: 'Retrieves comprehensive customer information including their profile and all associated orders. This is a convenience method that combines get_user and get_customer_orders.',
  input: lookupArgs,
  output: z.object({ user_info: BlackbirdUser, orders: z.array(BlackbirdOrder) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const customer = await ctx.services.customers.findCustomer({ by: args.key, value: args.value });
    const orders = await allOrders(ctx, customer.id);
    return { user_info: toBlackbirdUser(customer), orders: orders.map(toBlackbirdOrder) };
  },
});
