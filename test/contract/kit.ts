// Helpers of the repository contract suite (repository.contract.ts and the per-aggregate
// <aggregate>.contract.ts files it composes): typed-error and shape assertions, builders, and
// unique ids so records a reseed may keep never collide.
import { expect } from 'vitest';
import {
  AuditEntry, Order, OrderItem, Payment,
} from '../../src/domain/index.js';
import type { NewAuditEntry, NewTicket, NewVerification, OrderStatus } from '../../src/domain/index.js';
import { compareOrdersNewestFirst } from '../../src/repository/cursor.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { RepositoryError } from '../../src/repository/errors.js';
import type { ListOrdersOptions, SupportRepository, ConversationKey } from '../../src/repository/types.js';
import { IDS } from './dataset.js';

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
export const uid = (prefix: string): string => `${prefix}_${runTag}_${(++uidCounter).toString(36)}`;

interface ObjectSchema {
  shape: Record<string, unknown>;
  parse(value: unknown): unknown;
}

/** Valid for the domain schema AND exactly its keys: no extra fields, no undefined values. */
export function expectShape(schema: ObjectSchema, value: unknown, what = 'value'): void {
  expect(value, `${what} is an object`).toBeTypeOf('object');
  expect(value, `${what} is not null`).not.toBeNull();
  schema.parse(value);
  const record = value as Record<string, unknown>;
  expect(Object.keys(record).sort(), `${what} has exactly the schema's keys`).toEqual(Object.keys(schema.shape).sort());
  for (const [k, v] of Object.entries(record)) expect(v, `${what}.${k} is never undefined`).not.toBeUndefined();
}

export function expectOrderShape(order: unknown): void {
  expectShape(Order, order, 'order');
  for (const item of (order as Order).items) expectShape(OrderItem, item, 'order item');
}

const SQL_LEAK = /\b(select\s.+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|duplicate key|violates|constraint|relation "|syntax error|SQLSTATE)\b/i;

/** Awaits a rejection of exactly this typed error, with these properties, and no SQL in the message. */
export async function expectRejects<E extends Error>(
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
export function expectRecent(isoInstant: string | null | undefined, sinceMs: number, what = 'instant'): void {
  expect(isoInstant, what).toBeTypeOf('string');
  const t = Date.parse(isoInstant as string);
  expect(t, `${what} (${isoInstant}) is not before the call`).toBeGreaterThanOrEqual(sinceMs - 2_000);
  expect(t, `${what} (${isoInstant}) is not in the future`).toBeLessThanOrEqual(Date.now() + 2_000);
}

export const expectedOrders = (ds: Dataset, customerId: string, status?: OrderStatus): Order[] =>
  ds.orders
    .filter((o) => o.customer_id === customerId && (status === undefined || o.status === status))
    .sort(compareOrdersNewestFirst);

export const expectedPayments = (ds: Dataset, customerId: string): Payment[] =>
  ds.payments
    .filter((p) => p.customer_id === customerId)
    .sort((a, b) => (a.paid_on === b.paid_on ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.paid_on < b.paid_on ? 1 : -1));

interface Walk {
  ids: string[];
  sizes: number[];
}

export async function walkOrders(repo: SupportRepository, customerId: string, opts: ListOrdersOptions): Promise<Walk> {
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

export const auditEntry = (conversationId: string, tool: string, customerId: string | null): NewAuditEntry => ({
  conversation_id: conversationId,
  tool,
  customer_id: customerId,
  outcome: 'ok',
  error_code: null,
  duration_ms: 7,
  args: { note: 'contract', nested: { n: 1, list: ['a', 'b'] } },
  principal: 'token:contract',
});

export const newTicket = (overrides: Partial<NewTicket> = {}): NewTicket => ({
  id: uid('tkt'),
  number: uid('TICK'),
  customer_id: IDS.alice,
  category: 'shipping',
  priority: 'high',
  description: 'Parcel never arrived',
  ...overrides,
});

export const MINUTE = 60_000;
/** The principal verifications are created by, unless a case says otherwise. */
export const PRINCIPAL = 'token:contract';
export const key = (conversationId: string, principal = PRINCIPAL): ConversationKey => ({ conversationId, principal });

// ---------------------------------------------------------------------------------------

/** All audit entries with this conversation id (conversation ids are unique per test). */
export const auditEntriesFor = async (repo: SupportRepository, conversationId: string): Promise<AuditEntry[]> =>
  (await repo.listAudit({ limit: 10_000 })).filter((e) => e.conversation_id === conversationId);

/** What each test of the suite runs against: the repository and data set after the reset. */
export interface ContractSuite {
  current(): { repo: SupportRepository; ds: Dataset };
}

/** A new verification of Alice in a fresh conversation of PRINCIPAL (a pending OTP challenge). */
export const newVerification = (overrides: Partial<NewVerification> = {}): NewVerification => ({
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
