// Returns (request_return, get_return, get_order's returns) through a real MCP client, on every
// backend seeded with the shipped fixtures, whose delivered orders are dated relative to the
// day they load (fixtures/README.md): ORD-R-5001 (GBP, delivered 5 days ago: 2 earbuds and a
// cable), ORD-R-5002 (delivered 45 days ago: outside the window), ORD-R-6001 (JPY), ORD-R-7001
// (KWD), ORD-R-7002 (shipped).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { openPolicy } from '../../src/services/policy.js';
import { connect, dataOf, errorOf, type Connected } from '../server/harness.js';

export interface Backend {
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function describeReturns(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`returns over MCP [${name}]`, () => {
    let backend: Backend;
    let repo: SupportRepository;
    let mcp: Connected;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      repo = await backend.fresh();
      mcp = await connect(repo);
    });
    afterEach(async () => {
      await mcp.close();
    });

    const ask = (order_id: string, items: { product: string; quantity: number }[], reason = 'damaged') =>
      mcp.call('request_return', { order_id, items, reason });

    it('creates an RMA (status requested, refund estimate in the order currency) that get_order and get_return show', async () => {
      const r = dataOf<Obj>(await ask('ORD-R-5001', [{ product: 'wireless earbuds', quantity: 1 }, { product: 'Charging Cable', quantity: 1 }]));
      expect(r.created).toBe(true);
      expect(r.return).toMatchObject({
        order_id: 'ORD-R-5001', customer_id: 'TEL-1005', status: 'requested', reason: 'damaged',
        refund_estimate: 49.98, currency: 'GBP',
        items: [{ line_no: 1, product: 'Wireless Earbuds', quantity: 1 }, { line_no: 2, product: 'Charging Cable', quantity: 1 }],
      });
      expect(r.return.id).toMatch(/^RMA-[0-9A-Z]{10}$/);
      expect(r.message).toBe(`Return ${r.return.id} requested for order ORD-R-5001; estimated refund 49.98 GBP once the items are received.`);
      expect(dataOf<Obj>(await mcp.call('get_order', { order_id: 'ORD-R-5001' })).returns).toEqual([r.return]);
      expect(dataOf<Obj>(await mcp.call('get_return', { return_id: r.return.id })).return).toEqual(r.return);
      // an order without returns keeps its exact earlier answer (no returns key)
      expect(Object.keys(dataOf<Obj>(await mcp.call('get_order', { order_id: '86420' })))).toEqual(['order']);
    });

    it('refund estimates are exact in JPY (no decimals) and KWD (three)', async () => {
      expect(dataOf<Obj>(await ask('ORD-R-6001', [{ product: 'Mobile Router', quantity: 2 }])).return)
        .toMatchObject({ refund_estimate: 25600, currency: 'JPY' });
      const kwd = dataOf<Obj>(await ask('ORD-R-7001', [{ product: 'Mesh Wi-Fi Node', quantity: 1 }], 'defective'));
      expect(kwd.return).toMatchObject({ refund_estimate: 7.125, currency: 'KWD' });
      expect(kwd.message).toMatch(/estimated refund 7\.125 KWD/);
    });

