// The arena profile's mapping of domain values onto the contract's narrower enums and shapes.
import { describe, expect, it } from 'vitest';
import type { Order, Subscription, Ticket } from '../../src/domain/index.js';
import { toArenaOrder, toSubscriptionStatus, toTicketReceipt } from '../../src/tools/arena/schemas.js';

describe('arena mappings', () => {
  // That every domain value maps into the contract's enums is checked by the compiler (the maps
  // are typed Record<DomainEnum, ContractEnum>); the documented choices are pinned through the
  // tools' outputs in arena.suite.ts.

  it('a subscription without dates leaves them out (the YAML types them as string)', () => {
    const sub: Subscription = {
      id: 'SUB-1', customer_id: 'C', plan: 'Basic', status: 'cancelled', amount: 9.99, currency: 'USD',
      next_billing_date: null, last_payment_date: null, started_at: '2023-01-01T00:00:00.000Z',
    };
    expect(toSubscriptionStatus(sub)).toStrictEqual({ subscription_id: 'SUB-1', plan: 'Basic', status: 'cancelled', amount: 9.99 });
  });

  it('orders: the day placed, product names, quantities above one kept', () => {
    const order: Order = {
      id: 'O1', customer_id: 'C', status: 'processing', total: 30, currency: 'USD', ordered_at: '2024-12-31T23:30:00.000Z',
      estimated_delivery: null, updated_at: '2024-12-31T23:30:00.000Z', cancelled_at: null,
      items: [{ product: 'Cable', quantity: 2, unit_price: 5 }, { product: 'Stand', quantity: 1, unit_price: 20 }],
    };
    expect(toArenaOrder(order)).toStrictEqual({
      order_id: 'O1', date: '2024-12-31', status: 'pending', total: 30, items: ['Cable (x2)', 'Stand'],
    });
  });

  it('tickets: the reference as ticket_id, created_at in whole seconds', () => {
    const ticket = {
      id: 'uuid-1', number: 'CASE-1', status: 'escalated', created_at: '2024-10-23T10:30:00.123Z',
    } as Ticket;
    expect(toTicketReceipt(ticket)).toStrictEqual({ ticket_id: 'CASE-1', status: 'assigned', created_at: '2024-10-23T10:30:00Z' });
  });
});
