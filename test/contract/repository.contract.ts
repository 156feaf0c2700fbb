// THE repository contract: one suite, run unchanged against every backend (fixtures, PGlite,
// real Postgres). It asserts the shared semantics of the brief, not any backend's internals.
//
// The suite never assumes that reset() clears data the data set does not contain
// (verifications, audit entries): ids, conversation ids and audit filters are unique per
// test, so the suite is also correct against a backend whose reseed keeps those tables.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditEntry, BankAccount, BillingAccount, Customer, Order, OrderItem, Payment, Subscription, Ticket, Verification,
} from '../../src/domain/index.js';
import type { NewAuditEntry, NewTicket, NewVerification, OrderStatus } from '../../src/domain/index.js';
import { compareOrdersNewestFirst, encodeOrderCursor } from '../../src/repository/cursor.js';
import type { Dataset } from '../../src/repository/dataset.js';
import {
  ConflictError, InvalidStateError, NotFoundError, RepositoryError, ValidationError,
} from '../../src/repository/errors.js';
import type { ConversationKey, ListOrdersOptions, NewOutboxMessage, SupportRepository } from '../../src/repository/types.js';
import {
  ALICE_EMAIL, ALICE_ORDER_COUNT, ALICE_PAYMENT_COUNT, ALICE_PHONE, ALICE_PHONE_VARIANTS, BOB_PHONE_VARIANTS,
  IDS, contractDataset,
} from './dataset.js';

