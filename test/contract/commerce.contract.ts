// The commerce part of the repository contract (issue 14): exact money, autopay settings,
// billing activity for statements, and returns with their quantity rule under concurrency.
import { beforeEach, describe, expect, it } from 'vitest';
import { BillingAccount, BillingCharge, OrderReturn } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { NewReturn, SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { expectRejects, expectShape, type ContractSuite } from './kit.js';

export function describeCommerceContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('exact money', () => {
    it('the largest KWD balance comes back exactly, to the fils', async () => {
      const dave = await repo.getBillingAccount(IDS.dave);
      expectShape(BillingAccount, dave, 'billing account');
      expect(dave?.balance).toBe(9999999999.999);
      expect(JSON.stringify(dave?.balance)).toBe('9999999999.999');
      expect(dave).toMatchObject({ currency: 'KWD', autopay: true, autopay_day: 28 });
    });
  });

  describe('setAutopay', () => {
    it('switches on with a day, off again; the same settings again are changed=false', async () => {
      const on = await repo.setAutopay(IDS.alice, { enabled: true, day: 12 });
      expect(on.changed).toBe(true);
      expect(on.account).toMatchObject({ autopay: true, autopay_day: 12 });
      expect((await repo.setAutopay(IDS.alice, { enabled: true, day: 12 })).changed).toBe(false);
      expect(await repo.getBillingAccount(IDS.alice)).toEqual(on.account);
      const off = await repo.setAutopay(IDS.alice, { enabled: false, day: 12 });
      expect(off.account).toMatchObject({ autopay: false, autopay_day: null });
    });

    it("refuses without a payment method: InvalidStateError('billing_account', id, 'no_payment_method'); off is allowed", async () => {
      await expectRejects(repo.setAutopay(IDS.bob, { enabled: true, day: null }), InvalidStateError, {
        entity: 'billing_account', id: IDS.bob, state: 'no_payment_method',
      });
      expect((await repo.getBillingAccount(IDS.bob))?.autopay).toBe(false);
      expect((await repo.setAutopay(IDS.bob, { enabled: false, day: null })).changed).toBe(false);
      await expectRejects(repo.setAutopay(IDS.carol, { enabled: false, day: null }), NotFoundError, { entity: 'billing_account' });
      await expect(repo.setAutopay(IDS.alice, { enabled: true, day: 29 })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('billing activity', () => {
    it('charges and payments in a date range, oldest first (id breaks ties)', async () => {
      const oct = await repo.billingActivity(IDS.alice, { from: '2024-10-01', to: '2024-10-31' });
      expect(oct.charges.map((c) => c.id)).toEqual(['chg_a_1', 'chg_a_2']);
      for (const c of oct.charges) expectShape(BillingCharge, c, 'charge');
      expect(oct.charges).toEqual(ds.charges.filter((c) => c.charged_on.startsWith('2024-10')).sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect((await repo.billingActivity(IDS.alice, { from: '2024-01-01', to: '2024-01-01' })).payments.map((p) => p.id)).toEqual(['pay_a_000', 'pay_a_001']);
      expect(await repo.billingActivity(IDS.carol, { from: '2024-01-01', to: '2024-12-31' })).toEqual({ charges: [], payments: [] });
      await expect(repo.billingActivity(IDS.alice, { from: 'yesterday', to: '2024-12-31' })).rejects.toBeInstanceOf(ValidationError);
    });

    it('activityAfter sums exactly in minor units (0.1 + 29.99 - 0.2 after October)', async () => {
      const after = await repo.activityAfter(IDS.alice, '2024-10-31', 'USD');
      expect(after.chargesMinor).toBe(2999 - 20);
      const sep = await repo.activityAfter(IDS.alice, '2024-09-30', 'USD');
      expect(sep.chargesMinor).toBe(2999 + 10 + 2999 - 20);
      expect((await repo.activityAfter(IDS.carol, '2024-01-01', 'USD'))).toEqual({ chargesMinor: 0, paymentsMinor: 0 });
    });
  });

  describe('requestReturn', () => {
    const ask = (over: Partial<NewReturn> = {}): NewReturn => ({
      id: `rma_${Math.random().toString(36).slice(2, 10)}`, orderId: IDS.orderDelivered, reason: 'damaged',
      items: [{ line_no: 1, quantity: 1 }], requestHash: 'h1', deliveredOnOrAfter: '2000-01-01', ...over,
    });

    it('creates a requested return with an exact refund estimate; the same hash again is created=false', async () => {
      const first = await repo.requestReturn(ask({ id: 'rma_1' }));
      expect(first.created).toBe(true);
      expectShape(OrderReturn, first.orderReturn, 'return');
      expect(first.orderReturn).toMatchObject({
        id: 'rma_1', order_id: IDS.orderDelivered, customer_id: IDS.alice, status: 'requested', reason: 'damaged',
        items: [{ line_no: 1, product: 'Delivered thing', quantity: 1 }], refund_estimate: 1234.56, currency: 'USD',
      });
      const again = await repo.requestReturn(ask({ id: 'rma_2' }));
      expect(again).toEqual({ orderReturn: first.orderReturn, created: false });
      expect(await repo.getReturn('rma_1')).toEqual(first.orderReturn);
      expect(await repo.getReturn('rma_2')).toBeNull();
      expect(await repo.listReturns(IDS.orderDelivered)).toEqual([first.orderReturn]);
    });

    it('getOrderWithReturns reads the order and its returns (oldest first) as getOrder and listReturns do', async () => {
      expect(await repo.getOrderWithReturns(IDS.orderDelivered)).toEqual({ order: await repo.getOrder(IDS.orderDelivered), returns: [] });
      await repo.requestReturn(ask({ id: 'rma_a', requestHash: 'a', items: [{ line_no: 1, quantity: 1 }] }));
      const read = await repo.getOrderWithReturns(IDS.orderDelivered);
      expect(read).toEqual({ order: await repo.getOrder(IDS.orderDelivered), returns: await repo.listReturns(IDS.orderDelivered) });
      expect(read!.returns.map((r) => r.id)).toEqual(['rma_a']);
      expect(read!.returns[0]).toMatchObject({ items: [{ line_no: 1, product: 'Delivered thing', quantity: 1 }], refund_estimate: 1234.56 });
      expect(await repo.getOrderWithReturns(IDS.missingOrder)).toBeNull();
    });

    it('refuses more units than left, an order not delivered, a closed window, an unknown line', async () => {
      await repo.requestReturn(ask({ requestHash: 'a' }));
      await expectRejects(repo.requestReturn(ask({ requestHash: 'b', items: [{ line_no: 1, quantity: 1 }] })), ConflictError, { reason: 'return_quantity_exceeded' });
      await expectRejects(repo.requestReturn(ask({ orderId: IDS.orderShipped })), InvalidStateError, { entity: 'order', state: 'shipped' });
      await expectRejects(repo.requestReturn(ask({ requestHash: 'w', deliveredOnOrAfter: '2024-10-15' })), InvalidStateError, {
        entity: 'return', state: 'window_closed',
      });
      await expect(repo.requestReturn(ask({ requestHash: 'c', items: [{ line_no: 9, quantity: 1 }] }))).rejects.toBeInstanceOf(ValidationError);
      await expectRejects(repo.requestReturn(ask({ orderId: IDS.missingOrder })), NotFoundError, { entity: 'order' });
    });

    it('concurrent requests never return more units than were bought', async () => {
      // one unit bought: exactly one of 20 different requests gets it
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
        repo.requestReturn(ask({ id: `rma_c_${i}`, requestHash: `c${i}` }))));
      const returns = await repo.listReturns(IDS.orderDelivered);
      expect(returns).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(returns.length);
    });
  });
}