    it('an identical retry returns the same RMA and writes nothing new', async () => {
      const first = dataOf<Obj>(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 }]));
      const again = dataOf<Obj>(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 }]));
      expect(again.created).toBe(false);
      expect(again.return).toEqual(first.return);
      expect(dataOf<Obj>(await mcp.call('get_order', { order_id: 'ORD-R-5001' })).returns).toHaveLength(1);
    });

    it('never more units than bought minus already returned: CONFLICT with a next step', async () => {
      expect(errorOf(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 3 }]))).toMatchObject({
        code: 'CONFLICT', message: 'Only 2 of Wireless Earbuds can still be returned',
      });
      dataOf(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 }]));
      dataOf(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 }], 'no_longer_needed'));
      const e = errorOf(await ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 }], 'other'));
      expect(e).toMatchObject({ code: 'CONFLICT', message: 'Only 0 of Wireless Earbuds can still be returned' });
      expect(e.next_step).toMatch(/get_order/);
    });

    it('only delivered orders inside the window: INVALID_STATE for a shipped order and for one delivered 45 days ago', async () => {
      const shipped = errorOf(await ask('ORD-R-7002', [{ product: 'Ethernet Cable', quantity: 1 }]));
      expect(shipped).toMatchObject({ code: 'INVALID_STATE', message: 'Order ORD-R-7002 is shipped; only delivered orders can be returned' });
      const late = errorOf(await ask('ORD-R-5002', [{ product: 'Smart Plug 4-pack', quantity: 1 }]));
      expect(late).toMatchObject({ code: 'INVALID_STATE', message: 'The return window of order ORD-R-5002 has closed' });
      expect(late.next_step).toMatch(/return window/);
    });

    it('the window is configurable (--return-window-days): 60 days lets the 45-day-old order through, 3 days refuses the 5-day-old one', async () => {
      const wide = await connect(repo, { policy: openPolicy({ returnWindowDays: 60 }) });
      const narrow = await connect(repo, { policy: openPolicy({ returnWindowDays: 3 }) });
      try {
        expect(dataOf<Obj>(await wide.call('request_return', { order_id: 'ORD-R-5002', items: [{ product: 'Smart Plug 4-pack', quantity: 1 }], reason: 'other' })).created).toBe(true);
        expect(errorOf(await narrow.call('request_return', { order_id: 'ORD-R-5001', items: [{ product: 'Charging Cable', quantity: 1 }], reason: 'other' })).code).toBe('INVALID_STATE');
      } finally {
        await wide.close();
        await narrow.close();
      }
    });

    it('validation: unknown product, a product twice, zero quantity, unknown reason', async () => {
      expect(errorOf(await ask('ORD-R-5001', [{ product: 'Toaster', quantity: 1 }])))
        .toMatchObject({ code: 'VALIDATION_FAILED', message: 'Order ORD-R-5001 has no product "Toaster"; its products are: Wireless Earbuds, Charging Cable.' });
      expect(errorOf(await ask('ORD-R-5001', [{ product: 'Charging Cable', quantity: 1 }, { product: 'charging cable', quantity: 1 }])).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await ask('ORD-R-5001', [{ product: 'Charging Cable', quantity: 0 }])).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await ask('ORD-R-5001', [{ product: 'Charging Cable', quantity: 1 }], 'changed_my_mind')).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await mcp.call('get_return', { return_id: 'RMA-NOPE' })).code).toBe('NOT_FOUND');
    });

    it('50 concurrent overlapping requests never over-return', async () => {
      // 2 earbuds bought; 50 different requests (1 or 2 units, varied reasons) race
      const reasons = ['damaged', 'defective', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other'];
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        ask('ORD-R-5001', [{ product: 'Wireless Earbuds', quantity: 1 + (i % 2) }], reasons[i % reasons.length])));
      const ok = results.filter((r) => !r.isError).map((r) => dataOf<Obj>(r));
      const refused = results.filter((r) => r.isError).map((r) => errorOf(r).code);
      expect(new Set(refused)).toEqual(new Set(refused.length ? ['CONFLICT'] : []));
      const returns = dataOf<Obj>(await mcp.call('get_order', { order_id: 'ORD-R-5001' })).returns as Obj[];
      const units = returns.reduce((n, r) => n + r.items.reduce((m: number, i: Obj) => m + i.quantity, 0), 0);
      expect(units).toBeLessThanOrEqual(2);
      expect(units).toBeGreaterThanOrEqual(1);
      // every answer that created or found a return names one that exists
      for (const r of ok) expect(returns.map((x) => x.id)).toContain(r.return.id);
      expect(new Set(returns.map((r) => r.id)).size).toBe(returns.length);
    });
  });
}
