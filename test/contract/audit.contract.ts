// The audit-log part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditEntry, type NewAuditEntry } from '../../src/domain/index.js';
import { ConflictError, InvalidStateError, NotFoundError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import {
  auditEntriesFor, auditEntry, expectRecent, expectRejects, expectShape, newTicket, uid, type ContractSuite,
} from './kit.js';

export function describeAuditContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });
  const auditFor = (conversationId: string) => auditEntriesFor(repo, conversationId);

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
}
