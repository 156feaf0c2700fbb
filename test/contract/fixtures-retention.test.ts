// The in-memory store keeps only the newest audit entries: a long-running demo server
// appends one per call and must not grow without bound (bench/memory.mjs).
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/repository.js';

const entry = (i: number, customerId: string | null) => ({
  conversation_id: 'c', tool: 'find_customer', outcome: 'ok' as const, error_code: null, duration_ms: 1, customer_id: customerId, args: { i },
});

describe('fixture store audit retention', () => {
  it('keeps the newest entries, overall and per customer, and drops the rest', async () => {
    const repo = new FixtureRepository(await loadDataset(), { auditRetention: 20 });
    for (let i = 0; i < 200; i += 7) {
      await repo.appendAudit(Array.from({ length: 7 }, (_, k) => entry(i + k, (i + k) % 3 === 0 ? '1213210' : null)));
    }
    const all = await repo.listAudit({ limit: 10_000 });
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all.length).toBeLessThan(22 + 7);
    // the newest survive, contiguous, ending with the last appended
    expect(all.map((e) => e.args.i)).toEqual(Array.from({ length: all.length }, (_, k) => 203 - all.length + k));
    const firstKept = all[0]!.id;
    const mine = await repo.listAudit({ customerId: '1213210', limit: 10_000 });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.id >= firstKept && e.customer_id === '1213210')).toBe(true);
    expect(mine.length).toBe(all.filter((e) => e.customer_id === '1213210').length);
  });

  it('keeps 10,000 by default', async () => {
    const repo = new FixtureRepository(await loadDataset());
    for (let i = 0; i < 12_000; i += 500) await repo.appendAudit(Array.from({ length: 500 }, (_, k) => entry(i + k, null)));
    // Trimmed back to 10,000 once the excess reaches a tenth (1,000): after the 22nd and the
    // 24th batch of 500. So exactly entries 2,000..11,999 remain.
    const kept = Array.from({ length: 10_000 }, (_, k) => 2_000 + k);
    const newest = await repo.listAudit({ limit: 10_000, newest: true });
    expect(newest.map((e) => e.args.i)).toEqual(kept);
    const oldest = await repo.listAudit({ limit: 10_000 }); // nothing older than the newest 10,000
    expect(oldest.map((e) => e.args.i)).toEqual(kept);
  });
});
