// RateLimiter on its own, with an injected clock, over the in-memory store (the contract suite
// holds both backends to the same hitCounters semantics).
import { describe, expect, it } from 'vitest';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { emptyDataset } from '../../src/repository/dataset.js';
import type { CounterGroup, CounterHit, HitCountersOptions } from '../../src/repository/types.js';
import { ServiceError } from '../../src/services/errors.js';
import { BANKING_CONTRACT_LIMITS, type RateLimitConfig } from '../../src/services/policy.js';
import { HOUR_MS, MINUTE_MS, RateLimiter, type CounterStore } from '../../src/services/rate-limiter.js';
import { TestClock } from './kit.js';

/** The fixture store, recording every hitCounters call (and hitCounterGroups, in `groupCalls`). */
function spyStore(): CounterStore & {
  calls: { hits: readonly CounterHit[]; opts: HitCountersOptions | undefined }[];
  groupCalls: { groups: readonly CounterGroup[]; then: { key: string; windowStart: string } | undefined }[];
  repo: FixtureRepository;
} {
  const repo = new FixtureRepository(emptyDataset());
  const calls: { hits: readonly CounterHit[]; opts: HitCountersOptions | undefined }[] = [];
  const groupCalls: { groups: readonly CounterGroup[]; then: { key: string; windowStart: string } | undefined }[] = [];
  return {
    repo,
    calls,
    groupCalls,
    hitCounters: (hits, opts) => {
      calls.push({ hits, opts });
      return repo.hitCounters(hits, opts);
    },
    hitCounterGroups: (groups, then, opts) => {
      groupCalls.push({ groups, then });
      return repo.hitCounterGroups(groups, then, opts);
    },
  };
}

const limiterWith = (limits: Partial<RateLimitConfig>, clock: TestClock, store = spyStore()) =>
  ({ store, limiter: new RateLimiter(store, { ...BANKING_CONTRACT_LIMITS, ...limits }, { now: clock.now }) });

/** The ServiceError a promise rejects with (fails the test if it resolves or throws something else). */
async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, 'expected a refusal').toBeInstanceOf(ServiceError);
  return err as ServiceError;
}

