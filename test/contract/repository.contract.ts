// THE repository contract: one suite, run unchanged against every backend (fixtures, PGlite,
// real Postgres). It asserts the shared semantics of the brief, not any backend's internals.
//
// The suite never assumes that reset() clears data the data set does not contain
// (verifications, audit entries): ids, conversation ids and audit filters are unique per
// test, so the suite is also correct against a backend whose reseed keeps those tables.
//
// The cases of each aggregate live in <aggregate>.contract.ts (a new repository method gets its
// cases there); this file composes them, plus what crosses aggregates: copies, concurrency.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditEntry, type NewVerification } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS, contractDataset } from './dataset.js';
import {
  MINUTE, PRINCIPAL, auditEntriesFor, auditEntry, expectedOrders, expectedPayments, newTicket, uid,
  type ContractContext, type ContractSuite,
} from './kit.js';
import { describeAuditContract } from './audit.contract.js';
import { describeBankingContract } from './banking.contract.js';
import { describeBillingContract } from './billing.contract.js';
import { describeCommerceContract } from './commerce.contract.js';
import { describeCallbackContract } from './callbacks.contract.js';
import { describeCounterContract } from './counters.contract.js';
import { describeCustomerContract } from './customers.contract.js';
import { describeOrderContract } from './orders.contract.js';
import { describeHandoffContract } from './handoffs.contract.js';
import { describeOutboxContract } from './outbox.contract.js';
import { describePreferencesContract } from './preferences.contract.js';
import { describeTicketContract } from './tickets.contract.js';
import { describeVerificationContract } from './verifications.contract.js';

export type { ContractContext } from './kit.js';

