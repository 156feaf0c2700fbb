import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerIdArg, OrderListResult, OrderStatusArg } from './schemas.js';

export default defineTool({
  name: 'list_orders',
  title: 'List orders',
  description: 'List a customer\'s orders, newest first, optionally only those with one status. Returns at most `limit` orders and a next_cursor for the following page. Use get_order when you already know the order id.',
  input: z.object({
    customer_id: customerIdArg,
    status: OrderStatusArg.optional().describe('Only orders with this status.'),
    limit: z.number().int().min(1).max(100).optional().describe('Page size, 1-100 (default 20).'),
    cursor: z.string().max(500).optional().describe('next_cursor from the previous page.'),
  }),
  output: OrderListResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id.',
    VALIDATION_FAILED: 'Call list_orders again without cursor to start from the first page.',
  },
  async handler(args, ctx) {
    return ctx.services.orders.listOrders(args.customer_id, { status: args.status, limit: args.limit, cursor: args.cursor });
  },
});
