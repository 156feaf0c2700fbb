// Rate limits trip at the configured numbers (small ones here), answer RATE_LIMITED with a
// retry-after, and are scoped as documented: per conversation per minute, per customer per
// hour, globally per hour, and verification attempts per customer per hour on their own.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SupportRepository } from '../../src/repository/types.js';
import type { RateLimitConfig } from '../../src/services/policy.js';
import { codeOf, errOf, NO_LIMITS, openSession, retryAfterOf, securePolicy, type BackendRef, type Session } from './kit.js';

const JANE = 'CUST-20003';
const SARAH_JONES = 'CUST-20001';

export function describeRateLimits(backend: BackendRef): void {
  describe('rate limits', () => {
    let repo: SupportRepository;
    const sessions: Session[] = [];
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
    });
    /** Conversations on one hub (one process) unless `replica` is set. */
    const open = async (
      conversationId: string, limits: Partial<RateLimitConfig> | null, o: { access?: 'open' | 'verified'; with?: Session } = {},
    ): Promise<Session> => {
      const policy = securePolicy({ access: o.access ?? 'verified', rateLimits: limits === null ? null : { ...NO_LIMITS, ...limits } });
      const s = await openSession(repo, { conversationId, policy, ...(o.with ? { hub: o.with.hub } : {}) });
      sessions.push(s);
      return s;
    };
    const limited = (r: CallToolResult, maxWaitSeconds: number): void => {
      const e = errOf(r);
      expect(e.code).toBe('RATE_LIMITED');
      const wait = retryAfterOf(e);
      expect(wait, `retry-after in ${JSON.stringify(e)}`).not.toBeNull();
      expect(wait!).toBeGreaterThanOrEqual(1);
      expect(wait!).toBeLessThanOrEqual(maxWaitSeconds);
    };
    const lookup = (s: Session) => s.call('find_customer', { email: 'jane.smith@acme.com' });

    it('per conversation per minute: the N+1th call is refused with a retry-after; other conversations are not affected', async () => {
      repo = await backend().fresh();
      const x = await open('sec-rl-conv-x', { perConversationPerMinute: 3 });
      const y = await open('sec-rl-conv-y', null, { with: x });
      for (let i = 0; i < 3; i++) expect(codeOf(await lookup(x)), `call ${i + 1}`).toBe('ok');
      limited(await lookup(x), 60);
      limited(await x.call('verify_identity', { customer_id: JANE, method: 'otp' }), 60); // every tool counts
      limited(await lookup(x), 60);
      for (let i = 0; i < 3; i++) expect(codeOf(await lookup(y))).toBe('ok');
      limited(await lookup(y), 60);
    });

    it('per customer per hour: counted across conversations; other customers are not affected', async () => {
      repo = await backend().fresh();
      const x = await open('sec-rl-cust-x', { perCustomerPerHour: 3 }, { access: 'open' });
      const y = await open('sec-rl-cust-y', null, { with: x, access: 'open' });
      const z = await open('sec-rl-cust-z', null, { with: x, access: 'open' });
      expect(codeOf(await x.call('get_subscription', { customer_id: JANE }))).toBe('ok');
      expect(codeOf(await x.call('list_orders', { customer_id: JANE }))).toBe('ok');
      expect(codeOf(await y.call('get_billing', { customer_id: JANE }))).toBe('ok');
      limited(await z.call('get_subscription', { customer_id: JANE }), 3600);
      limited(await x.call('list_orders', { customer_id: JANE }), 3600);
      expect(codeOf(await z.call('get_subscription', { customer_id: SARAH_JONES }))).toBe('ok');
    });

    it('global per hour: counted across conversations', async () => {
      repo = await backend().fresh();
      const a = await open('sec-rl-glob-a', { globalPerHour: 5 });
      const b = await open('sec-rl-glob-b', null, { with: a });
      const c = await open('sec-rl-glob-c', null, { with: a });
      for (const s of [a, b, a, c, b]) expect(codeOf(await lookup(s))).toBe('ok');
      limited(await lookup(c), 3600);
      limited(await a.call('find_customer', { customer_id: SARAH_JONES }), 3600);
    });

    it('verification attempts are limited separately, per customer, and a new challenge does not reset them', async () => {
      repo = await backend().fresh();
      const x = await open('sec-rl-verify-x', { verificationPerCustomerPerHour: 4, perConversationPerMinute: 100 });
      const y = await open('sec-rl-verify-y', null, { with: x });
      const start = (s: Session) => s.call('verify_identity', { customer_id: JANE, method: 'otp', channel: 'email' });
      const first = await start(x);
      expect(codeOf(first)).toBe('ok');
      const vid = JSON.parse((first.content[0] as { text: string }).text).verification_id as string;
      for (const code of ['000000', '111111']) {
        expect(codeOf(await x.call('verify_identity', { customer_id: JANE, method: 'otp', verification_id: vid, code }))).toBe('ok');
      }
      expect(codeOf(await start(x))).toBe('ok'); // 4th: a fresh challenge
      limited(await start(x), 3600);
      limited(await start(y), 3600); // per customer, not per conversation
      limited(await y.call('verify_identity', { customer_id: JANE, method: 'kba', date_of_birth: '1984-11-05', postcode: '95113', phone_last4: '0176' }), 3600);
      // Ordinary tools are not affected, and another customer can still verify.
      expect(codeOf(await lookup(x))).toBe('ok');
      expect(codeOf(await x.call('verify_identity', { customer_id: SARAH_JONES, method: 'otp', channel: 'email' }))).toBe('ok');
    });

    it('with rateLimits null nothing is limited', async () => {
      repo = await backend().fresh();
      const x = await open('sec-rl-off', null);
      const s = await openSession(repo, { conversationId: 'sec-rl-off-2', policy: securePolicy({ rateLimits: null }) });
      sessions.push(s);
      for (let i = 0; i < 30; i++) expect(codeOf(await lookup(s))).toBe('ok');
      expect(codeOf(await lookup(x))).toBe('ok');
    });

    it('replicas on one database share the counters', async () => {
      repo = await backend().fresh(); // two hubs on one repository: the counters live in the repository (hitCounters)
      const one = await open('sec-rl-rep-1', { perConversationPerMinute: 4 });
      const two = await open('sec-rl-rep-1', { perConversationPerMinute: 4 }); // same conversation, another hub
      expect(codeOf(await lookup(one))).toBe('ok');
      expect(codeOf(await lookup(two))).toBe('ok');
      expect(codeOf(await lookup(one))).toBe('ok');
      expect(codeOf(await lookup(two))).toBe('ok');
      limited(await lookup(one), 60);
      limited(await lookup(two), 60);
    });
  });
}
