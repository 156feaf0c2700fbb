// Rate limits and the audit trail through real MCP clients (issue 6 items 3 and 4), run on
// every backend: fixtures, PGlite, and real Postgres when DATABASE_URL is set.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { ServiceHub } from '../../src/services/hub.js';
import {
  auditOf, codeOf, converse, errOf, JANE, JANE_DELIVERED_ORDER, JANE_PROCESSING_ORDER, JOHN, policy, retryAfterOf, SARAH,
  sleep, TestClock, textOf, waitForAudit, type Conversation, type PolicyBackend,
} from './kit.js';

/** The repository, except that close() leaves it open and records what was stored at that moment. */
function keepOpen(repo: SupportRepository, onClose: () => Promise<void>): SupportRepository {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      if (prop === 'close') return onClose;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function describePolicy(name: string, make: () => Promise<PolicyBackend>): void {
  describe(`policy [${name}]`, () => {
    let backend: PolicyBackend | undefined;
    let repo: SupportRepository;
    const open: Conversation[] = [];
    const hubs: ServiceHub[] = [];

    beforeAll(async () => {
      backend = await make();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    afterEach(async () => {
      for (const c of open.splice(0)) await c.close();
      // The hubs' repositories are test-owned views (keepOpen): closing flushes, nothing more.
      for (const h of hubs.splice(0)) await h.close();
    });

    const fresh = async (): Promise<SupportRepository> => {
      repo = await backend!.fresh();
      return repo;
    };
    const hubOf = (o: ConstructorParameters<typeof ServiceHub>[0]): ServiceHub => {
      const hub = new ServiceHub({ ...o, repo: keepOpen(o.repo, async () => undefined) });
      hubs.push(hub);
      return hub;
    };
    const talk = async (hub: ServiceHub, id: string, profiles?: string[]): Promise<Conversation> => {
      const c = await converse(hub, id, profiles);
      open.push(c);
      return c;
    };

    // ------------------------------------------------------------------------ rate limits

    describe('rate limits', () => {
      it('the banking contract numbers: the 11th call in a minute of one conversation is RATE_LIMITED with a retry-after; other conversations are not affected', async () => {
        await fresh();
        const clock = new TestClock(Date.parse('2030-03-04T12:00:15.000Z'));
        const hub = hubOf({ repo, policy: policy({ limits: 'contract' }), now: clock.now });
        const x = await talk(hub, 'pol-rl-conv-x');
        const y = await talk(hub, 'pol-rl-conv-y');
        // Every tool counts, whatever it does: lookups, misses, invalid arguments are not
        // counted (refused before any policy), writes.
        const calls: [string, Record<string, unknown>][] = [
          ['find_customer', { email: 'jane.smith@acme.com' }], ['get_subscription', { customer_id: JANE }],
          ['get_billing', { customer_id: JANE }], ['list_orders', { customer_id: JANE }],
          ['get_order', { order_id: JANE_DELIVERED_ORDER }], ['find_customer', { email: 'nobody@example.net' }],
          ['get_ticket', { ticket_id: 'TICK-NOPE' }], ['find_customer', { customer_id: SARAH }],
          ['get_subscription', { customer_id: SARAH }], ['find_customer', { customer_id: JOHN }],
        ];
        const codes: string[] = [];
        for (const [tool, args] of calls) codes.push(codeOf(await x.call(tool, args)));
        expect(codes.filter((c) => c === 'RATE_LIMITED')).toEqual([]);
        const eleventh = await x.call('find_customer', { customer_id: JOHN });
        expect(codeOf(eleventh)).toBe('RATE_LIMITED');
        expect(retryAfterOf(eleventh)).toBe(45); // the minute 12:00 ends in 45 s
        expect(errOf(eleventh).message).toMatch(/10 per minute/);
        expect(errOf(eleventh).next_step).toMatch(/wait/i);
        // The twelfth too, and a writing tool: refused before it runs (the order stays open).
        expect(codeOf(await x.call('cancel_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('RATE_LIMITED');
        expect((await repo.getOrder(JANE_PROCESSING_ORDER))?.status).toBe('processing');
        // Another conversation on the same process has its own budget.
        for (let i = 0; i < 10; i++) expect(codeOf(await y.call('find_customer', { customer_id: SARAH })), `y call ${i + 1}`).toBe('ok');
        expect(codeOf(await y.call('find_customer', { customer_id: SARAH }))).toBe('RATE_LIMITED');
        // The next minute is a new window.
        clock.advance(45_000);
        expect(codeOf(await x.call('find_customer', { customer_id: JOHN }))).toBe('ok');
      });

      it('per customer per hour (contract: 20): counted across conversations, refused with the wait to the end of the hour', async () => {
        await fresh();
        const clock = new TestClock(Date.parse('2030-03-04T12:10:00.000Z'));
        const hub = hubOf({ repo, policy: policy({ limits: 'contract' }), now: clock.now });
        const convs = await Promise.all(['a', 'b', 'c'].map((s) => talk(hub, `pol-rl-cust-${s}`)));
        const tools: [string, Record<string, unknown>][] = [
          ['get_subscription', { customer_id: JANE }], ['get_billing', { customer_id: JANE }], ['list_orders', { customer_id: JANE }],
        ];
        for (let i = 0; i < 20; i++) {
          const [tool, args] = tools[i % 3]!;
          expect(codeOf(await convs[i % 3]!.call(tool, args)), `call ${i + 1}`).toBe('ok');
        }
        const refused = await convs[0]!.call('get_billing', { customer_id: JANE });
        expect(codeOf(refused)).toBe('RATE_LIMITED');
        expect(retryAfterOf(refused)).toBe(50 * 60); // 12:10 → 13:00
        expect(errOf(refused).message).toMatch(/20 per hour/);
        // Her order (found by order id) counts against her too; another customer does not.
        expect(codeOf(await convs[1]!.call('get_order', { order_id: JANE_DELIVERED_ORDER }))).toBe('RATE_LIMITED');
        expect(codeOf(await convs[1]!.call('get_subscription', { customer_id: SARAH }))).toBe('ok');
        clock.advance(50 * 60_000);
        expect(codeOf(await convs[2]!.call('get_billing', { customer_id: JANE }))).toBe('ok');
      });

      it('per customer: probes refused by verified access do not count (nobody can lock a customer out by probing)', async () => {
        await fresh();
        const hub = hubOf({ repo, policy: policy({ access: 'verified', limits: { perCustomerPerHour: 3 } }) });
        const prober = await talk(hub, 'pol-rl-prober');
        for (let i = 0; i < 10; i++) expect(codeOf(await prober.call('get_billing', { customer_id: JANE }))).toBe('AUTH_REQUIRED');
        // The customer verifies in her own conversation and still has her whole budget.
        const own = await talk(hub, 'pol-rl-owner');
        const kba = { customer_id: JANE, method: 'kba', date_of_birth: '1984-11-05', postcode: '95113', phone_last4: '0176' };
        const verified = await own.call('verify_identity', kba);
        expect(codeOf(verified)).toBe('ok');
        expect(JSON.parse(textOf(verified)).status).toBe('verified');
        for (let i = 0; i < 3; i++) expect(codeOf(await own.call('get_billing', { customer_id: JANE })), `call ${i + 1}`).toBe('ok');
        expect(codeOf(await own.call('get_billing', { customer_id: JANE }))).toBe('RATE_LIMITED');
      });

      it('global per hour: trips at the configured number across conversations; refusals of a conversation limit do not use it up', async () => {
        await fresh();
        const clock = new TestClock(Date.parse('2030-03-04T12:59:30.000Z'));
        const hub = hubOf({ repo, policy: policy({ limits: { perConversationPerMinute: 2, globalPerHour: 5 } }), now: clock.now });
        const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((s) => talk(hub, `pol-rl-glob-${s}`)));
        const lookup = (s: Conversation) => s.call('find_customer', { customer_id: SARAH });
        // a hammers its own limit: 2 calls pass, 8 are refused by the conversation limit.
        const hammer: string[] = [];
        for (let i = 0; i < 10; i++) hammer.push(codeOf(await lookup(a!)));
        expect(hammer).toEqual(['ok', 'ok', ...Array<string>(8).fill('RATE_LIMITED')]);
        expect(errOf(await lookup(a!)).message).toMatch(/this conversation/);
        // The deployment has used 2 of 5: three more pass, the sixth is refused globally.
        expect([codeOf(await lookup(b!)), codeOf(await lookup(b!)), codeOf(await lookup(c!))]).toEqual(['ok', 'ok', 'ok']);
        const refused = await lookup(d!);
        expect(codeOf(refused)).toBe('RATE_LIMITED');
        expect(errOf(refused).message).toMatch(/5 tool calls per hour/);
        expect(retryAfterOf(refused)).toBe(30);
      });

      it('verification attempts have their own per-customer budget', async () => {
        await fresh();
        const hub = hubOf({ repo, policy: policy({ access: 'verified', limits: { verificationPerCustomerPerHour: 3 } }) });
        const x = await talk(hub, 'pol-rl-verify-x');
        const y = await talk(hub, 'pol-rl-verify-y');
        const wrong = { customer_id: JANE, method: 'kba', date_of_birth: '1984-11-06', postcode: '95113', phone_last4: '0176' };
        const codes: string[] = [];
        for (let i = 0; i < 3; i++) codes.push(codeOf(await x.call('verify_identity', wrong)));
        expect(codes).toEqual(['ok', 'ok', 'ok']); // answered "failed", attempts left
        const fourth = await y.call('verify_identity', { ...wrong, date_of_birth: '1984-11-05' }); // right answers, too late
        expect(codeOf(fourth)).toBe('RATE_LIMITED');
        expect(errOf(fourth).message).toMatch(/verification attempts/);
        expect(codeOf(await y.call('get_billing', { customer_id: JANE }))).toBe('AUTH_REQUIRED'); // not verified
        expect(codeOf(await y.call('verify_identity', { customer_id: SARAH, method: 'otp' }))).toBe('ok');
      });

      it('limits off (rateLimits null): nothing is counted or refused', async () => {
        await fresh();
        const hub = hubOf({ repo, policy: policy({ limits: null }) });
        expect(hub.limiter).toBeNull();
        const x = await talk(hub, 'pol-rl-off');
        for (let i = 0; i < 40; i++) expect(codeOf(await x.call('get_billing', { customer_id: JANE }))).toBe('ok');
      });

      it('replicas on one store share the counters', async () => {
        await fresh();
        const clock = new TestClock();
        const limits = { perConversationPerMinute: 3 };
        const one = await talk(hubOf({ repo, policy: policy({ limits }), now: clock.now }), 'pol-rl-shared');
        const two = await talk(hubOf({ repo, policy: policy({ limits }), now: clock.now }), 'pol-rl-shared');
        expect([codeOf(await one.call('find_customer', { customer_id: SARAH })), codeOf(await two.call('find_customer', { customer_id: SARAH })),
          codeOf(await one.call('find_customer', { customer_id: SARAH }))]).toEqual(['ok', 'ok', 'ok']);
        expect(codeOf(await two.call('find_customer', { customer_id: SARAH }))).toBe('RATE_LIMITED');
      });
    });

    // ------------------------------------------------------------------------ audit trail

    describe('audit trail', () => {
      it('one row per call — success, failure, invalid arguments, refusal — with no raw e-mail, phone or code', async () => {
        await fresh();
        const conv = 'pol-audit-rows';
        const hub = hubOf({ repo, policy: policy({ access: 'verified', limits: { perConversationPerMinute: 8 } }) });
        const s = await talk(hub, conv);
        const made: string[] = [];
        const call = async (tool: string, args: Record<string, unknown>) => {
          const r = await s.call(tool, args);
          made.push(`${tool}:${codeOf(r)}`);
          return r;
        };
        await call('find_customer', { email: 'john.doe@example.com' }); // ok (preview: not verified)
        await call('find_customer', { phone: '+1 (646) 555-0117' }); // ok
        await call('find_customer', { email: 'nobody.here@example.net' }); // NOT_FOUND
        await call('find_customer', { email: 'john.doe@example.com', phone: '6465550117' }); // VALIDATION_FAILED (two keys)
        await call('get_billing', { customer_id: JOHN }); // AUTH_REQUIRED
        const start = await call('verify_identity', { customer_id: JOHN, method: 'otp', channel: 'sms' });
        const vid = String(JSON.parse(textOf(start)).verification_id);
        await call('verify_identity', { customer_id: JOHN, method: 'otp', verification_id: vid, code: '493817' }); // wrong code
        await call('verify_identity', { customer_id: JOHN, method: 'kba', date_of_birth: '1979-10-02', postcode: '10013', phone_last4: '0117' });
        await call('get_billing', { customer_id: JOHN }); // ok now (verified by KBA)
        await call('get_billing', { customer_id: JOHN }); // the 9th counted call (invalid ones are not): RATE_LIMITED
        expect(made).toContain('find_customer:VALIDATION_FAILED');
        expect(made).toContain('get_billing:AUTH_REQUIRED');
        expect(made).toContain('get_billing:ok');
        expect(made.at(-1)).toBe('get_billing:RATE_LIMITED');

        const rows = await waitForAudit(repo, conv, made.length);
        await sleep(150); // a few flush intervals: late duplicates would show up
        const settled = await auditOf(repo, conv);
        expect(settled.map((r) => `${r.tool}:${r.outcome === 'ok' ? 'ok' : r.error_code}`).sort()).toEqual([...made].sort());
        expect(settled).toHaveLength(rows.length);
        for (const r of settled) {
          expect(r.outcome === 'ok').toBe(r.error_code === null);
          expect(Number.isInteger(r.duration_ms) && r.duration_ms >= 0).toBe(true);
          expect(r.conversation_id).toBe(conv);
        }
        // The refused call never reached a customer: none is recorded for it.
        expect(settled.filter((r) => r.tool === 'get_billing').map((r) => `${r.error_code}:${r.customer_id}`).sort())
          .toEqual(['AUTH_REQUIRED:CUST-12344', 'RATE_LIMITED:null', 'null:CUST-12344']);
        expect(settled.filter((r) => r.tool === 'verify_identity').map((r) => r.customer_id)).toEqual([JOHN, JOHN, JOHN]);
        const text = JSON.stringify(settled);
        for (const raw of ['john.doe@example.com', 'nobody.here@example.net', '(646) 555-0117', '6465550117', '555-0117', '493817',
          '1979-10-02', '10013']) {
          expect(text, `audit contains ${raw}`).not.toContain(raw);
        }
        for (const r of settled.filter((x) => x.tool === 'verify_identity')) expect(JSON.stringify(r.args)).not.toContain('0117');
        // Still useful: the masked forms and the ids are there.
        expect(text).toContain('j***@example.com');
        expect(Object.keys(settled.find((r) => r.tool === 'get_billing')!.args)).toEqual(['customer_id']);
      });

      it('a writing tool\'s row is committed with its write, and exists only if the write committed', async () => {
        await fresh();
        const conv = 'pol-audit-write';
        // Reads would wait an hour in the buffer: any row seen before close() came with a write.
        const hub = hubOf({ repo, policy: policy({ flushIntervalMs: 3_600_000 }) });
        const s = await talk(hub, conv);
        expect(codeOf(await s.call('get_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('ok');
        expect(codeOf(await s.call('cancel_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('ok');
        const afterWrite = await auditOf(repo, conv);
        expect(afterWrite.map((r) => [r.tool, r.outcome, r.customer_id])).toEqual([['cancel_order', 'ok', JANE]]);
        expect(Object.keys(afterWrite[0]!.args)).toEqual(['order_id']); // redacted like every entry's arguments
        expect((await repo.getOrder(JANE_PROCESSING_ORDER))?.status).toBe('cancelled');

        // A refused write commits nothing, so no row with it; its error row is buffered like a read.
        expect(codeOf(await s.call('cancel_order', { order_id: JANE_DELIVERED_ORDER }))).toBe('INVALID_STATE');
        expect(codeOf(await s.call('update_contact', { customer_id: JANE, email: 'john.doe@example.com' }))).toBe('CONFLICT');
        expect(await auditOf(repo, conv)).toHaveLength(1);
        expect(hub.audit!.pending).toBe(3);

        await hub.close();
        const all = await auditOf(repo, conv);
        expect(all.map((r) => `${r.tool}:${r.error_code ?? 'ok'}`).sort()).toEqual(
          ['cancel_order:INVALID_STATE', 'cancel_order:ok', 'get_order:ok', 'update_contact:CONFLICT'],
        );
        expect(JSON.stringify(all)).not.toContain('john.doe@example.com');
        expect((await repo.getOrder(JANE_DELIVERED_ORDER))?.status).toBe('delivered');
        expect((await repo.findCustomer({ by: 'id', value: JANE }))?.email).toBe('jane.smith@acme.com');
      });

      it('read entries are flushed within the interval without any further call', async () => {
        await fresh();
        const conv = 'pol-audit-interval';
        const hub = hubOf({ repo, policy: policy({ flushIntervalMs: 100 }) });
        const s = await talk(hub, conv);
        for (let i = 0; i < 3; i++) expect(codeOf(await s.call('get_subscription', { customer_id: SARAH }))).toBe('ok');
        const rows = await waitForAudit(repo, conv, 3);
        expect(rows.map((r) => r.tool)).toEqual(['get_subscription', 'get_subscription', 'get_subscription']);
        expect(hub.audit!.pending).toBe(0);
      });

      it('shutdown: close() flushes the buffer before the repository is closed', async () => {
        const base = await fresh();
        const conv = 'pol-audit-close';
        let storedAtClose: number | null = null;
        const hub = new ServiceHub({
          repo: keepOpen(base, async () => {
            storedAtClose = (await auditOf(base, conv)).length;
          }),
          policy: policy({ flushIntervalMs: 3_600_000 }),
        });
        const s = await talk(hub, conv);
        for (let i = 0; i < 4; i++) await s.call('find_customer', { customer_id: SARAH });
        await s.call('find_customer', {}); // invalid: audited too
        expect(await auditOf(base, conv)).toEqual([]);
        await hub.close();
        expect(storedAtClose).toBe(5);
        await hub.close(); // idempotent
        expect(await auditOf(base, conv)).toHaveLength(5);
      });

      it('a failing audit store never fails a call; the entries are kept and stored once it is back', async () => {
        const base = await fresh();
        const conv = 'pol-audit-failing';
        let failing = true;
        const flaky = new Proxy(base, {
          get(target, prop, receiver) {
            if (prop === 'appendAudit') {
              return async (entries: Parameters<SupportRepository['appendAudit']>[0]) => {
                if (failing) throw new Error('audit store down');
                return target.appendAudit(entries);
              };
            }
            const value = Reflect.get(target, prop, receiver) as unknown;
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        });
        const warnings: string[] = [];
        const logger = { warn: (_meta: unknown, msg: string) => warnings.push(msg) } as unknown as import('../../src/logging/logger.js').Logger;
        const hub = hubOf({ repo: flaky, policy: policy({ flushIntervalMs: 20 }), logger });
        const s = await talk(hub, conv);
        for (let i = 0; i < 3; i++) expect(codeOf(await s.call('get_subscription', { customer_id: SARAH }))).toBe('ok');
        const deadline = Date.now() + 5_000;
        while (warnings.length === 0 && Date.now() < deadline) await sleep(10);
        expect(warnings[0]).toMatch(/could not store audit entries/);
        expect(hub.audit!.pending).toBe(3);
        failing = false;
        const rows = await waitForAudit(repo, conv, 3);
        expect(rows).toHaveLength(3);
      });

      it('audit disabled: no rows, and writes carry no entry', async () => {
        await fresh();
        const conv = 'pol-audit-off';
        const hub = hubOf({ repo, policy: policy({ audit: false }) });
        expect(hub.audit).toBeNull();
        const s = await talk(hub, conv);
        expect(codeOf(await s.call('cancel_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('ok');
        expect(codeOf(await s.call('get_subscription', { customer_id: SARAH }))).toBe('ok');
        await hub.close();
        expect(await auditOf(repo, conv)).toEqual([]);
      });
    });
  });
}
