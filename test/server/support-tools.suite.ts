// Behaviour of every `support` tool through a real MCP client, run against each backend
// seeded with the shipped fixtures (see support-tools.*.test.ts).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { connect, dataOf, errorOf, textOf, type Connected } from './harness.js';

export interface Backend {
  /** A repository holding exactly the shipped fixtures (state reset). */
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function describeSupportTools(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`support profile tools over MCP [${name}]`, () => {
    let backend: Backend;
    let mcp: Connected;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      mcp = await connect(await backend.fresh());
    });
    afterEach(async () => {
      await mcp.close();
    });

    it('lists the support tools with portable input schemas and output schemas', async () => {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'block_card', 'cancel_callback', 'cancel_order', 'create_ticket', 'find_customer', 'get_billing', 'get_order', 'get_return',
        'get_statement', 'get_subscription', 'get_ticket', 'list_cards', 'list_orders', 'list_transactions', 'request_return',
        'schedule_callback', 'set_autopay', 'transfer_to_agent', 'unblock_card', 'update_contact', 'update_preferences', 'verify_identity',
      ]);
      for (const t of tools) {
        expect(JSON.stringify(t.inputSchema)).not.toMatch(/\$schema|additionalProperties|\$ref/);
        expect(t.outputSchema?.type).toBe('object');
        expect(t.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: false });
      }
    });

    describe('find_customer', () => {
      it('finds by each identifier', async () => {
        for (const args of [
          { email: 'JOHN@gmail.com' }, { phone: '(123) 456-7890' }, { customer_id: '1213210' }, { username: 'johndoe' },
        ]) {
          const { customer } = dataOf<Obj>(await mcp.call('find_customer', args));
          expect(customer).toMatchObject({ id: '1213210', name: 'John Doe', email: 'john@gmail.com' });
        }
        const bank = dataOf<Obj>(await mcp.call('find_customer', { account_number: 'ACC-001-2024' }));
        expect(bank.customer).toMatchObject({ id: 'CUST-001', name: 'Sarah Johnson' });
        // open access (these tests): the full record, no verification step
        expect(bank.verification_required).toBe(false);
      });
      it('never returns verification secrets (date of birth, postcode)', async () => {
        const r = await mcp.call('find_customer', { email: 'sarah.johnson@email.com' });
        expect(textOf(r)).not.toMatch(/date_of_birth|postcode|1985-03-15/);
      });
      it('treats "" and null optional arguments as not given (OpenAI strict mode)', async () => {
        const r = await mcp.call('find_customer', { email: 'customer@email.com', phone: '', customer_id: null, username: '', account_number: null });
        expect(dataOf<Obj>(r).customer.id).toBe('CUST-12345');
      });
      it('rejects zero or several identifiers with VALIDATION_FAILED', async () => {
        expect(errorOf(await mcp.call('find_customer', {})).code).toBe('VALIDATION_FAILED');
        const e = errorOf(await mcp.call('find_customer', { email: 'a@b.co', phone: '123-456-7890' }));
        expect(e.code).toBe('VALIDATION_FAILED');
        expect(e.message).toMatch(/exactly one/);
      });
      it('answers NOT_FOUND with a next step', async () => {
        const e = errorOf(await mcp.call('find_customer', { email: 'nobody@nowhere.example' }));
        expect(e.code).toBe('NOT_FOUND');
        expect(e.next_step.length).toBeGreaterThan(10);
      });
    });

    describe('orders', () => {
      it('get_order returns items, total and status', async () => {
        const { order } = dataOf<Obj>(await mcp.call('get_order', { order_id: '13579' }));
        expect(order).toMatchObject({ id: '13579', customer_id: '1213210', status: 'processing', total: 39.98, currency: 'USD' });
        expect(order.items).toEqual([{ product: 'Smartphone Case', quantity: 2, unit_price: 19.99 }]);
      });
      it('get_order NOT_FOUND', async () => {
        expect(errorOf(await mcp.call('get_order', { order_id: '00000' })).code).toBe('NOT_FOUND');
      });
      it('list_orders pages newest first and filters by status', async () => {
        const all = dataOf<Obj>(await mcp.call('list_orders', { customer_id: '1213210' }));
        expect(all.orders.map((o: Obj) => o.id).sort()).toEqual(['13579', '24601', '90357']);
        expect(all.next_cursor).toBeNull();
        const p1 = dataOf<Obj>(await mcp.call('list_orders', { customer_id: '1213210', limit: 2 }));
        expect(p1.orders).toHaveLength(2);
        const p2 = dataOf<Obj>(await mcp.call('list_orders', { customer_id: '1213210', limit: 2, cursor: p1.next_cursor }));
        expect([...p1.orders, ...p2.orders].map((o: Obj) => o.id)).toEqual(all.orders.map((o: Obj) => o.id));
        const shipped = dataOf<Obj>(await mcp.call('list_orders', { customer_id: '1213210', status: 'shipped' }));
        expect(shipped.orders.every((o: Obj) => o.status === 'shipped')).toBe(true);
        expect(shipped.orders).toHaveLength(2);
      });
      it('list_orders: unknown customer NOT_FOUND, bad cursor and bad limit VALIDATION_FAILED', async () => {
        expect(errorOf(await mcp.call('list_orders', { customer_id: 'NOPE-1' })).code).toBe('NOT_FOUND');
        expect(errorOf(await mcp.call('list_orders', { customer_id: '1213210', cursor: 'garbage' })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('list_orders', { customer_id: '1213210', limit: 0 })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('list_orders', { customer_id: '1213210', status: 'lost' })).code).toBe('VALIDATION_FAILED');
      });
      it('cancel_order cancels a processing order once; a repeat says already cancelled', async () => {
        const first = dataOf<Obj>(await mcp.call('cancel_order', { order_id: '13579' }));
        expect(first).toMatchObject({ already_cancelled: false, order: { id: '13579', status: 'cancelled' } });
        expect(first.order.cancelled_at).toMatch(/Z$/);
        const again = dataOf<Obj>(await mcp.call('cancel_order', { order_id: '13579' }));
        expect(again.already_cancelled).toBe(true);
        expect(again.message).toMatch(/already cancelled/);
        const { order } = dataOf<Obj>(await mcp.call('get_order', { order_id: '13579' }));
        expect(order.status).toBe('cancelled');
      });
      it('cancel_order refuses a shipped order with INVALID_STATE and leaves it unchanged', async () => {
        const e = errorOf(await mcp.call('cancel_order', { order_id: '24601' }));
        expect(e.code).toBe('INVALID_STATE');
        expect(e.message).toMatch(/shipped/);
        expect(dataOf<Obj>(await mcp.call('get_order', { order_id: '24601' })).order.status).toBe('shipped');
      });
      it('concurrent cancels through the protocol: exactly one changes the order', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => mcp.call('cancel_order', { order_id: '47652' })));
        const data = results.map((r) => dataOf<Obj>(r));
        expect(data.filter((d) => !d.already_cancelled)).toHaveLength(1);
      });
    });

    describe('subscription and billing', () => {
      it('get_subscription returns the current plan', async () => {
        const { subscription } = dataOf<Obj>(await mcp.call('get_subscription', { customer_id: 'CUST-12345' }));
        expect(subscription).toMatchObject({ id: 'SUB-5432', plan: 'Pro', status: 'active', amount: 49.99, next_billing_date: '2024-11-20', last_payment_date: '2024-10-20' });
      });
      it('get_subscription NOT_FOUND for a customer without one', async () => {
        const e = errorOf(await mcp.call('get_subscription', { customer_id: 'CUST-001' }));
        expect(e.code).toBe('NOT_FOUND');
        expect(e.message).toMatch(/no subscription/);
      });
      it('get_billing returns balance, due date, masked method and recent payments', async () => {
        const b = dataOf<Obj>(await mcp.call('get_billing', { customer_id: 'TEL-1001' }));
        expect(b).toMatchObject({ balance: 45.75, currency: 'EUR', due_date: '2025-02-01' });
        expect(b.latest_charges).toContain('Monthly service fee');
        expect(b.recent_payments.map((p: Obj) => [p.paid_on, p.amount])).toEqual([['2024-12-20', 50], ['2024-11-20', 30]]);
        expect(b.payment_method).toBe('Visa ending in 4242'); // masked on file, shown as stored
      });
    });

    describe('update_contact', () => {
      it('updates email and phone after validation', async () => {
        const r = dataOf<Obj>(await mcp.call('update_contact', { customer_id: '1213210', email: 'john.new@example.com', phone: '555-010-2030' }));
        expect(r.updated_fields).toEqual(['email', 'phone']);
        expect(r.customer).toMatchObject({ email: 'john.new@example.com', phone: '555-010-2030' });
        expect(dataOf<Obj>(await mcp.call('find_customer', { email: 'john.new@example.com' })).customer.id).toBe('1213210');
        expect(dataOf<Obj>(await mcp.call('find_customer', { phone: '5550102030' })).customer.id).toBe('1213210');
      });
      it('CONFLICT when the e-mail belongs to another customer, and nothing changes', async () => {
        const e = errorOf(await mcp.call('update_contact', { customer_id: '1213210', email: 'priya@candy.com' }));
        expect(e.code).toBe('CONFLICT');
        expect(textOf(await mcp.call('find_customer', { customer_id: '1213210' }))).toContain('john@gmail.com');
        // the message must not reveal who owns it
        expect(e.message).not.toMatch(/2837622|Priya/);
      });
      it('VALIDATION_FAILED for a malformed e-mail or phone, or nothing to update', async () => {
        expect(errorOf(await mcp.call('update_contact', { customer_id: '1213210', email: 'not-an-email' })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('update_contact', { customer_id: '1213210', phone: 'call me' })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('update_contact', { customer_id: '1213210', email: '', phone: null })).code).toBe('VALIDATION_FAILED');
      });
      it('NOT_FOUND for an unknown customer', async () => {
        expect(errorOf(await mcp.call('update_contact', { customer_id: 'NOPE-1', email: 'x@example.com' })).code).toBe('NOT_FOUND');
      });
    });

    describe('tickets', () => {
      it('create_ticket then get_ticket', async () => {
        const r = dataOf<Obj>(await mcp.call('create_ticket', {
          customer_id: 'CUST-20001', category: 'billing', priority: 'high', description: 'Charged twice for 49.99 on 2024-10-15',
        }));
        expect(r.created).toBe(true);
        expect(r.ticket).toMatchObject({ customer_id: 'CUST-20001', category: 'billing', priority: 'high', status: 'open' });
        expect(r.ticket.id).toMatch(/^TKT-[0-9A-Z]{10}$/);
        const got = dataOf<Obj>(await mcp.call('get_ticket', { ticket_id: r.ticket.id }));
        expect(got.ticket).toEqual(r.ticket);
      });
      it('defaults priority to medium', async () => {
        const r = dataOf<Obj>(await mcp.call('create_ticket', { customer_id: 'CUST-20001', category: 'other', description: 'Question', priority: '' }));
        expect(r.ticket.priority).toBe('medium');
      });
      it('a retry with the same idempotency_key returns the same ticket', async () => {
        const args = { customer_id: 'CUST-20002', category: 'shipping', description: 'Parcel missing', idempotency_key: 'req-42' };
        const [a, b] = await Promise.all([mcp.call('create_ticket', args), mcp.call('create_ticket', args)]);
        const ids = new Set([dataOf<Obj>(a).ticket.id, dataOf<Obj>(b).ticket.id]);
        expect(ids.size).toBe(1);
        expect([dataOf<Obj>(a).created, dataOf<Obj>(b).created].sort()).toEqual([false, true]);
        const e = errorOf(await mcp.call('create_ticket', { ...args, description: 'Something else' }));
        expect(e.code).toBe('CONFLICT');
      });
      it('NOT_FOUND for unknown customer or ticket; VALIDATION_FAILED for a bad category', async () => {
        expect(errorOf(await mcp.call('create_ticket', { customer_id: 'NOPE-1', category: 'other', description: 'x' })).code).toBe('NOT_FOUND');
        expect(errorOf(await mcp.call('get_ticket', { ticket_id: 'TKT-NOPE' })).code).toBe('NOT_FOUND');
        expect(errorOf(await mcp.call('create_ticket', { customer_id: 'CUST-20001', category: 'complaint', description: 'x' })).code).toBe('VALIDATION_FAILED');
      });
      it('reads seeded tickets', async () => {
        expect(dataOf<Obj>(await mcp.call('get_ticket', { ticket_id: 'TICK-1001' })).ticket).toMatchObject({ customer_id: 'CUST-20001', category: 'billing' });
      });
    });

    it('oversized and hostile input is rejected cleanly', async () => {
      const sqlish = await mcp.call('find_customer', { email: "x' OR 1=1; DROP TABLE customers; --" });
      expect(errorOf(sqlish).code).toBe('NOT_FOUND');
      expect(errorOf(await mcp.call('create_ticket', { customer_id: 'CUST-20001', category: 'other', description: 'x'.repeat(6000) })).code).toBe('VALIDATION_FAILED');
      const huge = await mcp.call('find_customer', { email: 'a@b.co', extra: Array.from({ length: 5000 }, (_, i) => i) });
      expect(huge.isError).toBe(true);
      // still serving afterwards
      expect(dataOf<Obj>(await mcp.call('find_customer', { customer_id: '1213210' })).customer.id).toBe('1213210');
    });
  });
}
