import { z } from 'zod';
import { argumentError } from '../arguments.js';
import { defineTool } from '../define.js';
import { ArenaOrder, customerByEmail, emailArg, toArenaOrder } from './schemas.js';

export const DEFAULT_ORDER_LIMIT = 5;
/** The service's page maximum; a larger limit is capped, not refused. */
export const MAX_ORDER_LIMIT = 100;

export default defineTool({
  name: 'get_order_history',
  title: 'Get order history',
  description: 'Get recent orders for a customer',
  input: z.object({
    email: emailArg,
    limit: z.number().int().default(DEFAULT_ORDER_LIMIT).describe('Number of recent orders to retrieve'),
  }),
  // The contract's `limit` is a bare integer with a default: zod's safe-integer bounds are not part of it.
  patchInputJsonSchema: (schema) => {
    const props = schema.properties as Record<string, Record<string, unknown>>;
    const { minimum: _min, maximum: _max, ...limit } = props.limit!;
    return { ...schema, properties: { ...props, limit } };
  },
  output: z.object({ orders: z.array(ArenaOrder) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    // 0 is what OpenAI strict mode sends for "not given" (every property becomes required).
    const limit = args.limit === 0 ? DEFAULT_ORDER_LIMIT : Math.min(args.limit, MAX_ORDER_LIMIT);
    if (limit < 0) {
      throw argumentError('limit', 'Invalid arguments for get_order_history: limit must be a positive number.', 'must be a positive integer');
    }
    const customer = await customerByEmail(ctx, args.email);
    const { orders } = await ctx.services.orders.listOrders(customer.id, { limit });
    return { orders: orders.map(toArenaOrder) };
  },
});
