// The handoff queue part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Handoff, type NewHandoff } from '../../src/domain/index.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { PRINCIPAL, expectRecent, expectRejects, expectShape, uid, type ContractSuite } from './kit.js';

export function describeHandoffContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

  const handoff = (overrides: Partial<NewHandoff> = {}): NewHandoff => ({
    id: uid('hof'),
    conversation_id: uid('conv'),
    principal: PRINCIPAL,
    customer_id: null,
    customer_verified: false,
    reason: 'customer_request',
    summary: 'Customer wants to talk to a person about a card payment.',
    priority: 'medium',
    queue: 'general',
    ...overrides,
  });

  describe('handoffs', () => {
    it('openHandoff stores an open handoff with its place in the queue; the next one in the same queue is behind it', async () => {
      const since = Date.now();
      const queue = 'cards';
      const first = await repo.openHandoff(handoff({ queue, customer_id: IDS.alice, customer_verified: true }));
      expect(first.created).toBe(true);
      expectShape(Handoff, first.handoff, 'handoff');
      expect(first.handoff).toMatchObject({ status: 'open', queue, customer_id: IDS.alice, customer_verified: true });
      expectRecent(first.handoff.created_at, since, 'created_at');
      const second = await repo.openHandoff(handoff({ queue }));
      expect(second.position).toBe(first.position + 1);
      const other = await repo.openHandoff(handoff({ queue: 'fraud' }));
      expect(other.position).toBeGreaterThanOrEqual(1);
      expect(await repo.getHandoff(first.handoff.id)).toEqual(first.handoff);
      expect(await repo.getHandoff('hof_missing')).toBeNull();
    });

    it('one in progress per (principal, conversation): a retry returns it; another principal\'s same conversation id gets its own', async () => {
      const conversation = uid('conv');
      const first = await repo.openHandoff(handoff({ conversation_id: conversation }));
      const retry = await repo.openHandoff(handoff({ conversation_id: conversation, summary: 'different words', reason: 'complaint' }));
      expect(retry).toEqual({ handoff: first.handoff, created: false, position: first.position });
      const foreign = await repo.openHandoff(handoff({ conversation_id: conversation, principal: 'token:someone-else' }));
      expect(foreign.created).toBe(true);
      expect(foreign.handoff.id).not.toBe(first.handoff.id);
    });

    it('concurrent opens for one conversation create exactly one', async () => {
      const conversation = uid('conv');
      const results = await Promise.all(Array.from({ length: 20 }, () => repo.openHandoff(handoff({ conversation_id: conversation }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.handoff.id)).size).toBe(1);
    });

    it('accept → position 0; close; a closed handoff lets the conversation open a new one and cannot be accepted', async () => {
      const conversation = uid('conv');
      const { handoff: h } = await repo.openHandoff(handoff({ conversation_id: conversation }));
      const accepted = await repo.setHandoffStatus(h.id, 'accepted');
      expect(accepted.status).toBe('accepted');
      expect(await repo.setHandoffStatus(h.id, 'accepted')).toEqual(accepted);
      expect((await repo.openHandoff(handoff({ conversation_id: conversation }))).position).toBe(0);
      const closed = await repo.setHandoffStatus(h.id, 'closed');
      expect(closed.status).toBe('closed');
      await expectRejects(repo.setHandoffStatus(h.id, 'accepted'), InvalidStateError, { entity: 'handoff', state: 'closed' });
      await expectRejects(repo.setHandoffStatus('hof_missing', 'closed'), NotFoundError, { entity: 'handoff' });
      const again = await repo.openHandoff(handoff({ conversation_id: conversation }));
      expect(again.created).toBe(true);
      const listed = await repo.listHandoffs({ status: ['closed'] });
      expect(listed.map((x) => x.id)).toContain(h.id);
      expect(listed.every((x) => x.status === 'closed')).toBe(true);
      const all = await repo.listHandoffs({ limit: 1000 });
      const order = all.map((x) => [x.created_at, x.id].join(' '));
      expect([...order].sort()).toEqual(order);
    });

    it('refuses invalid input with ValidationError and stores nothing', async () => {
      const conversation = uid('conv');
      await expectRejects(repo.openHandoff(handoff({ conversation_id: conversation, summary: '' })), ValidationError);
      await expectRejects(repo.openHandoff(handoff({ conversation_id: conversation, queue: 'nowhere' as never })), ValidationError);
      await expectRejects(repo.openHandoff(handoff({ conversation_id: conversation, summary: 'x'.repeat(1001) })), ValidationError);
      expect((await repo.listHandoffs({ limit: 1000 })).filter((h) => h.conversation_id === conversation)).toEqual([]);
    });
  });
}