export function describeRepositoryContract(
  name: string, backend: SupportRepository['backend'], setup: () => Promise<ContractContext>,
): void {
  describe(`SupportRepository contract [${name}]`, () => {
    let ctx: ContractContext | undefined;
    let repo: SupportRepository;
    let ds: Dataset;

    beforeAll(async () => {
      ctx = await setup();
    });
    afterAll(async () => {
      await ctx?.teardown();
    });
    beforeEach(async () => {
      if (!ctx) throw new Error('contract setup failed');
      await ctx.reset();
      repo = ctx.repo;
      ds = contractDataset();
    });
    const suite: ContractSuite = { current: () => ({ repo, ds }) };

    /** All audit entries with this conversation id (conversation ids are unique per test). */
    const auditFor = (conversationId: string): Promise<AuditEntry[]> => auditEntriesFor(repo, conversationId);

    it('names its backend and answers ping', async () => {
      expect(repo.backend).toBe(backend);
      await expect(repo.ping()).resolves.toBeUndefined();
    });

    describeCustomerContract(suite);
    describePreferencesContract(suite);
    describeOrderContract(suite);
    describeBillingContract(suite);
    describeCommerceContract(suite);
    describeBankingContract(suite);
    describeCallbackContract(suite);
    describeTicketContract(suite);
    describeVerificationContract(suite);
    describeOutboxContract(suite);
    describeHandoffContract(suite);
    describeAuditContract(suite);
    describeCounterContract(suite);

    describe('returned objects are copies', () => {
      it('mutating read results does not change the store', async () => {
        const c = (await repo.findCustomer({ by: 'id', value: IDS.alice }))!;
        c.name = 'Mallory';
        c.email = 'mallory@example.com';
        expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);

        const o = (await repo.getOrder(IDS.orderProcessing))!;
        o.status = 'delivered';
        o.items[0]!.quantity = 999;
        o.items.push({ product: 'injected', quantity: 1, unit_price: 1 });
        expect(await repo.getOrder(IDS.orderProcessing)).toEqual(ds.orders.find((x) => x.id === IDS.orderProcessing));

        const page = await repo.listOrders(IDS.bob);
        page.orders[0]!.items[0]!.product = 'changed';
        page.orders.pop();
        expect((await repo.listOrders(IDS.bob)).orders).toEqual(expectedOrders(ds, IDS.bob));

        const s = (await repo.getSubscription(IDS.alice))!;
        s.status = 'cancelled';
        expect((await repo.getSubscription(IDS.alice))?.status).toBe('active');

        const b = (await repo.getBillingAccount(IDS.alice))!;
        b.balance = 0;
        expect((await repo.getBillingAccount(IDS.alice))?.balance).toBe(123.45);

        const payments = await repo.listPayments(IDS.alice, 2);
        payments[0]!.amount = 0;
        expect(await repo.listPayments(IDS.alice, 2)).toEqual(expectedPayments(ds, IDS.alice).slice(0, 2));

        const accounts = await repo.listBankAccounts(IDS.alice);
        accounts[0]!.balance = 1e6;
        expect((await repo.listBankAccounts(IDS.alice))[0]?.balance).toBe(42);

        const t = (await repo.getTicket(IDS.seedTicket))!;
        t.status = 'closed';
        expect(await repo.getTicket(IDS.seedTicket)).toEqual(ds.tickets[0]);
      });

      it('mutating write results does not change the store', async () => {
        const updated = await repo.updateContact(IDS.alice, { email: 'copy@example.com' });
        updated.email = 'other@example.com';
        expect((await repo.findCustomer({ by: 'id', value: IDS.alice }))?.email).toBe('copy@example.com');

        const cancelled = await repo.cancelOrder(IDS.orderProcessing);
        cancelled.order.status = 'processing';
        cancelled.order.items[0]!.quantity = 999;
        const reread = await repo.getOrder(IDS.orderProcessing);
        expect(reread?.status).toBe('cancelled');
        expect(reread?.items[0]?.quantity).toBe(2);

        const billing = await repo.updatePaymentMethod(IDS.alice, 'Visa ending in 4242');
        billing.payment_method = 'raw 4111111111111111';
        expect((await repo.getBillingAccount(IDS.alice))?.payment_method).toBe('Visa ending in 4242');

        const { ticket } = await repo.createTicket(newTicket());
        ticket.status = 'closed';
        expect((await repo.getTicket(ticket.id))?.status).toBe('open');

        const v = await repo.createVerification({
          id: uid('ver'), customer_id: IDS.alice, conversation_id: uid('conv'), principal: PRINCIPAL, method: 'otp', code_hash: 'h', delivered_to: null,
          max_attempts: 3, expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        });
        v.status = 'verified';
        v.attempts = 99;
        expect(await repo.getVerification(v.id)).toMatchObject({ status: 'pending', attempts: 0 });
        const attempt = await repo.attemptVerification(v.id, { matched: false, verifiedTtlMs: MINUTE });
        attempt.verification.attempts = 0;
        expect((await repo.getVerification(v.id))?.attempts).toBe(1);

        const conv = uid('conv');
        await repo.appendAudit([auditEntry(conv, 'tool', IDS.alice)]);
        const [entry] = await auditFor(conv);
        (entry!.args.nested as { n: number }).n = 42;
        entry!.tool = 'changed';
        expect((await auditFor(conv))[0]).toMatchObject({ tool: 'tool', args: { nested: { n: 1 } } });
      });

      it('mutating an input after the call does not change the store', async () => {
        const input = newTicket({ conversation_id: 'conv_in' });
        await repo.createTicket(input);
        input.description = 'mutated';
        expect((await repo.getTicket(input.id))?.description).toBe('Parcel never arrived');

        const vin: NewVerification = {
          id: uid('ver'), customer_id: IDS.alice, conversation_id: uid('conv'), principal: PRINCIPAL, method: 'otp', code_hash: 'h', delivered_to: null,
          max_attempts: 3, expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        };
        await repo.createVerification(vin);
        vin.max_attempts = 1000;
        expect((await repo.getVerification(vin.id))?.max_attempts).toBe(3);

        const conv = uid('conv');
        const entry = auditEntry(conv, 'tool', IDS.alice);
        await repo.appendAudit([entry]);
        (entry.args.nested as { n: number }).n = 42;
        expect((await auditFor(conv))[0]?.args).toEqual({ note: 'contract', nested: { n: 1, list: ['a', 'b'] } });
      });
    });

    // -------------------------------------------------------------------------------------
    describe('concurrency', () => {
      it('50 concurrent hits of one counter: count 50 exactly, each hit sees its own count', async () => {
        const k = uid('ctr');
        const windowStart = '2990-07-01T00:00:00.000Z';
        const results = await Promise.all(Array.from({ length: 50 }, () => repo.hitCounters([{ key: k, windowStart }])));
        expect(results.map((r) => r[k]).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await repo.hitCounters([{ key: k, windowStart }])).toEqual({ [k]: 51 });
      });

      it('50 concurrent gated hits: exactly `limit` of them reach the next counter', async () => {
        const [a, b] = [uid('ctr'), uid('ctr')];
        const windowStart = '2990-07-01T00:00:00.000Z';
        const results = await Promise.all(
          Array.from({ length: 50 }, () => repo.hitCounters([{ key: a, windowStart, limit: 10 }, { key: b, windowStart }])),
        );
        expect(results.filter((r) => r[b] !== undefined)).toHaveLength(10);
        expect(await repo.hitCounters([{ key: a, windowStart }, { key: b, windowStart }])).toEqual({ [a]: 51, [b]: 11 });
      });

      it('50 concurrent cancels of one processing order: exactly one changed:true', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, () => repo.cancelOrder(IDS.orderProcessing)));
        expect(results.filter((r) => r.changed)).toHaveLength(1);
        expect(results.filter((r) => !r.changed)).toHaveLength(49);
        const cancelledAt = new Set(results.map((r) => r.order.cancelled_at));
        expect(cancelledAt.size).toBe(1);
        for (const r of results) expect(r.order.status).toBe('cancelled');
        expect((await repo.getOrder(IDS.orderProcessing))?.cancelled_at).toBe([...cancelledAt][0]);
      });

      it('50 concurrent createTicket calls with one idempotency key: one ticket, one created:true', async () => {
        const key = uid('key');
        const inputs = Array.from({ length: 50 }, () => newTicket({ idempotency_key: key, amount: 12.5, currency: 'USD' }));
        const results = await Promise.all(inputs.map((input) => repo.createTicket(input)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const ids = new Set(results.map((r) => r.ticket.id));
        expect(ids.size).toBe(1);
        const [id] = [...ids];
        for (const r of results) expect(r.ticket).toEqual(results[0]!.ticket);
        expect(await repo.getTicket(id!)).toEqual(results[0]!.ticket);
        // Only the winning input's row exists.
        const stored = await Promise.all(inputs.map((i) => repo.getTicket(i.id)));
        expect(stored.filter((t) => t !== null)).toHaveLength(1);
      });

      it('20 concurrent wrong attempts with max_attempts 5 never count more than 5', async () => {
        const v = await repo.createVerification({
          id: uid('ver'), customer_id: IDS.alice, conversation_id: uid('conv'), principal: PRINCIPAL, method: 'otp', code_hash: 'h', delivered_to: null,
          max_attempts: 5, expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        });
        const results = await Promise.all(
          Array.from({ length: 20 }, () => repo.attemptVerification(v.id, { matched: false, verifiedTtlMs: MINUTE })),
        );
        for (const r of results) expect(r.verification.attempts).toBeLessThanOrEqual(5);
        expect(await repo.getVerification(v.id)).toMatchObject({ attempts: 5, status: 'failed', verified_at: null });
        // Each counted attempt reports 'failed'; every other one finds the verification locked.
        expect(results.filter((r) => r.outcome === 'failed')).toHaveLength(5);
        expect(results.filter((r) => r.outcome === 'locked')).toHaveLength(15);
      });

      it('concurrent attempts with one right answer: it is verified at most once and attempts stay bounded', async () => {
        const v = await repo.createVerification({
          id: uid('ver'), customer_id: IDS.alice, conversation_id: uid('conv'), principal: PRINCIPAL, method: 'otp', code_hash: 'h', delivered_to: null,
          max_attempts: 5, expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => repo.attemptVerification(v.id, { matched: i === 0, verifiedTtlMs: MINUTE })),
        );
        expect(results.filter((r) => r.outcome === 'verified').length).toBeLessThanOrEqual(1);
        const final = await repo.getVerification(v.id);
        expect(final!.attempts).toBeLessThanOrEqual(5);
        // The stored row agrees with the answers: verified exactly when an answer said so, and
        // every answer that was counted (failed or verified) is one attempt, no more, no less.
        const won = results.some((r) => r.outcome === 'verified');
        expect(final!.status).toBe(won ? 'verified' : 'failed');
        expect(final!.attempts).toBe(results.filter((r) => r.outcome === 'failed' || r.outcome === 'verified').length);
      });
    });
  });
}
