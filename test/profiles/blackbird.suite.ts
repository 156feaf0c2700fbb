// Golden tests of the `blackbird` profile through a real MCP client: tools/list equals the
// contract, and each of the contract's example calls returns the contract's result shape
// with the fixtures' data. Run on every backend (see blackbird.{fixtures,postgres}.test.ts).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { blackbirdProfile } from '../../src/tools/blackbird/index.js';
import { connect, type Connected } from '../server/harness.js';
import { BLACKBIRD_CONTRACT } from './blackbird.contract.js';

export interface Backend {
  /** A repository holding exactly the shipped fixtures (state reset). */
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The one text block's JSON; results never carry structuredContent in this contract. */
const bodyOf = (r: CallToolResult): any => { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(r.content).toHaveLength(1);
  const block = r.content[0]!;
  if (block.type !== 'text') throw new Error('expected a text block');
  expect(r.structuredContent).toBeUndefined();
  return JSON.parse(block.text);
};
const ok = (r: CallToolResult): any => { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (r.isError) throw new Error(`expected success, got ${JSON.stringify(r.content)}`);
  return bodyOf(r);
};
const err = (r: CallToolResult): Obj => {
  expect(r.isError).toBe(true);
  return bodyOf(r) as Obj;
};

const JOHN = { id: '1213210', name: 'John Doe', email: 'john@gmail.com', phone: '123-456-7890', username: 'johndoe' };
const JOHN_ORDERS = [
  { id: '24601', customer_id: '1213210', product: 'Wireless Headphones', quantity: 1, price: 79.99, status: 'Shipped' },
  { id: '90357', customer_id: '1213210', product: 'Smartphone Case', quantity: 1, price: 19.99, status: 'Shipped' },
  { id: '13579', customer_id: '1213210', product: 'Smartphone Case', quantity: 2, price: 19.99, status: 'Processing' },
];
const ORDER_KEYS = ['customer_id', 'id', 'price', 'product', 'quantity', 'status'];
const STATUSES = ['Processing', 'Shipped', 'Delivered', 'Cancelled'];

const expectValidation = (body: Obj, field: string): void => {
  expect(Object.keys(body).sort()).toEqual(['details', 'error']);
  expect(body.error).toBe('Validation failed');
  expect(Array.isArray(body.details)).toBe(true);
  expect(body.details).toContainEqual({ field, message: expect.any(String) });
};

export function describeBlackbird(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`blackbird profile over MCP [${name}]`, () => {
    let backend: Backend;
    let mcp: Connected;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      mcp = await connect(await backend.fresh(), { profiles: [blackbirdProfile] });
    });
    afterEach(async () => {
      await mcp.close();
    });

