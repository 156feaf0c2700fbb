// Tool-call rate limits (issue 6; defaults from the banking contract): per conversation per
// minute, per customer per hour, across the deployment per hour, and identity-verification
// attempts per customer per hour on their own budget.
//
// Fixed windows: a counter per (key, window start), e.g. the minute 12:04:00–12:05:00. The
// counters live in the repository, so with Postgres every replica shares them. One check is
// ONE repository call (one round trip) that increments all of its counters atomically, and
// the checks of calls in flight together share one (see #run).
//
// Semantics, decided here:
// - The increment is the check, so a refused call is counted too, against the limit that
//   refused it (and the narrower ones checked before it): hammering a limit never frees
//   budget, and with fixed windows it also never extends the wait beyond the window's end.
// - Counters are gated in order (conversation, then global): a call refused by its
//   conversation's limit is NOT counted against the global one, so one runaway conversation
//   cannot use up the whole deployment's hourly budget.
// - The per-customer limit counts calls that act on the customer's data (the access guard
//   let them through); probes the guard refuses (AUTH_REQUIRED) do not count, so nobody can
//   lock a customer out by probing their id. Each call counts at most once per customer.
// - Verification attempts (starting a challenge or answering one) count only against the
//   verification budget of that customer, across conversations, so a new challenge or a new
//   conversation does not reset the brute-force bound.
// - The counter store failing is not a reason to let calls through unchecked: the call
//   answers DATABASE_ERROR (the same store holds the data, so the call would fail anyway).
import { createHash } from 'node:crypto';
import type { HitCountersOptions, SupportRepository } from '../repository/types.js';
import { fromRepositoryError, ServiceError } from './errors.js';
import type { RateLimitConfig } from './policy.js';
import { telemetry } from '../logging/telemetry.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** What the limiter needs of a repository. */
export type CounterStore = Pick<SupportRepository, 'hitCounters' | 'hitCounterGroups'>;

export interface RateLimiterOptions {
  /** Clock (ms since the epoch); tests inject one. */
  now?: () => number;
  /** Old windows are deleted at most this often per process (with the next check). Default 60 s. */
  pruneEveryMs?: number;
}

/**
 * The one counter every two-counter check of a batch hits second (the global counter, in one
 * window); null when no check has a second counter; undefined when the batch has another shape.
 */
function sharedSecondCounter(batch: readonly PendingCheck[]): { key: string; windowStart: string } | null | undefined {
  let shared: { key: string; windowStart: string } | undefined;
  for (const c of batch) {
    if (c.rules.length > 2) return undefined;
    if (c.rules.length < 2) continue;
    const key = c.rules[1]!.key;
    const windowStart = new Date(c.windows[1]!).toISOString();
    if (shared === undefined) shared = { key, windowStart };
    else if (shared.key !== key || shared.windowStart !== windowStart) return undefined;
  }
  // a first counter that is also the shared one cannot be hit twice in one step
  if (shared !== undefined && batch.some((c) => c.rules[0]!.key === shared!.key)) return undefined;
  return shared ?? null; // null: no check has a second counter
}

/**
 * The groups of a batch split into store calls: a store call names a key once, so the same key
 * in two windows (a batch across a window's end) goes in the next call. Each call is in key
 * order: every statement locks its counter rows in the same order, so two batches hitting the
 * same counters (this process's or a replica's) never deadlock.
 */
