import { z } from 'zod';
import { defineTool } from '../define.js';
import { BlackbirdOrder, orderIdArg, toBlackbirdOrder } from './schemas.js';

export default defineTool({
  name: 'get_order_by_id',
  title: 'Get order by ID',
  description: 'Retrieves order details by order ID. Returns order information including customer ID, product, quantity, price, and current status.',
  input: z.object({ order_id: orderIdArg('The 5-digit order ID') }),
  output: BlackbirdOrder,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    return toBlackbirdOrder(await ctx.services.orders.getOrder(args.order_id));
  },
});
