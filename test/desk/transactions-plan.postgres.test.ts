// The transaction-history page is served by transactions_account_posted_idx: the plan of the
// exact statement listTransactions runs (transactionPageQuery), on a generated data set large
// enough for the planner to care (PGlite always, real Postgres with DATABASE_URL).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import { generateDataset } from '../../src/repository/generate.js';
import type { PostgresRepository } from '../../src/repository/postgres/index.js';
import { transactionPageQuery } from '../../src/repository/postgres/banking.js';
import { encodeTransactionCursor } from '../../src/repository/cursor.js';
import { onPostgresBackends, type FixtureBackend } from '../support/fixture-backends.js';

interface PlanNode { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] }
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

onPostgresBackends('transaction plan', (name, make) => {
  describe(`transaction history plan [${name}]`, () => {
    let backend: FixtureBackend;
    let repo: PostgresRepository;
    let dataset: Dataset;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'desk-plan-'));
      await generateDataset({ customers: 1500, ordersPerCustomer: 1, seed: 13, outDir: dir });
      dataset = await loadDataset(dir);
      backend = await make();
      repo = (await backend.fresh(dataset)) as PostgresRepository;
    }, 240_000);
    afterAll(async () => {
      await backend?.teardown();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('every bank account has at least 10 transactions; a filtered, keyset page walks the index, newest first', async () => {
      const perAccount = new Map<string, number>();
      for (const t of dataset.transactions) perAccount.set(t.bank_account_id, (perAccount.get(t.bank_account_id) ?? 0) + 1);
      expect(perAccount.size).toBe(dataset.bank_accounts.length);
      expect(Math.min(...perAccount.values())).toBeGreaterThanOrEqual(10);
      expect(dataset.transactions.length).toBeGreaterThan(5_000);

      const [account, count] = [...perAccount.entries()].sort((a, b) => b[1] - a[1])[0]!;
      const newest = (await repo.listTransactions(account, { limit: 5 })).transactions;
      const cursor = encodeTransactionCursor({ posted_at: newest[4]!.posted_at, id: newest[4]!.id });
      for (const opts of [
        {},
        { from: '2025-01-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z', minAmount: 5, maxAmount: 500, text: 'coffee', cursor },
      ]) {
        const compiled = transactionPageQuery(repo.db, account, opts).compile();
        const { rows } = await repo.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({ ...compiled, sql: `explain (format json) ${compiled.sql}` });
        const plan = rows[0]!['QUERY PLAN'][0].Plan;
        const used = nodes(plan);
        expect(used.map((n) => n['Node Type']), JSON.stringify(plan)).not.toContain('Seq Scan');
        expect(used.map((n) => n['Node Type'])).not.toContain('Sort');
        expect(used.some((n) => n['Index Name'] === 'transactions_account_posted_idx'), JSON.stringify(plan)).toBe(true);
        if (process.env.DESK_REPORT) {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(`${process.env.DESK_REPORT}.${name}.plan-${Object.keys(opts).length ? 'filtered' : 'first'}.json`, JSON.stringify(plan, null, 2));
        }
      }
      expect(count).toBeGreaterThanOrEqual(10);
    }, 60_000);
  });
});
