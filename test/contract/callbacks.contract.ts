// The callbacks part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Callback, type NewCallback } from '../../src/domain/index.js';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ALICE_PHONE, IDS } from './dataset.js';
import { auditEntriesFor, auditEntry, expectRecent, expectRejects, expectShape, uid, type ContractSuite } from './kit.js';

export function describeCallbackContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

  const HOUR = 3_600_000;
  const callback = (overrides: Partial<NewCallback> = {}): NewCallback => {
    const start = Date.now() + 48 * HOUR;
    return {
      id: uid('cb'),
      customer_id: IDS.alice,
      destination: ALICE_PHONE,
      window_start: new Date(start).toISOString(),
      window_end: new Date(start + HOUR).toISOString(),
      topic: 'Card replacement',
      conversation_id: uid('conv'),
      request_key: uid('key'),
      ...overrides,
    };
  };

  describe('callbacks', () => {
    it('schedules one, with its audit entry; an identical request (same key) returns it, created=false', async () => {
      const since = Date.now();
      const conv = uid('conv');
      const input = callback();
      const first = await repo.scheduleCallback(input, 3, { audit: auditEntry(conv, 'schedule_callback', IDS.alice) });
      expect(first.created).toBe(true);
      expectShape(Callback, first.callback, 'callback');
      const { request_key: _k, ...fields } = input;
      expect(first.callback).toMatchObject({ ...fields, status: 'scheduled' });
      expectRecent(first.callback.created_at, since, 'created_at');
      const again = await repo.scheduleCallback({ ...input, id: uid('cb') }, 3, { audit: auditEntry(conv, 'schedule_callback', IDS.alice) });
      expect(again).toEqual({ callback: first.callback, created: false });
      expect(await repo.getCallback(first.callback.id)).toEqual(first.callback);
      expect((await auditEntriesFor(repo, conv)).map((e) => e.tool)).toEqual(['schedule_callback', 'schedule_callback']);
    });

    it('concurrent identical requests create one; concurrent different ones stop at the limit', async () => {
      const input = callback();
      const same = await Promise.all(Array.from({ length: 20 }, () => repo.scheduleCallback({ ...input, id: uid('cb') }, 3)));
      expect(same.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(same.map((r) => r.callback.id)).size).toBe(1);
      const different = await Promise.allSettled(Array.from({ length: 10 }, () => repo.scheduleCallback(callback(), 3)));
      expect(different.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of different) if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'conflict', reason: 'callback_limit_reached' });
      expect(await repo.listCallbacks(IDS.alice, ['scheduled'])).toHaveLength(3);
    });

    it('cancel: scheduled → cancelled once, frees a place, a retry changes nothing; unknown ids and invalid input refused', async () => {
      const { callback: c } = await repo.scheduleCallback(callback(), 1);
      await expectRejects(repo.scheduleCallback(callback(), 1), ConflictError, { reason: 'callback_limit_reached' });
      const cancelled = await repo.cancelCallback(c.id);
      expect(cancelled.changed).toBe(true);
      expect(cancelled.callback.status).toBe('cancelled');
      expect(await repo.cancelCallback(c.id)).toEqual({ callback: cancelled.callback, changed: false });
      expect((await repo.scheduleCallback(callback(), 1)).created).toBe(true);
      await expectRejects(repo.cancelCallback('cb_missing'), NotFoundError, { entity: 'callback' });
      await expectRejects(repo.scheduleCallback(callback({ customer_id: IDS.missingCustomer }), 3), NotFoundError, { entity: 'customer' });
      const start = Date.now() + 48 * HOUR;
      await expectRejects(repo.scheduleCallback(callback({ window_start: new Date(start).toISOString(), window_end: new Date(start - HOUR).toISOString() }), 3), ValidationError);
      await expectRejects(repo.scheduleCallback(callback({ topic: '' }), 3), ValidationError);
      const listed = await repo.listCallbacks(IDS.alice);
      expect(listed.map((x) => x.window_start)).toEqual([...listed.map((x) => x.window_start)].sort());
      expect(await repo.listCallbacks(IDS.bob)).toEqual([]);
    });

    it('a completed callback cannot be cancelled', async () => {
      const completed = (await repo.listCallbacks(IDS.dave, ['completed']))[0];
      expect(completed?.id).toBe('cb_d_done');
      await expectRejects(repo.cancelCallback('cb_d_done'), InvalidStateError, { entity: 'callback', state: 'completed' });
    });
  });
}
