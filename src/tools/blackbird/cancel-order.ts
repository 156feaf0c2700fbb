import { z } from 'zod';
import { defineTool } from '../define.js';
import { orderIdArg } from './schemas.js';

export default defineTool({
  name: 'cancel_order',
  title: 'Cancel order',
  description: "Cancels an order by changing its status to 'Cancelled'. Only works if the order status is currently 'Processing'. Returns an error if the order has already shipped or been delivered.",
  input: z.object({ order_id: orderIdArg('The 5-digit order ID to cancel') }),
  output: z.object({ status: z.literal('Cancelled'), message: z.string() }),
  // Repeating the call changes nothing more (the repeat reports an error, see index.ts).
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    // "Only works if the order status is currently 'Processing'": a cancelled order is refused too.
    const { order } = await ctx.services.orders.cancelOrder(args.order_id, { refuseCancelled: true });
    return { status: 'Cancelled' as const, message: `Order ${order.id} has been successfully cancelled` };
  },
});
