import { z } from 'zod';
import { defineTool } from '../define.js';
import { orderIdArg, OrderResult } from './schemas.js';

export default defineTool({
  name: 'get_order',
  title: 'Get order',
  description: 'Get one order by its id: status, items, total, dates, and its returns if any. Use when the customer quotes an order number. To see all of a customer\'s orders use list_orders instead.',
  input: z.object({ order_id: orderIdArg }),
  output: OrderResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Ask the customer to confirm the order number, or call list_orders with their customer_id.' },
  async handler(args, ctx) {
    const { order, returns } = await ctx.services.orders.getOrderDetails(args.order_id);
    return returns.length === 0 ? { order } : { order, returns };
  },
});
