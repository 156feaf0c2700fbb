import { z } from 'zod';
import { formatMoney, ReturnReason } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { orderIdArg, ReturnView } from './schemas.js';

export default defineTool({
  name: 'request_return',
  title: 'Request return',
  description: 'Start a return (RMA) of some or all items of a delivered order, within the return window (30 days from delivery unless configured otherwise). Name each product as get_order shows it, with how many units to return. Returns status requested and a refund estimate in the order\'s currency. Confirm the items and the reason with the customer first; calling again with the same items and reason returns the same RMA.',
  input: z.object({
    order_id: orderIdArg,
    items: z.array(z.object({
      product: z.string().min(1).max(200).describe('Product name as get_order shows it.'),
      quantity: z.number().int().min(1).max(10_000).describe('Units to return.'),
    })).min(1).max(100).describe('What to return: each product once, with its quantity.'),
    reason: ReturnReason.describe('Why: damaged, defective, wrong_item, not_as_described, no_longer_needed or other.'),
  }),
  output: z.object({
    return: ReturnView,
    created: z.boolean().describe('false when this exact request had been made before; the existing return is shown and nothing changed.'),
    message: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Ask the customer to confirm the order number, or call list_orders with their customer_id.',
    INVALID_STATE: 'Only delivered orders inside the return window can be returned: tell the customer, and offer create_ticket (category order) if they want a person to review it.',
    CONFLICT: 'Call get_order to see what was bought and already returned, tell the customer how many units can still be returned, and ask again with that quantity.',
    VALIDATION_FAILED: 'Call get_order for the exact product names and quantities, and use one of the listed reasons.',
  },
  async handler(args, ctx) {
    const { orderReturn, created } = await ctx.services.orders.requestReturn(args.order_id, args.items, args.reason);
    const refund = formatMoney(orderReturn.refund_estimate, orderReturn.currency);
    return {
      return: orderReturn,
      created,
      message: created
        ? `Return ${orderReturn.id} requested for order ${orderReturn.order_id}; estimated refund ${refund} once the items are received.`
        : `Return ${orderReturn.id} had already been requested with these items; nothing changed (estimated refund ${refund}).`,
    };
  },
});
