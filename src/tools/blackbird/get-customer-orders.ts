import { z } from 'zod';
import type { Order } from '../../domain/index.js';
import { ServiceError } from '../../services/errors.js';
import { defineTool, type ToolContext } from '../define.js';
import { BlackbirdOrder, customerIdArg, oldestFirst, toBlackbirdOrder } from './schemas.js';

/** The contract returns every order in one array; this bounds a pathological customer. */
export const MAX_ORDERS = 1000;

/** All of a customer's orders (at most MAX_ORDERS, the newest), oldest first as the contract lists them. */
export const allOrders = async (ctx: ToolContext, customerId: string): Promise<Order[]> =>
  oldestFirst(await ctx.services.orders.allOrders(customerId, MAX_ORDERS));

export default defineTool({
  name: 'get_customer_orders',
  title: 'Get customer orders',
  description: 'Retrieves all orders associated with a customer ID. Returns an array of order objects.',
  input: z.object({ customer_id: customerIdArg }),
  output: z.array(BlackbirdOrder),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    try {
      return (await allOrders(ctx, args.customer_id)).map(toBlackbirdOrder);
    } catch (err) {
      // Legacy behaviour (course and fastapi-demo): an unknown customer simply has no orders.
      if (err instanceof ServiceError && err.code === 'NOT_FOUND' && err.details.entity === 'customer') return [];
      throw err;
    }
  },
});
