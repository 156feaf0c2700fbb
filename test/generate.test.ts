// The synthetic data-set generator: valid for loadDataset, deterministic, and varied.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, loadDataset, type Dataset } from '../src/repository/dataset.js';
import { generateDataset, parseGenerateArgs } from '../src/repository/generate.js';
import { phoneKey } from '../src/domain/index.js';

let root: string;
let dirA: string;
let dirB: string;
let counts: Awaited<ReturnType<typeof generateDataset>>['counts'];
let ds: Dataset;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'support-mcp-gen-'));
  dirA = path.join(root, 'a');
  dirB = path.join(root, 'b');
  ({ counts } = await generateDataset({ customers: 200, outDir: dirA }));
  await generateDataset({ customers: 200, ordersPerCustomer: 10, seed: 42, outDir: dirB });
  ds = await loadDataset(dirA);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generateDataset', () => {
  it('writes a data set that loadDataset accepts, with matching counts', () => {
    for (const name of COLLECTIONS) expect(ds[name].length, name).toBe(counts[name]);
    expect(counts.customers).toBe(200);
    expect(counts.orders).toBe(2000);
  });

  it('is byte-for-byte deterministic for the same options', async () => {
    for (const name of COLLECTIONS) {
      const a = await readFile(path.join(dirA, `${name}.jsonl`));
      const b = await readFile(path.join(dirB, `${name}.jsonl`));
      expect(a.equals(b), name).toBe(true);
    }
  });

  it('changes with the seed', async () => {
    const dirC = path.join(root, 'c');
    await generateDataset({ customers: 20, ordersPerCustomer: 2, seed: 7, outDir: dirC });
    const c = await readFile(path.join(dirC, 'customers.jsonl'), 'utf8');
    const a = (await readFile(path.join(dirA, 'customers.jsonl'), 'utf8')).split('\n').slice(0, 20).join('\n');
    expect(c.trimEnd()).not.toBe(a);
  });

  it('uses the documented id formats and unique contact data', () => {
    expect(ds.customers[0]!.id).toBe('GC-0000001');
    expect(ds.orders[0]!.id).toBe('GO-000000001');
    expect(ds.customers.every((c) => /^GC-\d{7}$/.test(c.id))).toBe(true);
    expect(ds.orders.every((o) => /^GO-\d{9}$/.test(o.id))).toBe(true);
    const keys = ds.customers.map((c) => phoneKey(c.phone!));
    expect(keys.every((k) => k !== null)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(ds.customers.every((c) => c.date_of_birth !== null && c.postcode !== null)).toBe(true);
  });

  it('has realistic variety', () => {
    const statuses = new Set(ds.orders.map((o) => o.status));
    expect([...statuses].sort()).toEqual(['cancelled', 'delivered', 'pending', 'processing', 'shipped']);
    const sizes = new Set(ds.orders.map((o) => o.items.length));
    expect([...sizes].sort()).toEqual([1, 2, 3, 4]);
    for (const o of ds.orders) {
      const cents = o.items.reduce((s, it) => s + it.quantity * Math.round(it.unit_price * 100), 0);
      expect(Math.round(o.total * 100)).toBe(cents);
      expect(o.cancelled_at !== null).toBe(o.status === 'cancelled');
    }
    expect(counts.subscriptions).toBeGreaterThan(40);
    expect(counts.billing_accounts).toBeGreaterThan(40);
    expect(counts.payments).toBeGreaterThan(40);
    expect(counts.bank_accounts).toBeGreaterThan(20);
    expect(counts.tickets).toBeGreaterThan(0);
    expect(new Set(ds.subscriptions.map((s) => s.status)).size).toBeGreaterThanOrEqual(3);
    for (const b of ds.billing_accounts) expect(b.payment_method).toMatch(/ ending in \d{4}$/);
  });

  it('cards and at least 10 transactions per bank account, newest first with a consistent running balance', () => {
    const byAccount = new Map<string, typeof ds.transactions>();
    for (const t of ds.transactions) byAccount.set(t.bank_account_id, [...(byAccount.get(t.bank_account_id) ?? []), t]);
    expect(byAccount.size).toBe(ds.bank_accounts.length);
    for (const account of ds.bank_accounts) {
      const txs = byAccount.get(account.id)!;
      expect(txs.length, account.id).toBeGreaterThanOrEqual(10);
      expect(txs.every((t) => t.currency === account.currency)).toBe(true);
      const posted = txs.filter((t) => t.status === 'posted');
      // the newest posted transaction leaves the account's current balance
      expect(posted[0]!.balance_after).toBe(account.balance);
      const times = txs.map((t) => t.posted_at);
      expect([...times].sort().reverse()).toEqual(times);
    }
    expect(counts.cards).toBeGreaterThan(10);
    const owner = new Map(ds.bank_accounts.map((b) => [b.id, b.customer_id]));
    expect(ds.cards.every((c) => owner.get(c.bank_account_id) === c.customer_id && /^\d{4}$/.test(c.last4))).toBe(true);
    expect(new Set(ds.cards.map((c) => c.status))).toContain('active');
  });

  it('honours ordersPerCustomer = 0', async () => {
    const dir = path.join(root, 'zero');
    const r = await generateDataset({ customers: 5, ordersPerCustomer: 0, outDir: dir });
    expect(r.counts.orders).toBe(0);
    const d = await loadDataset(dir);
    expect(d.customers).toHaveLength(5);
  });
});

describe('parseGenerateArgs', () => {
  it('parses the flags with defaults', () => {
    expect(parseGenerateArgs(['--customers', '100', '--out', '/tmp/x'])).toEqual({
      customers: 100, outDir: '/tmp/x', ordersPerCustomer: 10, seed: 42,
    });
    expect(parseGenerateArgs(['--out=/d', '--customers=5', '--orders-per-customer', '3', '--seed=9'])).toEqual({
      customers: 5, outDir: '/d', ordersPerCustomer: 3, seed: 9,
    });
  });

  it('rejects bad input with clear messages', () => {
    expect(() => parseGenerateArgs(['--out', 'd'])).toThrow(/--customers is required/);
    expect(() => parseGenerateArgs(['--customers', '5'])).toThrow(/--out is required/);
    expect(() => parseGenerateArgs(['--customers', 'abc', '--out', 'd'])).toThrow(/--customers must be a whole number/);
    expect(() => parseGenerateArgs(['--customers', '0', '--out', 'd'])).toThrow(/between 1 and/);
    expect(() => parseGenerateArgs(['--customers', '-3', '--out', 'd'])).toThrow(/--customers/);
    expect(() => parseGenerateArgs(['--customers', '5', '--out'])).toThrow(/--out needs a value/);
    expect(() => parseGenerateArgs(['--customers', '--out', 'd'])).toThrow(/--customers needs a value/);
    expect(() => parseGenerateArgs(['--customers', '5', '--out', 'd', '--bogus', '1'])).toThrow(/unknown option '--bogus'/);
    expect(() => parseGenerateArgs(['--customers', '5', '--customers', '6', '--out', 'd'])).toThrow(/more than once/);
    expect(() => parseGenerateArgs(['--customers', '5', '--out', 'd', '--seed', '1.5'])).toThrow(/--seed must be a whole number/);
  });
});
