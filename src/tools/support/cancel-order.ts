import { z } from 'zod';
import { defineTool } from '../define.js';
import { orderIdArg, OrderView } from './schemas.js';

export default defineTool({
  name: 'cancel_order',
  title: 'Cancel order',
  description: 'Cancel an order that has not shipped yet (status processing or pending). Confirm with the customer before calling. Shipped or delivered orders cannot be cancelled: offer a return or create_ticket instead. Calling it again on a cancelled order is safe and reports already_cancelled.',
  input: z.object({ order_id: orderIdArg }),
  output: z.object({
    order: OrderView,
    already_cancelled: z.boolean().describe('true when the order had been cancelled before this call; nothing changed.'),
    message: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Ask the customer to confirm the order number, or call list_orders with their customer_id.',
    INVALID_STATE: 'Tell the customer the order can no longer be cancelled; offer a return, or create_ticket for a refund request.',
  },
  async handler(args, ctx) {
    const { order, changed } = await ctx.services.orders.cancelOrder(args.order_id);
    return {
      order,
      already_cancelled: !changed,
      message: changed ? `Order ${order.id} has been cancelled.` : `Order ${order.id} was already cancelled; nothing changed.`,
    };
  },
});