function storeCalls<G extends { key: string }>(groups: G[]): G[][] {
  const calls: G[][] = [];
  let rest = groups;
  while (rest.length > 0) {
    const seen = new Set<string>();
    const call = rest.filter((g) => !seen.has(g.key) && seen.add(g.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    rest = rest.filter((g) => !call.includes(g));
    calls.push(call);
  }
  return calls;
}

/** One check waiting for its turn's store call. */
interface PendingCheck {
  rules: Rule[];
  now: number;
  /** Start of each rule's window at `now`. */
  windows: number[];
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Refused (or failed) already: no later counter is hit for it. */
  settled: boolean;
}

interface Rule {
  key: string;
  windowMs: number;
  limit: number;
  refuse: (retryAfterSeconds: number) => ServiceError;
}

// Ids are client-controlled (stateless HTTP conversation_id): long ones are hashed so a key
// stays short and well within the repository's key length.
const idPart = (id: string): string => (id.length <= 128 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`);

const wait = (seconds: number): string => {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${seconds} seconds (about ${Math.ceil(seconds / 60)} minutes)`;
};

export class RateLimiter {
  readonly #store: CounterStore;
  readonly #now: () => number;
  readonly #pruneEveryMs: number;
  #lastPrune = Number.NEGATIVE_INFINITY;
  #pending: PendingCheck[] = [];
  #scheduled = false;

  constructor(store: CounterStore, readonly limits: RateLimitConfig, opts: RateLimiterOptions = {}) {
    this.#store = store;
    this.#now = opts.now ?? Date.now;
    this.#pruneEveryMs = opts.pruneEveryMs ?? MINUTE_MS;
  }

  /** Before every tool call: the conversation's per-minute and the deployment's per-hour limit. */
  async checkCall(conversationId: string): Promise<void> {
    const l = this.limits;
    await this.#check([
      {
        key: `conversation:1m:${idPart(conversationId)}`,
        windowMs: MINUTE_MS,
        limit: l.perConversationPerMinute,
        refuse: (s) => new ServiceError('RATE_LIMITED',
          `Too many tool calls in this conversation (limit ${l.perConversationPerMinute} per minute). Try again in ${wait(s)}.`,
          { retryAfterSeconds: s }),
      },
      {
        key: 'global:1h',
        windowMs: HOUR_MS,
        limit: l.globalPerHour,
        refuse: (s) => new ServiceError('RATE_LIMITED',
          `The support service has reached its limit of ${l.globalPerHour} tool calls per hour. Try again in ${wait(s)}.`,
          { retryAfterSeconds: s }),
      },
    ]);
  }

  /** When a call acts on a customer's data: the customer's per-hour limit. */
  async checkCustomer(customerId: string): Promise<void> {
    const l = this.limits;
    await this.#check([{
      key: `customer:1h:${idPart(customerId)}`,
      windowMs: HOUR_MS,
      limit: l.perCustomerPerHour,
      refuse: (s) => new ServiceError('RATE_LIMITED',
        `Too many requests for customer ${customerId.slice(0, 64)} (limit ${l.perCustomerPerHour} per hour). Try again in ${wait(s)}.`,
        { retryAfterSeconds: s }),
    }]);
  }

  /** Before every identity-verification step (start or answer) for a customer. */
  async beforeVerificationAttempt(customerId: string): Promise<void> {
    const l = this.limits;
    await this.#check([{
      key: `verification:1h:${idPart(customerId)}`,
      windowMs: HOUR_MS,
      limit: l.verificationPerCustomerPerHour,
      refuse: (s) => new ServiceError('RATE_LIMITED',
        `Too many identity-verification attempts for customer ${customerId.slice(0, 64)} (limit ${l.verificationPerCustomerPerHour} per hour). `
        + `Try again in ${wait(s)}; do not share any account data meanwhile.`,
        { retryAfterSeconds: s }),
    }]);
  }

  /**
   * Checks of the same turn of the event loop go to the store together (#run): one round trip
   * per turn instead of one per call when many calls are in flight; a lone check is still
   * one round trip.
   */
  #check(rules: Rule[]): Promise<void> {
    const now = this.#now();
    return new Promise((resolve, reject) => {
      this.#pending.push({ rules, now, windows: rules.map((r) => Math.floor(now / r.windowMs) * r.windowMs), resolve, reject, settled: false });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#run());
      }
    });
  }

  /** The prune option for the next store call, at most once per pruneEveryMs. */
  #pruneOption(now: number): HitCountersOptions {
    if (now - this.#lastPrune < this.#pruneEveryMs) return {};
    this.#lastPrune = now;
    // Every window that ended before the current hour began: nothing checks them any more.
    return { pruneBefore: new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS).toISOString() };
  }

  async #run(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    try {
      if (batch.length === 1) await this.#runOne(batch[0]!);
      else await this.#runMany(batch);
      for (const c of batch) if (!c.settled) c.resolve();
    } catch (err) {
      const refusal = fromRepositoryError(err);
      for (const c of batch) if (!c.settled) c.reject(refusal);
    }
  }

  /** One check: its counters in one atomic step, gated in order by the store. */
  async #runOne(c: PendingCheck): Promise<void> {
    const counts = await this.#store.hitCounters(
      c.rules.map((r, i) => ({ key: r.key, windowStart: new Date(c.windows[i]!).toISOString(), limit: r.limit })),
      this.#pruneOption(c.now),
    );
    c.rules.forEach((r, i) => {
      const count = counts[r.key];
      if (!c.settled && count !== undefined && count > r.limit) this.#refuse(c, i);
    });
  }

  /**
   * Several checks: level by level (a check's first counter, then its second for the checks
   * still allowed), each counter once per store call with `by` = the checks hitting it. The
   * checks sharing a counter take the counts it went through in their order, as if they had
   * run one after another: the same counts, refusals and gating as one step per check.
   */
  async #runMany(batch: PendingCheck[]): Promise<void> {
    const prune = this.#pruneOption(batch[0]!.now);
    const next = sharedSecondCounter(batch);
    if (next === undefined) return this.#runLevels(batch, prune);
    // One store call (usually): every check's first counter, and the shared second one (the
    // global counter) for those their first lets through.
    const groups = new Map<string, { key: string; windowStart: string; limit: number; feeds: boolean; checks: PendingCheck[] }>();
    for (const c of batch) {
      const r = c.rules[0]!;
      const windowStart = new Date(c.windows[0]!).toISOString();
      const feeds = c.rules.length > 1;
      const id = `${windowStart} ${r.limit} ${feeds} ${r.key}`;
      const g = groups.get(id);
      if (g) g.checks.push(c);
      else groups.set(id, { key: r.key, windowStart, limit: r.limit, feeds, checks: [c] });
    }
    let pruneOnce: HitCountersOptions = prune;
    for (const call of storeCalls([...groups.values()])) {
      const counts = await this.#store.hitCounterGroups(
        call.map((g) => ({ key: g.key, windowStart: g.windowStart, by: g.checks.length, limit: g.limit, then: g.feeds })), next ?? undefined, pruneOnce,
      );
      pruneOnce = {};
      const passed: PendingCheck[] = [];
      for (const g of call) {
        let position = (counts[g.key] ?? g.checks.length) - g.checks.length;
        for (const c of g.checks) {
          if (++position > g.limit) this.#refuse(c, 0);
          else if (g.feeds) passed.push(c);
        }
      }
      if (next === null) continue;
      let position = (counts[next.key] ?? passed.length) - passed.length;
      for (const c of passed) if (++position > c.rules[1]!.limit) this.#refuse(c, 1);
    }
  }

  /** Checks whose later counters differ: level by level, one store call per level. */
  async #runLevels(batch: PendingCheck[], prune: HitCountersOptions): Promise<void> {
    for (let level = 0; ; level++) {
      const active = batch.filter((c) => !c.settled && level < c.rules.length);
      if (active.length === 0) return;
      const groups = new Map<string, { key: string; windowStart: string; checks: PendingCheck[] }>();
      for (const c of active) {
        const key = c.rules[level]!.key;
        const windowStart = new Date(c.windows[level]!).toISOString();
        const id = `${windowStart} ${key}`;
        const g = groups.get(id);
        if (g) g.checks.push(c);
        else groups.set(id, { key, windowStart, checks: [c] });
      }
      for (const call of storeCalls([...groups.values()])) {
        const counts = await this.#store.hitCounters(call.map((g) => ({ key: g.key, windowStart: g.windowStart, by: g.checks.length })), prune);
        prune = {};
        for (const g of call) {
          let position = (counts[g.key] ?? g.checks.length) - g.checks.length;
          for (const c of g.checks) if (++position > c.rules[level]!.limit) this.#refuse(c, level);
        }
      }
    }
  }

  #refuse(c: PendingCheck, i: number): void {
    const r = c.rules[i]!;
    c.settled = true;
    telemetry.rateLimited?.(r.key.slice(0, r.key.indexOf(':'))); // conversation|global|customer|verification
    const retryAfterMs = c.windows[i]! + r.windowMs - c.now;
    c.reject(r.refuse(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
}