export interface ContractContext {
  /** May be replaced by reset() (the fixture runner builds a new instance); read it after every reset. */
  repo: SupportRepository;
  /** Restores the contract data set (customers, orders, ... tickets). */
  reset(): Promise<void>;
  teardown(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// helpers

let uidCounter = 0;
const runTag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
/** Unique per call and per run, so records the reseed may keep never collide. */
const uid = (prefix: string): string => `${prefix}_${runTag}_${(++uidCounter).toString(36)}`;

interface ObjectSchema {
  shape: Record<string, unknown>;
  parse(value: unknown): unknown;
}

/** Valid for the domain schema AND exactly its keys: no extra fields, no undefined values. */
function expectShape(schema: ObjectSchema, value: unknown, what = 'value'): void {
  expect(value, `${what} is an object`).toBeTypeOf('object');
  expect(value, `${what} is not null`).not.toBeNull();
  schema.parse(value);
  const record = value as Record<string, unknown>;
  expect(Object.keys(record).sort(), `${what} has exactly the schema's keys`).toEqual(Object.keys(schema.shape).sort());
  for (const [k, v] of Object.entries(record)) expect(v, `${what}.${k} is never undefined`).not.toBeUndefined();
}

function expectOrderShape(order: unknown): void {
  expectShape(Order, order, 'order');
  for (const item of (order as Order).items) expectShape(OrderItem, item, 'order item');
}

const SQL_LEAK = /\b(select\s.+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|duplicate key|violates|constraint|relation "|syntax error|SQLSTATE)\b/i;

/** Awaits a rejection of exactly this typed error, with these properties, and no SQL in the message. */
async function expectRejects<E extends Error>(
  promise: Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
  props?: Record<string, unknown>,
): Promise<E> {
  let caught: unknown;
  let resolved = false;
  try {
    await promise;
    resolved = true;
  } catch (err) {
    caught = err;
  }
  expect(resolved, `expected a ${cls.name}, but the call succeeded`).toBe(false);
  expect(caught, `expected a ${cls.name}, got ${String(caught)}`).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(RepositoryError);
  if (props) expect(caught).toMatchObject(props);
  expect((caught as Error).message).not.toMatch(SQL_LEAK);
  return caught as E;
}

/** An instant written by the store "now": between the start of the test step and now (with slack). */
function expectRecent(isoInstant: string | null | undefined, sinceMs: number, what = 'instant'): void {
  expect(isoInstant, what).toBeTypeOf('string');
  const t = Date.parse(isoInstant as string);
  expect(t, `${what} (${isoInstant}) is not before the call`).toBeGreaterThanOrEqual(sinceMs - 2_000);
  expect(t, `${what} (${isoInstant}) is not in the future`).toBeLessThanOrEqual(Date.now() + 2_000);
}

const expectedOrders = (ds: Dataset, customerId: string, status?: OrderStatus): Order[] =>
  ds.orders
    .filter((o) => o.customer_id === customerId && (status === undefined || o.status === status))
    .sort(compareOrdersNewestFirst);

const expectedPayments = (ds: Dataset, customerId: string): Payment[] =>
  ds.payments
    .filter((p) => p.customer_id === customerId)
    .sort((a, b) => (a.paid_on === b.paid_on ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.paid_on < b.paid_on ? 1 : -1));

interface Walk {
  ids: string[];
  sizes: number[];
}

async function walkOrders(repo: SupportRepository, customerId: string, opts: ListOrdersOptions): Promise<Walk> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 500; page++) {
    const result = await repo.listOrders(customerId, { ...opts, cursor });
    ids.push(...result.orders.map((o) => o.id));
    sizes.push(result.orders.length);
    if (result.next_cursor === null) return { ids, sizes };
    expect(typeof result.next_cursor).toBe('string');
    cursor = result.next_cursor;
  }
  throw new Error('pagination did not terminate');
}

const auditEntry = (conversationId: string, tool: string, customerId: string | null): NewAuditEntry => ({
  conversation_id: conversationId,
  tool,
  customer_id: customerId,
  outcome: 'ok',
  error_code: null,
  duration_ms: 7,
  args: { note: 'contract', nested: { n: 1, list: ['a', 'b'] } },
  principal: 'token:contract',
});

const newTicket = (overrides: Partial<NewTicket> = {}): NewTicket => ({
  id: uid('tkt'),
  number: uid('TICK'),
  customer_id: IDS.alice,
  category: 'shipping',
  priority: 'high',
  description: 'Parcel never arrived',
  ...overrides,
});

const MINUTE = 60_000;
/** The principal verifications are created by, unless a case says otherwise. */
const PRINCIPAL = 'token:contract';
const key = (conversationId: string, principal = PRINCIPAL): ConversationKey => ({ conversationId, principal });

// ---------------------------------------------------------------------------------------

export function describeRepositoryContract(name: string, setup: () => Promise<ContractContext>): void {
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

    /** All audit entries with this conversation id (conversation ids are unique per test). */
    const auditFor = async (conversationId: string): Promise<AuditEntry[]> =>
      (await repo.listAudit({ limit: 10_000 })).filter((e) => e.conversation_id === conversationId);

    it('names its backend and answers ping', async () => {
      expect(['postgres', 'fixtures']).toContain(repo.backend);
      await expect(repo.ping()).resolves.toBeUndefined();
    });

    // -------------------------------------------------------------------------------------
    describe('findCustomer', () => {
      it('finds by id and returns the stored record with exact value types', async () => {
        for (const c of ds.customers) {
          const found = await repo.findCustomer({ by: 'id', value: c.id });
          expectShape(Customer, found, `customer ${c.id}`);
          expect(found).toEqual(c);
        }
      });

      it('finds by email case-insensitively and trimmed, keeping the stored case', async () => {
        for (const value of [ALICE_EMAIL, 'alice.example@example.com', 'ALICE.EXAMPLE@EXAMPLE.COM', '  Alice.Example@example.com\t']) {
          const found = await repo.findCustomer({ by: 'email', value });
          expect(found?.id, `email ${JSON.stringify(value)}`).toBe(IDS.alice);
          expect(found?.email).toBe(ALICE_EMAIL);
        }
      });

      it('finds by phone in several formats through the phone key', async () => {
        for (const value of ALICE_PHONE_VARIANTS) {
          const found = await repo.findCustomer({ by: 'phone', value });
          expect(found?.id, `phone ${JSON.stringify(value)}`).toBe(IDS.alice);
          expect(found?.phone).toBe(ALICE_PHONE);
        }
        for (const value of BOB_PHONE_VARIANTS) {
          expect((await repo.findCustomer({ by: 'phone', value }))?.id, `phone ${JSON.stringify(value)}`).toBe(IDS.bob);
        }
        expect((await repo.findCustomer({ by: 'phone', value: '(415) 555-0199' }))?.id).toBe(IDS.dave);
      });

      it('finds by username and account number exactly', async () => {
        expect((await repo.findCustomer({ by: 'username', value: 'alice' }))?.id).toBe(IDS.alice);
        expect((await repo.findCustomer({ by: 'username', value: 'dave' }))?.id).toBe(IDS.dave);
        expect((await repo.findCustomer({ by: 'account_number', value: 'ACC-1002' }))?.id).toBe(IDS.bob);
        expect(await repo.findCustomer({ by: 'username', value: 'ALICE' })).toBeNull();
        expect(await repo.findCustomer({ by: 'account_number', value: 'acc-1002' })).toBeNull();
      });

      it('returns null when nothing matches, for every key', async () => {
        expect(await repo.findCustomer({ by: 'id', value: IDS.missingCustomer })).toBeNull();
        expect(await repo.findCustomer({ by: 'email', value: 'nobody@example.com' })).toBeNull();
        expect(await repo.findCustomer({ by: 'phone', value: '+1 212 555 0000' })).toBeNull();
        expect(await repo.findCustomer({ by: 'username', value: 'nobody' })).toBeNull();
        expect(await repo.findCustomer({ by: 'account_number', value: 'ACC-9999' })).toBeNull();
      });

      it('a phone with too few digits has no key and matches nobody', async () => {
        expect(await repo.findCustomer({ by: 'phone', value: '555' })).toBeNull();
        expect(await repo.findCustomer({ by: 'phone', value: 'not a phone' })).toBeNull();
        expect(await repo.findCustomer({ by: 'phone', value: '' })).toBeNull();
      });
    });

    // -------------------------------------------------------------------------------------
    describe('updateContact', () => {
      it('stores the email trimmed in its original case and finds it case-insensitively', async () => {
        const before = Date.now();
        const updated = await repo.updateContact(IDS.alice, { email: '  New.Alice@Example.COM ' });
        expectShape(Customer, updated, 'updated customer');
        expect(updated.email).toBe('New.Alice@Example.COM');
        expect(updated.phone).toBe(ALICE_PHONE);
        expectRecent(updated.updated_at, before, 'updated_at');
        expect(updated.created_at).toBe(ds.customers[0]!.created_at);

        const reread = await repo.findCustomer({ by: 'id', value: IDS.alice });
        expect(reread).toEqual(updated);
        expect((await repo.findCustomer({ by: 'email', value: 'new.alice@example.com' }))?.id).toBe(IDS.alice);
        expect(await repo.findCustomer({ by: 'email', value: ALICE_EMAIL })).toBeNull();
      });

      it('stores the phone as given and matches it through its key', async () => {
        const updated = await repo.updateContact(IDS.alice, { phone: '(650) 555-0123' });
        expect(updated.phone).toBe('(650) 555-0123');
        expect(updated.email).toBe(ALICE_EMAIL);
        expect((await repo.findCustomer({ by: 'phone', value: '+1 650 555 0123' }))?.id).toBe(IDS.alice);
        expect(await repo.findCustomer({ by: 'phone', value: ALICE_PHONE })).toBeNull();
      });

      it('sets a phone on a customer that had none', async () => {
        const updated = await repo.updateContact(IDS.carol, { phone: '+49 30 1234567' });
        expect(updated.phone).toBe('+49 30 1234567');
        expect((await repo.findCustomer({ by: 'phone', value: '49301234567' }))?.id).toBe(IDS.carol);
      });

      it('updates email and phone together', async () => {
        const updated = await repo.updateContact(IDS.bob, { email: 'robert@example.com', phone: '+1 212 555 0100' });
        expect(updated).toMatchObject({ email: 'robert@example.com', phone: '+1 212 555 0100' });
        expect((await repo.findCustomer({ by: 'email', value: 'ROBERT@example.com' }))?.id).toBe(IDS.bob);
        expect((await repo.findCustomer({ by: 'phone', value: '2125550100' }))?.id).toBe(IDS.bob);
      });

      it("accepts the customer's own current email (any case) and phone (any format)", async () => {
        const a = await repo.updateContact(IDS.alice, { email: 'ALICE.example@example.com' });
        expect(a.email).toBe('ALICE.example@example.com');
        const b = await repo.updateContact(IDS.alice, { phone: '415 555 0101' });
        expect(b.phone).toBe('415 555 0101');
      });

      it("rejects another customer's email (case-insensitive) with ConflictError('email_taken')", async () => {
        await expectRejects(repo.updateContact(IDS.alice, { email: ' BOB@Example.com ' }), ConflictError, {
          reason: 'email_taken', message: 'Email already in use by another customer',
        });
        expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
      });

      it("rejects another customer's phone (any format) with ConflictError('phone_taken')", async () => {
        await expectRejects(repo.updateContact(IDS.alice, { phone: '+44 (20) 7946-0958' }), ConflictError, {
          reason: 'phone_taken', message: 'Phone already in use by another customer',
        });
        expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
      });

      it('is atomic: a conflicting phone leaves the email unchanged too', async () => {
        await expectRejects(repo.updateContact(IDS.alice, { email: 'fresh@example.com', phone: '442079460958' }), ConflictError, {
          reason: 'phone_taken',
        });
        expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
        expect(await repo.findCustomer({ by: 'email', value: 'fresh@example.com' })).toBeNull();
      });

      it("throws NotFoundError('customer', id) for an unknown customer", async () => {
        await expectRejects(repo.updateContact(IDS.missingCustomer, { email: 'x@example.com' }), NotFoundError, {
          entity: 'customer', id: IDS.missingCustomer,
        });
      });
    });

    // -------------------------------------------------------------------------------------
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

    // -------------------------------------------------------------------------------------
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
        expect(expected).toHaveLength(ALICE_ORDER_COUNT);
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

    // -------------------------------------------------------------------------------------
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

    // -------------------------------------------------------------------------------------
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

    // -------------------------------------------------------------------------------------
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
        expect(expected).toHaveLength(ALICE_PAYMENT_COUNT);
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

    // -------------------------------------------------------------------------------------
    describe('listBankAccounts', () => {
      it('lists all accounts ordered by account_type ascending', async () => {
        const accounts = await repo.listBankAccounts(IDS.alice);
        expect(accounts.map((a) => a.account_type)).toEqual(['checking', 'credit', 'savings']);
        for (const a of accounts) {
          expectShape(BankAccount, a, 'bank account');
          expect(a).toEqual(ds.bank_accounts.find((b) => b.id === a.id));
        }
        expect(accounts.find((a) => a.account_type === 'credit')?.balance).toBe(300.1);
      });

      it('filters by type', async () => {
        const credit = await repo.listBankAccounts(IDS.alice, 'credit');
        expect(credit).toEqual([ds.bank_accounts.find((b) => b.id === 'ba_a_cre')]);
        expect(await repo.listBankAccounts(IDS.dave, 'savings')).toEqual([]);
        expect((await repo.listBankAccounts(IDS.dave, 'checking'))[0]?.balance).toBe(-12.34);
      });

      it('is empty for customers without accounts', async () => {
        expect(await repo.listBankAccounts(IDS.bob)).toEqual([]);
        expect(await repo.listBankAccounts(IDS.missingCustomer, 'checking')).toEqual([]);
      });
    });

    // -------------------------------------------------------------------------------------
    describe('tickets', () => {
      it('getTicket returns a seeded ticket with exact value types, or null', async () => {
        const t = await repo.getTicket(IDS.seedTicket);
        expectShape(Ticket, t, 'ticket');
        expect(t).toEqual(ds.tickets[0]);
        expect(await repo.getTicket('tkt_does_not_exist')).toBeNull();
      });

      it('createTicket applies defaults, status open, created_at = updated_at = now', async () => {
        const before = Date.now();
        const input = newTicket();
        const { ticket, created } = await repo.createTicket(input);
        expect(created).toBe(true);
        expectShape(Ticket, ticket, 'ticket');
        expect(ticket).toMatchObject({
          id: input.id, number: input.number, customer_id: IDS.alice, category: 'shipping', priority: 'high',
          status: 'open', description: 'Parcel never arrived', amount: null, currency: null, conversation_id: null,
          idempotency_key: null,
        });
        expectRecent(ticket.created_at, before, 'created_at');
        expect(ticket.updated_at).toBe(ticket.created_at);
        expect(await repo.getTicket(input.id)).toEqual(ticket);
      });

      it('createTicket stores money as a number and optional fields as given', async () => {
        const input = newTicket({ category: 'dispute', priority: 'urgent', amount: 49.99, currency: 'EUR', conversation_id: 'conv_t' });
        const { ticket } = await repo.createTicket(input);
        expect(ticket).toMatchObject({ amount: 49.99, currency: 'EUR', conversation_id: 'conv_t', category: 'dispute', priority: 'urgent' });
        expect(await repo.getTicket(input.id)).toEqual(ticket);
      });

      it("createTicket throws NotFoundError('customer', id) for an unknown customer", async () => {
        const input = newTicket({ customer_id: IDS.missingCustomer });
        await expectRejects(repo.createTicket(input), NotFoundError, { entity: 'customer', id: IDS.missingCustomer });
        expect(await repo.getTicket(input.id)).toBeNull();
        const keyed = newTicket({ customer_id: IDS.missingCustomer, idempotency_key: uid('key') });
        await expectRejects(repo.createTicket(keyed), NotFoundError, { entity: 'customer', id: IDS.missingCustomer });
      });

      it('the same idempotency key and request returns the first ticket with created:false', async () => {
        const key = uid('key');
        const first = await repo.createTicket(newTicket({ idempotency_key: key, amount: 10, currency: 'USD' }));
        expect(first.created).toBe(true);
        expect(first.ticket.idempotency_key).toBe(key);
        // A retry typically carries a freshly generated id and number: still the same request.
        const retryInput = newTicket({ idempotency_key: key, amount: 10, currency: 'USD' });
        const retry = await repo.createTicket(retryInput);
        expect(retry.created).toBe(false);
        expect(retry.ticket).toEqual(first.ticket);
        expect(await repo.getTicket(retryInput.id)).toBeNull();
      });

      it("the same key with a different request throws ConflictError('idempotency_key_reused')", async () => {
        const key = uid('key');
        const first = await repo.createTicket(newTicket({ idempotency_key: key }));
        const variants: Partial<NewTicket>[] = [
          { description: 'Something else entirely' },
          { category: 'billing' },
          { priority: 'low' },
          { amount: 5, currency: 'USD' },
        ];
        for (const v of variants) {
          const input = newTicket({ idempotency_key: key, ...v });
          await expectRejects(repo.createTicket(input), ConflictError, {
            reason: 'idempotency_key_reused',
            message: 'This idempotency key was already used for a different ticket request',
          });
          expect(await repo.getTicket(input.id)).toBeNull();
        }
        expect(await repo.getTicket(first.ticket.id)).toEqual(first.ticket);
      });

      it('idempotency keys are scoped per customer', async () => {
        const key = uid('key');
        const a = await repo.createTicket(newTicket({ idempotency_key: key }));
        const b = await repo.createTicket(newTicket({ idempotency_key: key, customer_id: IDS.bob }));
        expect(a.created).toBe(true);
        expect(b.created).toBe(true);
        expect(b.ticket.id).not.toBe(a.ticket.id);
        expect(b.ticket.customer_id).toBe(IDS.bob);
      });

      it('findTicketByIdempotencyKey returns the ticket stored under (customer, key), or null', async () => {
        const key = uid('key');
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toBeNull();
        const first = await repo.createTicket(newTicket({ idempotency_key: key, amount: 3.5, currency: 'USD' }));
        const found = await repo.findTicketByIdempotencyKey(IDS.alice, key);
        expectShape(Ticket, found, 'ticket');
        expect(found).toEqual(first.ticket);
        // a retry changes nothing: still the first ticket
        await repo.createTicket(newTicket({ idempotency_key: key, amount: 3.5, currency: 'USD' }));
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(first.ticket);
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, uid('key'))).toBeNull();
        // keys are compared exactly (no case folding, no trimming)
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, key.toUpperCase())).toBeNull();
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, ` ${key}`)).toBeNull();
      });

      it('findTicketByIdempotencyKey is scoped per customer and null for an unknown customer', async () => {
        const key = uid('key');
        const a = await repo.createTicket(newTicket({ idempotency_key: key }));
        expect(await repo.findTicketByIdempotencyKey(IDS.bob, key)).toBeNull();
        expect(await repo.findTicketByIdempotencyKey(IDS.missingCustomer, key)).toBeNull();
        const b = await repo.createTicket(newTicket({ idempotency_key: key, customer_id: IDS.bob, description: 'Other' }));
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(a.ticket);
        expect(await repo.findTicketByIdempotencyKey(IDS.bob, key)).toEqual(b.ticket);
      });

      it('findTicketByIdempotencyKey returns a copy', async () => {
        const key = uid('key');
        const { ticket } = await repo.createTicket(newTicket({ idempotency_key: key }));
        const found = (await repo.findTicketByIdempotencyKey(IDS.alice, key))!;
        found.description = 'mutated by the caller';
        found.status = 'closed';
        expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(ticket);
      });

      it('tickets without a key are never deduplicated', async () => {
        const a = await repo.createTicket(newTicket());
        const b = await repo.createTicket(newTicket());
        expect(a.created && b.created).toBe(true);
        expect(await repo.getTicket(a.ticket.id)).not.toBeNull();
        expect(await repo.getTicket(b.ticket.id)).not.toBeNull();
      });

      it("a duplicate ticket id or number throws ConflictError('duplicate_ticket')", async () => {
        await expectRejects(repo.createTicket(newTicket({ id: IDS.seedTicket })), ConflictError, { reason: 'duplicate_ticket' });
        const sameNumber = newTicket({ number: IDS.seedTicketNumber });
        await expectRejects(repo.createTicket(sameNumber), ConflictError, { reason: 'duplicate_ticket' });
        expect(await repo.getTicket(sameNumber.id)).toBeNull();
        expect(await repo.getTicket(IDS.seedTicket)).toEqual(ds.tickets[0]);
      });
    });

    // -------------------------------------------------------------------------------------
    describe('verifications', () => {
      const newVerification = (overrides: Partial<NewVerification> = {}): NewVerification => ({
        id: uid('ver'),
        customer_id: IDS.alice,
        conversation_id: uid('conv'),
        principal: PRINCIPAL,
        method: 'otp',
        code_hash: 'hmac-sha256:abcdef',
        delivered_to: 'a***@example.com',
        max_attempts: 3,
        expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        ...overrides,
      });

      it('createVerification: pending, 0 attempts, not verified, created now', async () => {
        const before = Date.now();
        const input = newVerification({ method: 'kba', code_hash: null, delivered_to: null });
        const v = await repo.createVerification(input);
        expectShape(Verification, v, 'verification');
        expect(v).toMatchObject({ ...input, status: 'pending', attempts: 0, verified_at: null });
        expectRecent(v.created_at, before, 'created_at');
        expect(await repo.getVerification(input.id)).toEqual(v);
        expect(await repo.getVerification(uid('ver_missing'))).toBeNull();
      });

      it('wrong answers count until the verification locks at max_attempts', async () => {
        const t0 = Date.now();
        const v = await repo.createVerification(newVerification({ max_attempts: 3, expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
        const now = new Date(t0 + MINUTE);
        const a1 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
        expect(a1.outcome).toBe('failed');
        expectShape(Verification, a1.verification, 'verification');
        expect(a1.verification).toMatchObject({ status: 'pending', attempts: 1, verified_at: null });
        const a2 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
        expect(a2.outcome).toBe('failed');
        expect(a2.verification).toMatchObject({ status: 'pending', attempts: 2 });
        const a3 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
        expect(a3.outcome).toBe('failed');
        expect(a3.verification).toMatchObject({ status: 'failed', attempts: 3 });
        // Locked: neither a wrong nor a right answer is counted any more.
        const a4 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
        expect(a4.outcome).toBe('locked');
        expect(a4.verification).toMatchObject({ status: 'failed', attempts: 3 });
        const a5 = await repo.attemptVerification(v.id, { matched: true, now, verifiedTtlMs: 15 * MINUTE });
        expect(a5.outcome).toBe('locked');
        expect(await repo.getVerification(v.id)).toMatchObject({ status: 'failed', attempts: 3, verified_at: null });
      });

      it('a pending verification past expires_at becomes expired (persisted), without counting', async () => {
        const t0 = Date.now();
        const v = await repo.createVerification(newVerification({ expires_at: new Date(t0 + 5 * MINUTE).toISOString() }));
        const late = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0 + 6 * MINUTE), verifiedTtlMs: MINUTE });
        expect(late.outcome).toBe('expired');
        expect(late.verification).toMatchObject({ status: 'expired', attempts: 0, verified_at: null });
        expect(await repo.getVerification(v.id)).toMatchObject({ status: 'expired', attempts: 0 });
        // Once expired it stays expired, even for a "now" before the old expiry.
        const again = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0), verifiedTtlMs: MINUTE });
        expect(again.outcome).toBe('expired');
        expect(again.verification).toMatchObject({ status: 'expired', attempts: 0 });
      });

      it('expires_at equal to now counts as expired', async () => {
        const expires = new Date(Date.now() + 5 * MINUTE);
        const v = await repo.createVerification(newVerification({ expires_at: expires.toISOString() }));
        const r = await repo.attemptVerification(v.id, { matched: true, now: new Date(expires.getTime()), verifiedTtlMs: MINUTE });
        expect(r.outcome).toBe('expired');
        expect((await repo.getVerification(v.id))?.status).toBe('expired');
      });

      it('a right answer verifies: verified_at = now, expires_at = now + verifiedTtlMs; then not_pending', async () => {
        const t0 = Date.now();
        const v = await repo.createVerification(newVerification({ expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
        await repo.attemptVerification(v.id, { matched: false, now: new Date(t0 + MINUTE), verifiedTtlMs: 15 * MINUTE });
        const now = new Date(t0 + 2 * MINUTE);
        const ok = await repo.attemptVerification(v.id, { matched: true, now, verifiedTtlMs: 15 * MINUTE });
        expect(ok.outcome).toBe('verified');
        expectShape(Verification, ok.verification, 'verification');
        expect(ok.verification).toMatchObject({
          status: 'verified', attempts: 2, verified_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 15 * MINUTE).toISOString(),
        });
        expect(await repo.getVerification(v.id)).toEqual(ok.verification);
        const after = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0 + 3 * MINUTE), verifiedTtlMs: 15 * MINUTE });
        expect(after.outcome).toBe('not_pending');
        expect(after.verification).toEqual(ok.verification);
      });

      it('attempt and findActiveVerification default now to the current time', async () => {
        const v = await repo.createVerification(newVerification());
        const before = Date.now();
        const ok = await repo.attemptVerification(v.id, { matched: true, verifiedTtlMs: 15 * MINUTE });
        expect(ok.outcome).toBe('verified');
        expectRecent(ok.verification.verified_at, before, 'verified_at');
        expect((await repo.findActiveVerification(v.customer_id, key(v.conversation_id)))?.id).toBe(v.id);
      });

      it("attemptVerification throws NotFoundError for an unknown id", async () => {
        const id = uid('ver_missing');
        await expectRejects(repo.attemptVerification(id, { matched: true, verifiedTtlMs: MINUTE }), NotFoundError, { id });
      });

      it('findActiveVerification: only verified, same customer and conversation, before expiry', async () => {
        const t0 = Date.now();
        const conv = uid('conv');
        const v = await repo.createVerification(newVerification({ conversation_id: conv, expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
        // Still pending: not active.
        expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + MINUTE))).toBeNull();
        const verifiedAt = new Date(t0 + MINUTE);
        await repo.attemptVerification(v.id, { matched: true, now: verifiedAt, verifiedTtlMs: 15 * MINUTE });
        const expiresAt = verifiedAt.getTime() + 15 * MINUTE;

        const found = await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 2 * MINUTE));
        expectShape(Verification, found, 'verification');
        expect(found?.id).toBe(v.id);
        expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt - 1)))?.id).toBe(v.id);
        expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt))).toBeNull();
        expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt + MINUTE))).toBeNull();
        expect(await repo.findActiveVerification(IDS.alice, key(uid('conv_other')), new Date(t0 + 2 * MINUTE))).toBeNull();
        expect(await repo.findActiveVerification(IDS.bob, key(conv), new Date(t0 + 2 * MINUTE))).toBeNull();
      });

      it('verifications are found only through the principal that created them', async () => {
        const t0 = Date.now();
        const conv = uid('conv');
        const v = await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:a', method: 'kba' }));
        expect(v.principal).toBe('token:a');
        expect((await repo.getVerification(v.id))?.principal).toBe('token:a');
        await repo.attemptVerification(v.id, { matched: true, now: new Date(t0), verifiedTtlMs: 15 * MINUTE });
        const at = new Date(t0 + MINUTE);
        expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:a'), at))?.id).toBe(v.id);
        // The same conversation id presented by another principal finds nothing.
        expect(await repo.findActiveVerification(IDS.alice, key(conv, 'token:b'), at)).toBeNull();
        expect((await repo.findLatestVerification(IDS.alice, key(conv, 'token:a'), 'kba'))?.id).toBe(v.id);
        expect(await repo.findLatestVerification(IDS.alice, key(conv, 'token:b'), 'kba')).toBeNull();
        // Another principal's verification in the same conversation id does not hide or replace the first.
        const other = await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:b', method: 'kba' }));
        await repo.attemptVerification(other.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: 15 * MINUTE });
        expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:a'), new Date(t0 + 3 * MINUTE)))?.id).toBe(v.id);
        expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:b'), new Date(t0 + 3 * MINUTE)))?.id).toBe(other.id);
      });

      it('conversationHasOtherPrincipal: true only when another principal has a verification in that conversation id', async () => {
        const conv = uid('conv');
        expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(false);
        await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:a' }));
        expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(false);
        expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:b'))).toBe(true);
        expect(await repo.conversationHasOtherPrincipal(key(uid('conv_other'), 'token:b'))).toBe(false);
        // Any status counts: a pending challenge already makes the conversation someone's.
        await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:b', customer_id: IDS.bob }));
        expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(true);
      });

      it('createVerification refuses an empty principal', async () => {
        await expectRejects(repo.createVerification(newVerification({ principal: '' })), RepositoryError);
      });

      it('findActiveVerification: failed, expired and locked verifications are never active', async () => {
        const t0 = Date.now();
        const conv = uid('conv');
        const locked = await repo.createVerification(newVerification({ conversation_id: conv, max_attempts: 1 }));
        await repo.attemptVerification(locked.id, { matched: false, now: new Date(t0), verifiedTtlMs: MINUTE });
        const expired = await repo.createVerification(newVerification({ conversation_id: conv, expires_at: new Date(t0 + MINUTE).toISOString() }));
        await repo.attemptVerification(expired.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: MINUTE });
        expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 3 * MINUTE))).toBeNull();
      });

      it('findActiveVerification: the newest verified_at wins', async () => {
        const t0 = Date.now();
        const conv = uid('conv');
        const a = await repo.createVerification(newVerification({ conversation_id: conv }));
        const b = await repo.createVerification(newVerification({ conversation_id: conv }));
        // a: verified first with a long TTL; b: verified later with a short TTL.
        await repo.attemptVerification(a.id, { matched: true, now: new Date(t0 + MINUTE), verifiedTtlMs: 60 * MINUTE });
        await repo.attemptVerification(b.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: 15 * MINUTE });
        expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 3 * MINUTE)))?.id).toBe(b.id);
        // Once b has expired, a is still active.
        expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 20 * MINUTE)))?.id).toBe(a.id);
        expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 62 * MINUTE))).toBeNull();
      });
    });

    // -------------------------------------------------------------------------------------
    describe('latest verification and the verification outbox', () => {
      const verification = (overrides: Partial<NewVerification> = {}): NewVerification => ({
        id: uid('ver'),
        customer_id: IDS.alice,
        conversation_id: uid('conv'),
        principal: PRINCIPAL,
        method: 'otp',
        code_hash: null,
        delivered_to: null,
        max_attempts: 5,
        expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        ...overrides,
      });
      const message = (verificationId: string | null, overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
        id: uid('msg'),
        channel: 'email',
        destination: ALICE_EMAIL,
        body: 'Your verification code is {code}.',
        code: '042917',
        verification_id: verificationId,
        customer_id: IDS.alice,
        expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
        ...overrides,
      });
      const OUTBOX_KEYS = [
        'body', 'channel', 'code', 'created_at', 'customer_id', 'destination', 'expires_at', 'id', 'sent_at', 'verification_id',
      ];

      it('findLatestVerification: newest of that customer, conversation and method, any status', async () => {
        const conv = uid('conv');
        expect(await repo.findLatestVerification(IDS.alice, key(conv), 'kba')).toBeNull();
        const first = await repo.createVerification(verification({ conversation_id: conv, method: 'kba', max_attempts: 1 }));
        await repo.attemptVerification(first.id, { matched: false, verifiedTtlMs: MINUTE }); // failed (locked)
        expect(await repo.findLatestVerification(IDS.alice, key(conv), 'kba')).toEqual(await repo.getVerification(first.id));
        expect((await repo.findLatestVerification(IDS.alice, key(conv), 'kba'))?.status).toBe('failed');
        await new Promise((r) => setTimeout(r, 5)); // a later created_at
        const second = await repo.createVerification(verification({ conversation_id: conv, method: 'kba' }));
        const otp = await repo.createVerification(verification({ conversation_id: conv, method: 'otp' }));
        expect((await repo.findLatestVerification(IDS.alice, key(conv), 'kba'))?.id).toBe(second.id);
        expect((await repo.findLatestVerification(IDS.alice, key(conv), 'otp'))?.id).toBe(otp.id);
        expect(await repo.findLatestVerification(IDS.bob, key(conv), 'kba')).toBeNull();
        expect(await repo.findLatestVerification(IDS.alice, key(uid('conv_other')), 'kba')).toBeNull();
      });

      it('enqueueOutbox stores the message as given, pending; listOutbox returns it oldest first', async () => {
        const v = await repo.createVerification(verification());
        const before = Date.now();
        const input = message(v.id);
        const m = await repo.enqueueOutbox(input);
        expect(Object.keys(m).sort()).toEqual(OUTBOX_KEYS);
        expect(m).toMatchObject({ ...input, sent_at: null });
        expectRecent(m.created_at, before, 'created_at');
        await new Promise((r) => setTimeout(r, 5));
        const sms = await repo.enqueueOutbox(message(v.id, { channel: 'sms', destination: ALICE_PHONE, expires_at: null, customer_id: null }));
        expect(sms).toMatchObject({ channel: 'sms', destination: ALICE_PHONE, expires_at: null, customer_id: null });
        const all = await repo.listOutbox({ limit: 1000 });
        const mine = all.filter((x) => x.verification_id === v.id);
        expect(mine).toEqual([m, sms]);
        const pending = await repo.listOutbox({ pendingOnly: true, limit: 1000 });
        expect(pending.filter((x) => x.verification_id === v.id).map((x) => x.id)).toEqual([m.id, sms.id]);
        // ascending (created_at, id) across the whole list
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1]!, all[i]!];
          expect(a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id)).toBe(true);
        }
      });

      it('markOutboxSent sets sent_at, clears the code, is idempotent, and drops the message from pendingOnly', async () => {
        const v = await repo.createVerification(verification());
        const m = await repo.enqueueOutbox(message(v.id));
        const at = new Date(Date.now() + MINUTE);
        const sent = await repo.markOutboxSent(m.id, at);
        expect(sent).toEqual({ ...m, sent_at: at.toISOString(), code: null });
        expect(await repo.markOutboxSent(m.id, new Date(at.getTime() + MINUTE))).toEqual(sent);
        const pending = await repo.listOutbox({ pendingOnly: true, limit: 1000 });
        expect(pending.some((x) => x.id === m.id)).toBe(false);
        const all = await repo.listOutbox({ limit: 1000 });
        expect(all.find((x) => x.id === m.id)).toEqual(sent);
        await expectRejects(repo.markOutboxSent(uid('msg_missing')), NotFoundError);
      });

      it('rejects an unknown verification, a reused id and invalid channels', async () => {
        const missing = uid('ver_missing');
        await expectRejects(repo.enqueueOutbox(message(missing)), NotFoundError, { entity: 'verification', id: missing });
        const v = await repo.createVerification(verification());
        const m = await repo.enqueueOutbox(message(v.id));
        await expectRejects(repo.enqueueOutbox(message(v.id, { id: m.id })), ConflictError, { reason: 'duplicate_outbox_message' });
        await expectRejects(repo.enqueueOutbox(message(v.id, { channel: 'fax' as 'sms' })), ValidationError);
        await expectRejects(repo.enqueueOutbox(message(v.id, { destination: '' })), ValidationError);
        // a message without a verification is allowed (other notifications)
        const plain = await repo.enqueueOutbox(message(null, { code: null }));
        expect(plain).toMatchObject({ verification_id: null, code: null });
      });

      it('returned messages are copies', async () => {
        const v = await repo.createVerification(verification());
        const m = await repo.enqueueOutbox(message(v.id));
        m.code = 'tampered';
        const [listed] = (await repo.listOutbox({ limit: 1000 })).filter((x) => x.id === m.id);
        expect(listed?.code).toBe('042917');
        listed!.destination = 'x';
        expect((await repo.listOutbox({ limit: 1000 })).find((x) => x.id === m.id)?.destination).toBe(ALICE_EMAIL);
      });
    });

    // -------------------------------------------------------------------------------------
    describe('audit', () => {
      it('appendAudit + listAudit: ascending ids, defaults at to now, round-trips values', async () => {
        const conv = uid('conv');
        const before = Date.now();
        const entries: NewAuditEntry[] = [
          { ...auditEntry(conv, 'find_customer', IDS.alice), at: '2024-10-23T10:30:00.000Z' },
          { ...auditEntry(conv, 'get_order', null), outcome: 'error', error_code: 'not_found', duration_ms: 0, args: {} },
          { ...auditEntry(conv, 'cancel_order', IDS.bob), args: { order_id: 'o1', flags: [true, false], nothing: null } },
        ];
        await repo.appendAudit(entries);
        const listed = await auditFor(conv);
        expect(listed).toHaveLength(3);
        for (const e of listed) expectShape(AuditEntry, e, 'audit entry');
        const ids = listed.map((e) => e.id);
        expect([...ids].sort((x, y) => x - y)).toEqual(ids);
        expect(new Set(ids).size).toBe(3);
        expect(listed.map((e) => e.tool)).toEqual(['find_customer', 'get_order', 'cancel_order']);
        expect(listed[0]).toEqual({ ...entries[0], id: ids[0] });
        const { at: _a1, ...second } = listed[1]!;
        expect(second).toEqual({ ...entries[1], id: ids[1] });
        expectRecent(listed[1]!.at, before, 'default at');
        expect(listed[2]!.args).toEqual({ order_id: 'o1', flags: [true, false], nothing: null });
        expect(listed[2]!.customer_id).toBe(IDS.bob);
        expect(listed[1]!.customer_id).toBeNull();
      });

      it('appendAudit: the principal round-trips, and an entry without one stores null', async () => {
        const conv = uid('conv');
        const { principal: _p, ...anonymous } = auditEntry(conv, 'no_principal', null);
        await repo.appendAudit([auditEntry(conv, 'with_principal', null), anonymous]);
        expect((await auditFor(conv)).map((e) => [e.tool, e.principal])).toEqual([['with_principal', 'token:contract'], ['no_principal', null]]);
      });

      it('appendAudit with no entries is a no-op', async () => {
        await expect(repo.appendAudit([])).resolves.toBeUndefined();
      });

      it('listAudit filters by customer and since (inclusive), and clamps the limit', async () => {
        // Far-future instants keep this test's entries apart from anything else in the log.
        const conv = uid('conv');
        const base = Date.parse('2990-01-01T00:00:00.000Z');
        const at = (i: number) => new Date(base + i * 1_000).toISOString();
        const entries: NewAuditEntry[] = [];
        for (let i = 0; i < 105; i++) {
          entries.push({ ...auditEntry(conv, `tool_${i}`, i % 2 === 0 ? IDS.dave : IDS.carol), at: at(i) });
        }
        await repo.appendAudit(entries);
        const since = at(0);

        const all = await repo.listAudit({ since, limit: 1000 });
        expect(all.map((e) => e.tool)).toEqual(entries.map((e) => e.tool));
        expect((await repo.listAudit({ since })).map((e) => e.tool)).toEqual(entries.slice(0, 100).map((e) => e.tool));
        expect((await repo.listAudit({ since, limit: 2 })).map((e) => e.tool)).toEqual(['tool_0', 'tool_1']);
        expect((await repo.listAudit({ since, limit: 0 })).map((e) => e.tool)).toEqual(['tool_0']);
        expect((await repo.listAudit({ since, limit: 20_000 })).length).toBe(105);

        // since is inclusive
        expect((await repo.listAudit({ since: at(100), limit: 1000 })).map((e) => e.tool)).toEqual(
          ['tool_100', 'tool_101', 'tool_102', 'tool_103', 'tool_104'],
        );
        // customer filter, combined with since and limit
        const dave = await repo.listAudit({ since, customerId: IDS.dave, limit: 1000 });
        expect(dave).toHaveLength(53);
        expect(dave.every((e) => e.customer_id === IDS.dave)).toBe(true);
        expect((await repo.listAudit({ since: at(100), customerId: IDS.carol })).map((e) => e.tool)).toEqual(['tool_101', 'tool_103']);
        expect((await repo.listAudit({ since, customerId: IDS.carol, limit: 3 })).map((e) => e.tool)).toEqual(['tool_1', 'tool_3', 'tool_5']);
        expect(await repo.listAudit({ since, customerId: IDS.missingCustomer })).toEqual([]);
        expect(await repo.listAudit({ since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
      });

      it('opts.audit is written with a successful updateContact, and not when it fails', async () => {
        const ok = uid('conv');
        await repo.updateContact(IDS.alice, { email: 'audited@example.com' }, { audit: auditEntry(ok, 'update_contact', IDS.alice) });
        const written = await auditFor(ok);
        expect(written).toHaveLength(1);
        expect(written[0]).toMatchObject({ tool: 'update_contact', customer_id: IDS.alice, outcome: 'ok', args: auditEntry(ok, 'x', null).args });

        const conflict = uid('conv');
        await expectRejects(repo.updateContact(IDS.alice, { email: 'bob@example.com' }, { audit: auditEntry(conflict, 'update_contact', IDS.alice) }), ConflictError);
        const missing = uid('conv');
        await expectRejects(repo.updateContact(IDS.missingCustomer, { email: 'z@example.com' }, { audit: auditEntry(missing, 'update_contact', null) }), NotFoundError);
        expect(await auditFor(conflict)).toEqual([]);
        expect(await auditFor(missing)).toEqual([]);
      });

      it('opts.audit is written with a successful cancelOrder, and not when it fails', async () => {
        const ok = uid('conv');
        await repo.cancelOrder(IDS.orderProcessing, { audit: auditEntry(ok, 'cancel_order', IDS.alice) });
        expect(await auditFor(ok)).toHaveLength(1);
        const shipped = uid('conv');
        await expectRejects(repo.cancelOrder(IDS.orderShipped, { audit: auditEntry(shipped, 'cancel_order', IDS.alice) }), InvalidStateError);
        const missing = uid('conv');
        await expectRejects(repo.cancelOrder(IDS.missingOrder, { audit: auditEntry(missing, 'cancel_order', null) }), NotFoundError);
        expect(await auditFor(shipped)).toEqual([]);
        expect(await auditFor(missing)).toEqual([]);
      });

      it('opts.audit is written with a successful updatePaymentMethod, and not when it fails', async () => {
        const ok = uid('conv');
        await repo.updatePaymentMethod(IDS.alice, 'Visa ending in 4242', { audit: auditEntry(ok, 'update_payment_method', IDS.alice) });
        expect(await auditFor(ok)).toHaveLength(1);
        const missing = uid('conv');
        await expectRejects(repo.updatePaymentMethod(IDS.carol, 'Visa ending in 4242', { audit: auditEntry(missing, 'update_payment_method', IDS.carol) }), NotFoundError);
        expect(await auditFor(missing)).toEqual([]);
      });

      it('opts.audit is written with a successful createTicket, and not when it fails', async () => {
        const ok = uid('conv');
        const key = uid('key');
        await repo.createTicket(newTicket({ idempotency_key: key }), { audit: auditEntry(ok, 'create_ticket', IDS.alice) });
        expect(await auditFor(ok)).toHaveLength(1);
        const reused = uid('conv');
        await expectRejects(
          repo.createTicket(newTicket({ idempotency_key: key, description: 'different' }), { audit: auditEntry(reused, 'create_ticket', IDS.alice) }),
          ConflictError,
        );
        const missing = uid('conv');
        await expectRejects(
          repo.createTicket(newTicket({ customer_id: IDS.missingCustomer }), { audit: auditEntry(missing, 'create_ticket', null) }),
          NotFoundError,
        );
        const duplicate = uid('conv');
        await expectRejects(
          repo.createTicket(newTicket({ id: IDS.seedTicket }), { audit: auditEntry(duplicate, 'create_ticket', IDS.alice) }),
          ConflictError,
        );
        expect(await auditFor(reused)).toEqual([]);
        expect(await auditFor(missing)).toEqual([]);
        expect(await auditFor(duplicate)).toEqual([]);
      });
    });

    // -------------------------------------------------------------------------------------
    describe('audit: newest entries', () => {
      it('listAudit newest: the newest `limit` entries (after since/customer filters), still oldest first', async () => {
        const conv = uid('conv');
        const base = Date.parse('2991-01-01T00:00:00.000Z');
        const at = (i: number) => new Date(base + i * 1_000).toISOString();
        const entries = Array.from({ length: 12 }, (_, i) => ({ ...auditEntry(conv, `newest_${i}`, i % 3 === 0 ? IDS.dave : IDS.carol), at: at(i) }));
        await repo.appendAudit(entries);
        const since = at(0);
        expect((await repo.listAudit({ since, limit: 3, newest: true })).map((e) => e.tool)).toEqual(['newest_9', 'newest_10', 'newest_11']);
        expect((await repo.listAudit({ since, limit: 3, newest: false })).map((e) => e.tool)).toEqual(['newest_0', 'newest_1', 'newest_2']);
        expect((await repo.listAudit({ since, customerId: IDS.dave, limit: 2, newest: true })).map((e) => e.tool)).toEqual(['newest_6', 'newest_9']);
        expect((await repo.listAudit({ since: at(10), limit: 100, newest: true })).map((e) => e.tool)).toEqual(['newest_10', 'newest_11']);
        const all = await repo.listAudit({ since, limit: 100, newest: true });
        expect(all.map((e) => e.tool)).toEqual(entries.map((e) => e.tool));
        expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
      });
    });

    // -------------------------------------------------------------------------------------
    describe('rate-limit counters', () => {
      // Far-future windows: no other test's pruning reaches them.
      const W1 = '2990-06-01T10:00:00.000Z';
      const W2 = '2990-06-01T10:01:00.000Z';

      it('hitCounters counts per (key, window), creating at 1, and returns the new counts by key', async () => {
        const a = uid('ctr');
        const b = uid('ctr');
        expect(await repo.hitCounters([{ key: a, windowStart: W1 }])).toEqual({ [a]: 1 });
        expect(await repo.hitCounters([{ key: a, windowStart: W1 }, { key: b, windowStart: W1 }])).toEqual({ [a]: 2, [b]: 1 });
        expect(await repo.hitCounters([{ key: a, windowStart: W2 }])).toEqual({ [a]: 1 }); // another window
        // the same instant written differently is the same window
        expect(await repo.hitCounters([{ key: a, windowStart: '2990-06-01T10:00:00Z' }])).toEqual({ [a]: 3 });
        expect(await repo.hitCounters([{ key: a, windowStart: '2990-06-01T12:00:00+02:00' }])).toEqual({ [a]: 4 });
        expect(await repo.hitCounters([])).toEqual({});
      });

      it('a counter past its limit stops the later ones (the gate), and is itself still counted', async () => {
        const conv = uid('ctr');
        const glob = uid('ctr');
        const hit = () => repo.hitCounters([{ key: conv, windowStart: W1, limit: 2 }, { key: glob, windowStart: W1 }]);
        expect(await hit()).toEqual({ [conv]: 1, [glob]: 1 });
        expect(await hit()).toEqual({ [conv]: 2, [glob]: 2 });
        expect(await hit()).toEqual({ [conv]: 3 });
        expect(await hit()).toEqual({ [conv]: 4 });
        expect(await repo.hitCounters([{ key: glob, windowStart: W1 }])).toEqual({ [glob]: 3 });
        // a limit on the last counter has nothing to stop
        expect(await repo.hitCounters([{ key: glob, windowStart: W1, limit: 0 }])).toEqual({ [glob]: 4 });
        // three in a chain: the middle one stops the third
        const [x, y, z] = [uid('ctr'), uid('ctr'), uid('ctr')];
        const chain = () => repo.hitCounters([
          { key: x, windowStart: W1, limit: 100 }, { key: y, windowStart: W1, limit: 1 }, { key: z, windowStart: W2 },
        ]);
        expect(await chain()).toEqual({ [x]: 1, [y]: 1, [z]: 1 });
        expect(await chain()).toEqual({ [x]: 2, [y]: 2 });
      });

      it('invalid input is refused with ValidationError and counts nothing', async () => {
        const k = uid('ctr');
        await expectRejects(repo.hitCounters([{ key: '', windowStart: W1 }]), ValidationError);
        await expectRejects(repo.hitCounters([{ key: 'x'.repeat(513), windowStart: W1 }]), ValidationError);
        await expectRejects(repo.hitCounters([{ key: k, windowStart: 'not a time' }]), ValidationError);
        await expectRejects(repo.hitCounters([{ key: k, windowStart: W1 }, { key: k, windowStart: W2 }]), ValidationError);
        await expectRejects(repo.hitCounters([{ key: k, windowStart: W1, limit: Number.NaN }]), ValidationError);
        await expectRejects(repo.hitCounters([{ key: k, windowStart: W1 }], { pruneBefore: 'yesterday' }), ValidationError);
        await expectRejects(repo.hitCounters([{ key: k, windowStart: W1 }], { pruneBefore: W2 }), ValidationError);
        expect(await repo.hitCounters([{ key: 'x'.repeat(512), windowStart: W1 }])).toEqual({ ['x'.repeat(512)]: 1 });
        expect(await repo.hitCounters([{ key: k, windowStart: W1 }])).toEqual({ [k]: 1 });
      });

      it('pruneBefore deletes counters of windows that started before it, never the others', async () => {
        const OLD = '2000-01-01T00:00:00.000Z';
        const old = uid('ctr');
        const cur = uid('ctr');
        await repo.hitCounters([{ key: old, windowStart: OLD }]);
        expect(await repo.hitCounters([{ key: old, windowStart: OLD }])).toEqual({ [old]: 2 });
        expect(await repo.hitCounters([{ key: cur, windowStart: W1 }])).toEqual({ [cur]: 1 });
        expect(await repo.hitCounters([{ key: cur, windowStart: W1 }], { pruneBefore: '2000-01-01T01:00:00.000Z' })).toEqual({ [cur]: 2 });
        expect(await repo.hitCounters([{ key: old, windowStart: OLD }])).toEqual({ [old]: 1 }); // it was deleted
        // prune only; a window starting exactly at pruneBefore is kept
        expect(await repo.hitCounters([], { pruneBefore: OLD })).toEqual({});
        expect(await repo.hitCounters([{ key: old, windowStart: OLD }])).toEqual({ [old]: 2 });
        expect(await repo.hitCounters([{ key: cur, windowStart: W1 }])).toEqual({ [cur]: 3 });
      });
    });

    // -------------------------------------------------------------------------------------
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
        expect(['verified', 'failed']).toContain(final!.status);
      });
    });
  });
}
