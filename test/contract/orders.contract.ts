// The order part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Order } from '../../src/domain/index.js';
import { encodeOrderCursor } from '../../src/repository/cursor.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ALICE_ORDER_COUNT, IDS } from './dataset.js';
import {
  expectOrderShape, expectRecent, expectRejects, expectedOrders, walkOrders, type ContractSuite,
} from './kit.js';

export function describeOrderContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('getOrder', () => {
    it('returns the order with its items in stored line order and exact value types', async () => {
      const order = await repo.getOrder(IDS.orderProcessing);
      expectOrderShape(order);
      expect(order).toEqual(ds.orders.find((o) => o.id === IDS.orderProcessing));
      expect(order!.items.map((i) => i.product)).toEqual(['Zeta widget', 'Alpha gadget', 'Mu cable']);
      expect(order!.total).toBe(120.78);
      expect(order!.items[2]!.unit_price).toBe(0.1);
    });

    it('returns every seeded order unchanged', async () => {
      for (const id of [IDS.orderCancelled, IDS.orderDelivered, IDS.orderShipped, 'ord_a_000', 'ord_a_099', IDS.bobDelivered]) {
        const order = await repo.getOrder(id);
        expectOrderShape(order);
        expect(order).toEqual(ds.orders.find((o) => o.id === id));
      }
    });

    it('returns null for an unknown order', async () => {
      expect(await repo.getOrder(IDS.missingOrder)).toBeNull();
    });
  });

  describe('listOrders', () => {
    it('defaults to 20 orders, newest first, with a next cursor', async () => {
      const page = await repo.listOrders(IDS.alice);
      expect(page.orders).toHaveLength(20);
      expect(page.next_cursor).toBeTypeOf('string');
      expect(page.orders).toEqual(expectedOrders(ds, IDS.alice).slice(0, 20));
      for (const o of page.orders) expectOrderShape(o);
      expect(Object.keys(page).sort()).toEqual(['next_cursor', 'orders']);
    });

    it('walks all orders newest first without duplicates or gaps', async () => {
      const expected = expectedOrders(ds, IDS.alice).map((o) => o.id);
      // 105 = 15 x 7: the last full page must still report next_cursor null.
      const walk = await walkOrders(repo, IDS.alice, { limit: 7 });
      expect(walk.ids).toEqual(expected);
      expect(new Set(walk.ids).size).toBe(walk.ids.length);
      expect(walk.sizes).toEqual(Array(15).fill(7));
    });

    it('walks with a limit that does not divide the total', async () => {
      const walk = await walkOrders(repo, IDS.alice, { limit: 10 });
      expect(walk.ids).toEqual(expectedOrders(ds, IDS.alice).map((o) => o.id));
      expect(walk.sizes).toEqual([...Array(10).fill(10), 5]);
    });

    it('filters by status while paginating', async () => {
      for (const status of ['delivered', 'cancelled', 'shipped', 'processing', 'pending'] as const) {
        const expected = expectedOrders(ds, IDS.alice, status).map((o) => o.id);
        const walk = await walkOrders(repo, IDS.alice, { status, limit: 4 });
        expect(walk.ids, `status ${status}`).toEqual(expected);
        expect(walk.sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
        expect(walk.sizes.at(-1)).toBeGreaterThan(0);
      }
      const page = await repo.listOrders(IDS.alice, { status: 'delivered', limit: 100 });
      expect(page.orders.every((o) => o.status === 'delivered')).toBe(true);
    });

    it('orders ties on ordered_at by id descending', async () => {
      // ord_a_000..002 share the oldest timestamp: they are the last three, highest id first.
      const walk = await walkOrders(repo, IDS.alice, { limit: 50 });
      expect(walk.ids.slice(-3)).toEqual(['ord_a_002', 'ord_a_001', 'ord_a_000']);
    });

    it('reports next_cursor null exactly when there are no more orders', async () => {
      const two = await repo.listOrders(IDS.bob, { limit: 2 });
      expect(two.orders.map((o) => o.id)).toEqual([IDS.bobProcessing, IDS.bobDelivered]);
      expect(two.next_cursor).toBeNull();
      const one = await repo.listOrders(IDS.bob, { limit: 1 });
      expect(one.orders.map((o) => o.id)).toEqual([IDS.bobProcessing]);
      expect(one.next_cursor).not.toBeNull();
      const rest = await repo.listOrders(IDS.bob, { limit: 1, cursor: one.next_cursor! });
      expect(rest.orders.map((o) => o.id)).toEqual([IDS.bobDelivered]);
      expect(rest.next_cursor).toBeNull();
    });

    it('clamps the limit to 1..100', async () => {
      for (const limit of [0, -5]) {
        const page = await repo.listOrders(IDS.alice, { limit });
        expect(page.orders, `limit ${limit}`).toHaveLength(1);
        expect(page.next_cursor).not.toBeNull();
      }
      for (const limit of [101, 1000]) {
        const page = await repo.listOrders(IDS.alice, { limit });
        expect(page.orders, `limit ${limit}`).toHaveLength(100);
        expect(page.next_cursor).not.toBeNull();
        const rest = await repo.listOrders(IDS.alice, { limit, cursor: page.next_cursor! });
        expect(rest.orders).toHaveLength(ALICE_ORDER_COUNT - 100);
        expect(rest.next_cursor).toBeNull();
      }
    });

    it('accepts a cursor built with the shared cursor encoding (cursors mean the same position on every backend)', async () => {
      const expected = expectedOrders(ds, IDS.alice);
      const tenth = expected[9]!;
      const page = await repo.listOrders(IDS.alice, { limit: 5, cursor: encodeOrderCursor({ ordered_at: tenth.ordered_at, id: tenth.id }) });
      expect(page.orders.map((o) => o.id)).toEqual(expected.slice(10, 15).map((o) => o.id));
      const first = await repo.listOrders(IDS.alice, { limit: 3 });
      const third = expected[2]!;
      expect(first.next_cursor).toBe(encodeOrderCursor({ ordered_at: third.ordered_at, id: third.id }));
    });

    it('rejects a malformed cursor with ValidationError', async () => {
      const bad = [
        'not a cursor!',
        Buffer.from('{"ordered_at":"2024-01-01T00:00:00.000Z"}', 'utf8').toString('base64url'),
        Buffer.from(JSON.stringify(['not-a-date', 'ord_a_001']), 'utf8').toString('base64url'),
        Buffer.from(JSON.stringify([1, 2]), 'utf8').toString('base64url'),
      ];
      for (const cursor of bad) {
        await expectRejects(repo.listOrders(IDS.alice, { cursor }), ValidationError);
      }
    });

    it('gives an empty page for an unknown customer or a customer without orders', async () => {
      expect(await repo.listOrders(IDS.missingCustomer)).toEqual({ orders: [], next_cursor: null });
      expect(await repo.listOrders(IDS.carol, { limit: 5 })).toEqual({ orders: [], next_cursor: null });
      expect(await repo.listOrders(IDS.bob, { status: 'shipped' })).toEqual({ orders: [], next_cursor: null });
    });
  });

  describe('cancelOrder', () => {
    it('cancels a processing order: changed, cancelled_at and updated_at set to now', async () => {
      const before = Date.now();
      const result = await repo.cancelOrder(IDS.orderProcessing);
      expect(Object.keys(result).sort()).toEqual(['changed', 'order']);
      expect(result.changed).toBe(true);
      expectOrderShape(result.order);
      expect(result.order.status).toBe('cancelled');
      expectRecent(result.order.cancelled_at, before, 'cancelled_at');
      expectRecent(result.order.updated_at, before, 'updated_at');
      const seeded = ds.orders.find((o) => o.id === IDS.orderProcessing)!;
      expect(result.order.items).toEqual(seeded.items);
      expect(result.order.ordered_at).toBe(seeded.ordered_at);
      expect(result.order.total).toBe(seeded.total);
      expect(await repo.getOrder(IDS.orderProcessing)).toEqual(result.order);
    });

    it('cancels a pending order', async () => {
      const result = await repo.cancelOrder(IDS.orderPending);
      expect(result.changed).toBe(true);
      expect(result.order.status).toBe('cancelled');
      expect((await repo.getOrder(IDS.orderPending))?.status).toBe('cancelled');
    });

    it('a retry reports changed:false and writes nothing', async () => {
      const first = await repo.cancelOrder(IDS.orderProcessing);
      const retry = await repo.cancelOrder(IDS.orderProcessing);
      expect(retry.changed).toBe(false);
      expect(retry.order).toEqual(first.order);
      const seeded = await repo.cancelOrder(IDS.orderCancelled);
      expect(seeded.changed).toBe(false);
      expect(seeded.order).toEqual(ds.orders.find((o) => o.id === IDS.orderCancelled));
    });

    it('refuses shipped and delivered orders with InvalidStateError carrying the status', async () => {
      await expectRejects(repo.cancelOrder(IDS.orderShipped), InvalidStateError, {
        entity: 'order', id: IDS.orderShipped, state: 'shipped',
        message: `Order ${IDS.orderShipped} is shipped and can no longer be cancelled`,
      });
      await expectRejects(repo.cancelOrder(IDS.orderDelivered), InvalidStateError, {
        entity: 'order', id: IDS.orderDelivered, state: 'delivered',
        message: `Order ${IDS.orderDelivered} is delivered and can no longer be cancelled`,
      });
      expect(await repo.getOrder(IDS.orderShipped)).toEqual(ds.orders.find((o) => o.id === IDS.orderShipped));
    });

    it("throws NotFoundError('order', id) for an unknown order", async () => {
      await expectRejects(repo.cancelOrder(IDS.missingOrder), NotFoundError, { entity: 'order', id: IDS.missingOrder });
    });

    it('the cancelled order appears under the cancelled filter', async () => {
      await repo.cancelOrder(IDS.orderProcessing);
      const page = await repo.listOrders(IDS.alice, { status: 'cancelled', limit: 1 });
      expect(page.orders[0]?.id).toBe(IDS.orderProcessing);
      const processing = await repo.listOrders(IDS.alice, { status: 'processing' });
      expect(processing.orders).toEqual([]);
    });
  });
}