    it('tools/list equals the contract (name, description, inputSchema), without output schemas', async () => {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }))).toEqual(
        BLACKBIRD_CONTRACT.map((c) => ({ name: c.name, description: c.description, inputSchema: c.input_schema })),
      );
      for (const t of tools) {
        expect(t.outputSchema).toBeUndefined();
        expect(t.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: false });
      }
      const writing = tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name).sort();
      expect(writing).toEqual(['cancel_order', 'update_user_contact']);
    });

    describe('get_user', () => {
      it('contract example: by email returns the flat profile', async () => {
        expect(ok(await mcp.call('get_user', { key: 'email', value: 'john@gmail.com' }))).toEqual(JOHN);
      });
      it('finds by phone and username too', async () => {
        expect(ok(await mcp.call('get_user', { key: 'phone', value: '123-456-7890' }))).toEqual(JOHN);
        expect(ok(await mcp.call('get_user', { key: 'username', value: 'johndoe' }))).toEqual(JOHN);
        expect(ok(await mcp.call('get_user', { key: 'email', value: 'JOHN@gmail.com' }))).toEqual(JOHN);
      });
      it('a miss is the contract error', async () => {
        expect(err(await mcp.call('get_user', { key: 'email', value: 'john@example.com' })))
          .toEqual({ error: "Couldn't find a user with email of john@example.com" });
        expect(err(await mcp.call('get_user', { key: 'username', value: 'nobody' })))
          .toEqual({ error: "Couldn't find a user with username of nobody" });
      });
      it('a key outside the enum or a missing value is Validation failed', async () => {
        expectValidation(err(await mcp.call('get_user', { key: 'name', value: 'John Doe' })), 'key');
        expectValidation(err(await mcp.call('get_user', { key: 'email' })), 'value');
      });
    });

    describe('get_order_by_id', () => {
      it('contract example: 24601', async () => {
        expect(ok(await mcp.call('get_order_by_id', { order_id: '24601' }))).toEqual({
          id: '24601', customer_id: '1213210', product: 'Wireless Headphones', quantity: 1, price: 79.99, status: 'Shipped',
        });
      });
      it('price is always a number (the course had the string "49.99" for 97531)', async () => {
        const o = ok(await mcp.call('get_order_by_id', { order_id: '97531' }));
        expect(o).toMatchObject({ price: 49.99, status: 'Shipped' }); // a number: '49.99' would not match
      });
      it('unknown order → Order not found', async () => {
        expect(err(await mcp.call('get_order_by_id', { order_id: '99999' }))).toEqual({ error: 'Order not found' });
      });
      it('a bad pattern is the contract Validation failed, not the default format', async () => {
        const body = err(await mcp.call('get_order_by_id', { order_id: '2460' }));
        expectValidation(body, 'order_id');
        expect(body.details).toHaveLength(1);
        expectValidation(err(await mcp.call('get_order_by_id', { order_id: 'ORD-2024-1234' })), 'order_id');
        expectValidation(err(await mcp.call('get_order_by_id', {})), 'order_id');
      });
    });

    describe('get_customer_orders', () => {
      it('contract example: 1213210 → all three orders, oldest first', async () => {
        const orders = ok(await mcp.call('get_customer_orders', { customer_id: '1213210' }));
        expect(orders).toEqual(JOHN_ORDERS);
      });
      it('every other TechNova customer\'s orders have the contract\'s keys and statuses', async () => {
        const others = ['2837622', '3924156', '5190753', '8259147'];
        const orders = (await Promise.all(others.map(async (id) => ok(await mcp.call('get_customer_orders', { customer_id: id }))))).flat();
        expect(orders.length).toBeGreaterThan(0);
        for (const o of orders) {
          expect(Object.keys(o).sort()).toEqual(ORDER_KEYS);
          expect(STATUSES).toContain(o.status);
        }
      });
      it('an unknown customer has no orders (legacy behaviour, not an error)', async () => {
        expect(ok(await mcp.call('get_customer_orders', { customer_id: '0000000' }))).toEqual([]);
      });
      it('a bad pattern is Validation failed', async () => {
        expectValidation(err(await mcp.call('get_customer_orders', { customer_id: 'CUST-12345' })), 'customer_id');
      });
    });

    describe('cancel_order', () => {
      it('contract example: 47652 is cancelled; the order then reads Cancelled', async () => {
        expect(ok(await mcp.call('cancel_order', { order_id: '47652' })))
          .toEqual({ status: 'Cancelled', message: 'Order 47652 has been successfully cancelled' });
        expect(ok(await mcp.call('get_order_by_id', { order_id: '47652' })).status).toBe('Cancelled');
      });
      it('cancelling it again is refused with status Cancelled, nothing changes', async () => {
        ok(await mcp.call('cancel_order', { order_id: '13579' }));
        expect(err(await mcp.call('cancel_order', { order_id: '13579' })))
          .toEqual({ error: 'Order has already been cancelled', status: 'Cancelled' });
        const mine = ok(await mcp.call('get_customer_orders', { customer_id: '1213210' }));
        expect(mine.find((o: Obj) => o.id === '13579').status).toBe('Cancelled');
      });
      it('contract example: shipped 24601 → the shipped error with status Shipped, order unchanged', async () => {
        expect(err(await mcp.call('cancel_order', { order_id: '24601' })))
          .toEqual({ error: "Order has already shipped. Can't cancel it.", status: 'Shipped' });
        expect(ok(await mcp.call('get_order_by_id', { order_id: '24601' })).status).toBe('Shipped');
      });
      it('a delivered order gets the same error with status Delivered', async () => {
        expect(err(await mcp.call('cancel_order', { order_id: '86420' })))
          .toEqual({ error: "Order has already shipped. Can't cancel it.", status: 'Delivered' });
      });
      it('unknown order → Order not found; bad pattern → Validation failed', async () => {
        expect(err(await mcp.call('cancel_order', { order_id: '99999' }))).toEqual({ error: 'Order not found' });
        expectValidation(err(await mcp.call('cancel_order', { order_id: '476520' })), 'order_id');
      });
    });

    describe('update_user_contact', () => {
      it('contract example: new email → the updated profile plus the message', async () => {
        expect(ok(await mcp.call('update_user_contact', { user_id: '1213210', email: 'newemail@example.com' }))).toEqual({
          id: '1213210', name: 'John Doe', email: 'newemail@example.com', phone: '123-456-7890', username: 'johndoe',
          message: 'User information updated successfully',
        });
        expect(ok(await mcp.call('get_user', { key: 'email', value: 'newemail@example.com' })).id).toBe('1213210');
      });
      it('updates phone, or both', async () => {
        expect(ok(await mcp.call('update_user_contact', { user_id: '1213210', phone: '123-000-0001' })))
          .toMatchObject({ id: '1213210', email: 'john@gmail.com', phone: '123-000-0001', message: 'User information updated successfully' });
        expect(ok(await mcp.call('update_user_contact', { user_id: '2837622', email: 'priya@new.example', phone: '987-000-0002' })))
          .toMatchObject({ id: '2837622', email: 'priya@new.example', phone: '987-000-0002' });
      });
      it('an email another customer uses → Email already in use, nothing changes', async () => {
        expect(err(await mcp.call('update_user_contact', { user_id: '1213210', email: 'priya@candy.com' })))
          .toEqual({ error: 'Email already in use by another customer' });
        expect(err(await mcp.call('update_user_contact', { user_id: '1213210', email: 'PRIYA@candy.com' })))
          .toEqual({ error: 'Email already in use by another customer' });
        expect(ok(await mcp.call('get_user', { key: 'username', value: 'johndoe' }))).toEqual(JOHN);
      });
      it('a phone another customer uses → Phone already in use', async () => {
        expect(err(await mcp.call('update_user_contact', { user_id: '1213210', phone: '987-654-3210' })))
          .toEqual({ error: 'Phone already in use by another customer' });
      });
      it('an unknown user → Couldn\'t find a user with user_id of …', async () => {
        expect(err(await mcp.call('update_user_contact', { user_id: '0000000', email: 'x@example.com' })))
          .toEqual({ error: "Couldn't find a user with user_id of 0000000" });
      });
      it('minProperties 2: user_id alone (or with empty fields) is Validation failed', async () => {
        const body = err(await mcp.call('update_user_contact', { user_id: '1213210' }));
        expect(body.error).toBe('Validation failed');
        expect(body.details[0].message).toMatch(/email or phone/);
        expect(err(await mcp.call('update_user_contact', { user_id: '1213210', email: '', phone: null })).error).toBe('Validation failed');
      });
      it('bad email, bad phone format and bad user_id are Validation failed naming the field', async () => {
        expectValidation(err(await mcp.call('update_user_contact', { user_id: '1213210', email: 'not-an-email' })), 'email');
        expectValidation(err(await mcp.call('update_user_contact', { user_id: '1213210', phone: '1234567890' })), 'phone');
        expectValidation(err(await mcp.call('update_user_contact', { user_id: 'CUST-1', phone: '123-456-7890' })), 'user_id');
        expect(ok(await mcp.call('get_user', { key: 'username', value: 'johndoe' }))).toEqual(JOHN);
      });
    });

    describe('get_user_info', () => {
      it('contract example: johndoe → {user_info, orders}', async () => {
        expect(ok(await mcp.call('get_user_info', { key: 'username', value: 'johndoe' }))).toEqual({ user_info: JOHN, orders: JOHN_ORDERS });
      });
      it('reflects a cancellation', async () => {
        ok(await mcp.call('cancel_order', { order_id: '13579' }));
        const { orders } = ok(await mcp.call('get_user_info', { key: 'email', value: 'john@gmail.com' }));
        expect(orders.find((o: Obj) => o.id === '13579').status).toBe('Cancelled');
      });
      it('a customer with no orders has an empty list', async () => {
        const r = ok(await mcp.call('get_user_info', { key: 'email', value: 'customer@example.com' }));
        expect(r.user_info).toMatchObject({ id: 'CUST-11111', name: 'John Doe' });
        expect(r.orders).toEqual([]);
      });
      it('a multi-item order is one line listing every item, quantity 1, price = total', async () => {
        const r = ok(await mcp.call('get_user_info', { key: 'email', value: 'john.smith@email.com' }));
        const o = r.orders.find((x: Obj) => x.id === 'ORD-2024-5678');
        expect(o).toEqual({
          id: 'ORD-2024-5678', customer_id: 'CUST-20002', product: '2 x USB-C Charging Cable, Laptop Stand', quantity: 1, price: 69.97, status: 'Delivered',
        });
      });
      it('a miss is the contract error', async () => {
        expect(err(await mcp.call('get_user_info', { key: 'phone', value: '000-000-0000' })))
          .toEqual({ error: "Couldn't find a user with phone of 000-000-0000" });
      });
    });
  });
}
