import { z } from 'zod';
import type { Order } from '../../domain/index.js';
import { ServiceError } from '../../services/errors.js';
import type { SupportService } from '../../services/support-service.js';
import { defineTool } from '../define.js';
import { BlackbirdOrder, customerIdArg, oldestFirst, toBlackbirdOrder } from './schemas.js';

/** The contract returns every order in one array; this bounds a pathological customer. */
export const MAX_ORDERS = 1000;
const PAGE = 100;

/** All of a customer's orders (at most MAX_ORDERS, the newest), oldest first. */
export async function allOrders(support: SupportService, customerId: string): Promise<Order[]> {
  const out: Order[] = [];
  let cursor: string | undefined;
  do {
    const page = await support.listOrders(customerId, { limit: PAGE, cursor });
    out.push(...page.orders);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && out.length < MAX_ORDERS);
  return oldestFirst(out.slice(0, MAX_ORDERS));
}

export default defineTool({
  name: 'get_customer_orders',
  title: 'Get customer orders',
  description: 'Retrieves all orders associated with a customer ID. Returns an array of order objects.',
  input: z.object({ customer_id: customerIdArg }),
  output: z.array(BlackbirdOrder),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    try {
      return (await allOrders(ctx.support, args.customer_id)).map(toBlackbirdOrder);
    } catch (err) {
      // Legacy behaviour (course and fastapi-demo): an unknown customer simply has no orders.
      if (err instanceof ServiceError && err.code === 'NOT_FOUND' && err.details.entity === 'customer') return [];
      throw err;
    }
  },
});
