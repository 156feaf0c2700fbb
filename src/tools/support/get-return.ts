import { z } from 'zod';
import { defineTool } from '../define.js';
import { ReturnResult } from './schemas.js';

export default defineTool({
  name: 'get_return',
  title: 'Get return',
  description: 'Get one return (RMA) by its id: status, items, reason and refund estimate. get_order also lists an order\'s returns.',
  input: z.object({ return_id: z.string().min(1).max(64).describe('Return id, e.g. RMA-7F3K9Q2M4D.') }),
  output: ReturnResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Ask the customer for the RMA number, or call get_order with the order id to see its returns.' },
  async handler(args, ctx) {
    return { return: await ctx.services.orders.getReturn(args.return_id) };
  },
});