describe('RateLimiter', () => {
  it('per conversation per minute: the (N+1)th call is refused with the seconds left in the minute; the next minute starts over', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T08:30:20.000Z'));
    const { limiter } = limiterWith({}, clock); // contract: 10 per minute
    for (let i = 0; i < 10; i++) await limiter.checkCall('conv-a');
    clock.advance(19_500); // 08:30:39.5
    const err = await refusal(limiter.checkCall('conv-a'));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details.retryAfterSeconds).toBe(21); // 20.5 s left, rounded up
    expect(err.message).toMatch(/Try again in 21 seconds/);
    await limiter.checkCall('conv-b'); // another conversation
    clock.advance(20_500); // 08:31:00.0
    await limiter.checkCall('conv-a');
  });

  it('the wait is never 0: a refusal in the last millisecond says 1 second', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T08:30:59.999Z'));
    const { limiter } = limiterWith({ perConversationPerMinute: 1 }, clock);
    await limiter.checkCall('c');
    expect((await refusal(limiter.checkCall('c'))).details.retryAfterSeconds).toBe(1);
  });

  it('global per hour: counted across conversations, waits until the hour ends', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T08:45:00.000Z'));
    const { limiter } = limiterWith({ globalPerHour: 3 }, clock);
    await limiter.checkCall('a');
    await limiter.checkCall('b');
    await limiter.checkCall('c');
    const err = await refusal(limiter.checkCall('d'));
    expect(err.details.retryAfterSeconds).toBe(15 * 60);
    expect(err.message).toMatch(/3 tool calls per hour/);
    clock.advance(15 * 60_000);
    await limiter.checkCall('d');
  });

  it('a call refused by its conversation limit is counted there but not against the global limit', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({ perConversationPerMinute: 1, globalPerHour: 2 }, clock);
    await limiter.checkCall('loop');
    for (let i = 0; i < 20; i++) expect((await refusal(limiter.checkCall('loop'))).message).toMatch(/this conversation/);
    await limiter.checkCall('other'); // global 2 of 2
    expect((await refusal(limiter.checkCall('third'))).message).toMatch(/per hour/);
    // The store agrees: 21 hits of the loop's conversation counter, 3 of the global one.
    const minute = new Date(Math.floor(clock.ms / MINUTE_MS) * MINUTE_MS).toISOString();
    const hour = new Date(Math.floor(clock.ms / HOUR_MS) * HOUR_MS).toISOString();
    expect(await store.repo.hitCounters([{ key: 'conversation:1m:loop', windowStart: minute }, { key: 'global:1h', windowStart: hour }]))
      .toEqual({ 'conversation:1m:loop': 22, 'global:1h': 4 });
  });

  it('one round trip per check, incrementing conversation and global together', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({}, clock);
    await limiter.checkCall('c1');
    await limiter.checkCustomer('CUST-1');
    await limiter.beforeVerificationAttempt('CUST-1');
    expect(store.calls.map((c) => c.hits.map((h) => h.key))).toEqual([
      ['conversation:1m:c1', 'global:1h'], ['customer:1h:CUST-1'], ['verification:1h:CUST-1'],
    ]);
    expect(store.calls[0]!.hits.map((h) => h.limit)).toEqual([10, 1000]);
  });

  it('checks in flight together share store calls, with the counts, refusals and gating of one step each', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T08:30:00.000Z'));
    const { limiter, store } = limiterWith({ perConversationPerMinute: 3, globalPerHour: 5 }, clock);
    // 4 calls of conversation a (one over its limit), 3 of b (all allowed by b's limit, but
    // only 2 fit in what is left of the global 5), at once
    const settled = await Promise.allSettled(['a', 'a', 'a', 'a', 'b', 'b', 'b'].map((c) => limiter.checkCall(c)));
    const outcome = settled.map((r) => (r.status === 'fulfilled' ? 'ok' : /this conversation/.test((r.reason as Error).message) ? 'conversation' : 'global'));
    expect(outcome).toEqual(['ok', 'ok', 'ok', 'conversation', 'ok', 'ok', 'global']);
    // one store call: every first counter, and the global one for the 6 they let through
    expect(store.calls).toEqual([]);
    expect(store.groupCalls.map((c) => [c.groups.map((g) => [g.key, g.by, g.limit, g.then]), c.then?.key])).toEqual([
      [[['conversation:1m:a', 4, 3, true], ['conversation:1m:b', 3, 3, true]], 'global:1h'],
    ]);
    const minute = new Date(Math.floor(clock.ms / MINUTE_MS) * MINUTE_MS).toISOString();
    const hour = new Date(Math.floor(clock.ms / HOUR_MS) * HOUR_MS).toISOString();
    // the refused call counts against the limit that refused it, not against the global one
    expect(await store.repo.hitCounters([{ key: 'conversation:1m:a', windowStart: minute }, { key: 'global:1h', windowStart: hour }]))
      .toEqual({ 'conversation:1m:a': 5, 'global:1h': 7 });
  });

  it('concurrent customer checks: one store call, each customer\'s own budget', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({ perCustomerPerHour: 2 }, clock);
    const settled = await Promise.allSettled(['C1', 'C2', 'C1', 'C1', 'C2'].map((c) => limiter.checkCustomer(c)));
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(store.calls.length + store.groupCalls.length).toBe(1);
    expect(store.groupCalls[0]?.then).toBeUndefined();
    expect(((settled[3] as PromiseRejectedResult).reason as ServiceError).message).toMatch(/customer C1 \(limit 2 per hour\)/);
  });

  it('call and customer checks of one turn share the store call; only the call checks go on to the global counter', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({ perCustomerPerHour: 1, globalPerHour: 100 }, clock);
    const settled = await Promise.allSettled([limiter.checkCall('x'), limiter.checkCustomer('C1'), limiter.checkCustomer('C1'), limiter.checkCall('y')]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(store.groupCalls).toHaveLength(1);
    const hour = new Date(Math.floor(clock.ms / HOUR_MS) * HOUR_MS).toISOString();
    expect(await store.repo.hitCounters([{ key: 'global:1h', windowStart: hour }])).toEqual({ 'global:1h': 3 }); // x and y, not the customer checks
  });

  it('per customer and verification budgets are separate, per customer', async () => {
    const clock = new TestClock();
    const { limiter } = limiterWith({ perCustomerPerHour: 2, verificationPerCustomerPerHour: 1 }, clock);
    await limiter.checkCustomer('CUST-1');
    await limiter.checkCustomer('CUST-1');
    expect((await refusal(limiter.checkCustomer('CUST-1'))).message).toMatch(/customer CUST-1 \(limit 2 per hour\)/);
    await limiter.checkCustomer('CUST-2');
    await limiter.beforeVerificationAttempt('CUST-1'); // its own budget
    const v = await refusal(limiter.beforeVerificationAttempt('CUST-1'));
    expect(v.message).toMatch(/identity-verification attempts/);
    await limiter.beforeVerificationAttempt('CUST-2');
  });

  it('deletes ended windows at most once per prune interval, with a check', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T08:10:00.000Z'));
    const store = spyStore();
    const limiter = new RateLimiter(store, BANKING_CONTRACT_LIMITS, { now: clock.now, pruneEveryMs: 60_000 });
    await limiter.checkCall('old-conversation');
    await limiter.checkCall('c');
    clock.advance(30_000);
    await limiter.checkCall('c');
    clock.advance(2 * HOUR_MS);
    await limiter.checkCall('c');
    const prunes = store.calls.map((c) => c.opts?.pruneBefore ?? null);
    // First check prunes; the next two are within the interval; two hours later it prunes
    // every window that started before the previous hour (10:00 - 1 h).
    expect(prunes).toEqual(['2030-01-01T07:00:00.000Z', null, null, '2030-01-01T09:00:00.000Z']);
    // The 08:00 hour's global counter is gone: hitting it again starts at 1.
    expect(await store.repo.hitCounters([{ key: 'global:1h', windowStart: '2030-01-01T08:00:00.000Z' }])).toEqual({ 'global:1h': 1 });
  });

  it('long client-chosen ids are hashed into a bounded key', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({ perConversationPerMinute: 1 }, clock);
    const long = 'x'.repeat(10_000);
    await limiter.checkCall(long);
    expect(store.calls[0]!.hits[0]!.key).toMatch(/^conversation:1m:sha256:[0-9a-f]{64}$/);
    expect((await refusal(limiter.checkCall(long))).code).toBe('RATE_LIMITED');
    await limiter.checkCall(`${long}y`); // a different id, a different counter
  });

  it('a failing counter store answers DATABASE_ERROR: no call passes unchecked', async () => {
    const clock = new TestClock();
    const { limiter, store } = limiterWith({}, clock);
    await store.repo.close();
    const err = await refusal(limiter.checkCall('c'));
    expect(err.code).toBe('DATABASE_ERROR');
  });
});
