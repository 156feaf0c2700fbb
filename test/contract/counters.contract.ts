// The rate-limit-counter part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { expectRejects, uid, type ContractSuite } from './kit.js';

export function describeCounterContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

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

    it('a hit adds its `by` (several calls\' hits in one step); the gate compares the new count', async () => {
      const a = uid('ctr');
      const b = uid('ctr');
      expect(await repo.hitCounters([{ key: a, windowStart: W1, by: 5 }])).toEqual({ [a]: 5 });
      expect(await repo.hitCounters([{ key: a, windowStart: W1, by: 3, limit: 8 }, { key: b, windowStart: W1, by: 2 }])).toEqual({ [a]: 8, [b]: 2 });
      expect(await repo.hitCounters([{ key: a, windowStart: W1, by: 1, limit: 8 }, { key: b, windowStart: W1, by: 2 }])).toEqual({ [a]: 9 });
      for (const by of [0, -1, 1.5, 1_000_001, Number.NaN]) {
        await expectRejects(repo.hitCounters([{ key: a, windowStart: W1, by }]), ValidationError);
      }
      expect(await repo.hitCounters([{ key: a, windowStart: W1 }])).toEqual({ [a]: 10 });
    });

    it('hitCounterGroups: each group counts its checks; those within the limit go on to the shared counter', async () => {
      const [a, b, c, glob] = [uid('ctr'), uid('ctr'), uid('ctr'), uid('ctr')];
      const then = { key: glob, windowStart: W2 };
      // a: 4 checks, limit 3 → 3 pass; b: 2 checks, no limit → 2 pass; c does not feed the shared counter
      expect(await repo.hitCounterGroups([
        { key: a, windowStart: W1, by: 4, limit: 3, then: true }, { key: b, windowStart: W1, by: 2, then: true },
        { key: c, windowStart: W1, by: 5, limit: 1 },
      ], then)).toEqual({ [a]: 4, [b]: 2, [c]: 5, [glob]: 5 });
      // a is over its limit already: nothing passes from it; the shared counter is not touched at all
      expect(await repo.hitCounterGroups([{ key: a, windowStart: W1, by: 2, limit: 3, then: true }], then)).toEqual({ [a]: 6 });
      // counts continue from the stored ones; a limit part-way through a group lets part of it through
      expect(await repo.hitCounterGroups([{ key: b, windowStart: W1, by: 3, limit: 4, then: true }], then)).toEqual({ [b]: 5, [glob]: 7 });
      expect(await repo.hitCounterGroups([], then)).toEqual({});
      // the same validation as hitCounters, and a group cannot be the shared counter
      await expectRejects(repo.hitCounterGroups([{ key: glob, windowStart: W2, by: 1, then: true }], then), ValidationError);
      await expectRejects(repo.hitCounterGroups([{ key: a, windowStart: W1, by: 0 }]), ValidationError);
      await expectRejects(repo.hitCounterGroups([{ key: a, windowStart: W1, by: 1 }, { key: a, windowStart: W2, by: 1 }]), ValidationError);
      await expectRejects(repo.hitCounterGroups([{ key: '', windowStart: W1, by: 1 }]), ValidationError);
      expect(await repo.hitCounters([{ key: a, windowStart: W1 }, { key: glob, windowStart: W2 }])).toEqual({ [a]: 7, [glob]: 8 });
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
}
