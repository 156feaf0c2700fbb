// The billing part of the repository contract: subscriptions, billing accounts, payments.
import { beforeEach, describe, expect, it } from 'vitest';
import { BillingAccount, Payment, Subscription } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { NotFoundError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { expectRecent, expectRejects, expectShape, expectedPayments, type ContractSuite } from './kit.js';

export function describeBillingContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('getSubscription', () => {
    it('prefers active/trial/past_due over newer cancelled ones', async () => {
      const sub = await repo.getSubscription(IDS.alice);
      expectShape(Subscription, sub, 'subscription');
      expect(sub).toEqual(ds.subscriptions.find((s) => s.id === 'sub_a_old_active'));
    });

    it('among current ones picks the newest started_at, then the highest id', async () => {
      expect((await repo.getSubscription(IDS.dave))?.id).toBe('sub_d_2');
    });

    it('falls back to the newest subscription when none is current', async () => {
      const sub = await repo.getSubscription(IDS.bob);
      expect(sub).toEqual(ds.subscriptions.find((s) => s.id === 'sub_b_2'));
    });

    it('returns null without subscriptions', async () => {
      expect(await repo.getSubscription(IDS.carol)).toBeNull();
      expect(await repo.getSubscription(IDS.missingCustomer)).toBeNull();
    });
  });

  describe('billing and payments', () => {
    it('returns the billing account with exact value types, or null', async () => {
      for (const b of ds.billing_accounts) {
        const found = await repo.getBillingAccount(b.customer_id);
        expectShape(BillingAccount, found, 'billing account');
        expect(found).toEqual(b);
      }
      expect(await repo.getBillingAccount(IDS.carol)).toBeNull();
      expect(await repo.getBillingAccount(IDS.missingCustomer)).toBeNull();
    });

    it('updatePaymentMethod stores the masked method and sets updated_at', async () => {
      const before = Date.now();
      const updated = await repo.updatePaymentMethod(IDS.alice, 'Mastercard ending in 4444');
      expectShape(BillingAccount, updated, 'billing account');
      expect(updated.payment_method).toBe('Mastercard ending in 4444');
      expectRecent(updated.updated_at, before, 'updated_at');
      const seeded = ds.billing_accounts.find((b) => b.customer_id === IDS.alice)!;
      expect({ ...updated, payment_method: seeded.payment_method, updated_at: seeded.updated_at }).toEqual(seeded);
      expect(await repo.getBillingAccount(IDS.alice)).toEqual(updated);
      const bob = await repo.updatePaymentMethod(IDS.bob, 'Visa ending in 4242');
      expect(bob.payment_method).toBe('Visa ending in 4242');
      expect(bob.due_date).toBeNull();
    });

    it("updatePaymentMethod throws NotFoundError('billing_account', id) without a billing account", async () => {
      await expectRejects(repo.updatePaymentMethod(IDS.carol, 'Visa ending in 4242'), NotFoundError, {
        entity: 'billing_account', id: IDS.carol,
      });
      await expectRejects(repo.updatePaymentMethod(IDS.missingCustomer, 'Visa ending in 4242'), NotFoundError, {
        entity: 'billing_account', id: IDS.missingCustomer,
      });
    });

    it('listPayments: newest first (paid_on desc, id desc), default limit 10', async () => {
      const expected = expectedPayments(ds, IDS.alice);
      const payments = await repo.listPayments(IDS.alice);
      expect(payments).toEqual(expected.slice(0, 10));
      for (const p of payments) expectShape(Payment, p, 'payment');
      // pay_a_104 is alone on the newest date; pay_a_103 and pay_a_102 share the next one.
      expect(payments.slice(0, 3).map((p) => p.id)).toEqual(['pay_a_104', 'pay_a_103', 'pay_a_102']);
      expect(payments[0]!.paid_on > payments[1]!.paid_on).toBe(true);
      expect(payments[1]!.paid_on).toBe(payments[2]!.paid_on);
    });

    it('listPayments: limit is honoured and clamped to 1..100', async () => {
      const expected = expectedPayments(ds, IDS.alice);
      expect(await repo.listPayments(IDS.alice, 3)).toEqual(expected.slice(0, 3));
      expect(await repo.listPayments(IDS.alice, 0)).toEqual(expected.slice(0, 1));
      expect(await repo.listPayments(IDS.alice, -1)).toEqual(expected.slice(0, 1));
      expect(await repo.listPayments(IDS.alice, 1000)).toEqual(expected.slice(0, 100));
      expect(await repo.listPayments(IDS.dave, 50)).toEqual(expectedPayments(ds, IDS.dave));
    });

    it('listPayments: empty for customers without payments', async () => {
      expect(await repo.listPayments(IDS.carol)).toEqual([]);
      expect(await repo.listPayments(IDS.missingCustomer)).toEqual([]);
    });
  });
}
