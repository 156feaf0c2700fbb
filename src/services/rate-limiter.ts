// Tool-call rate limits (issue 6; defaults from the banking contract): per conversation per
// minute, per customer per hour, across the deployment per hour, and identity-verification
// attempts per customer per hour on their own budget.
//
// Fixed windows: a counter per (key, window start), e.g. the minute 12:04:00–12:05:00. The
// counters live in the repository, so with Postgres every replica shares them. One check is
// ONE repository call (one round trip) that increments all of its counters atomically.
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
import type { SupportRepository } from '../repository/types.js';
import { fromRepositoryError, ServiceError } from './errors.js';
import type { RateLimitConfig } from './policy.js';
import { telemetry } from '../logging/telemetry.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** What the limiter needs of a repository. */
export type CounterStore = Pick<SupportRepository, 'hitCounters'>;

export interface RateLimiterOptions {
  /** Clock (ms since the epoch); tests inject one. */
  now?: () => number;
  /** Old windows are deleted at most this often per process (with the next check). Default 60 s. */
  pruneEveryMs?: number;
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

  async #check(rules: Rule[]): Promise<void> {
    const now = this.#now();
    const windows = rules.map((r) => Math.floor(now / r.windowMs) * r.windowMs);
    let pruneBefore: string | undefined;
    if (now - this.#lastPrune >= this.#pruneEveryMs) {
      this.#lastPrune = now;
      // Every window that ended before the current hour began: nothing checks them any more.
      pruneBefore = new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS).toISOString();
    }
    let counts: Record<string, number>;
    try {
      counts = await this.#store.hitCounters(
        rules.map((r, i) => ({ key: r.key, windowStart: new Date(windows[i]!).toISOString(), limit: r.limit })),
        pruneBefore === undefined ? {} : { pruneBefore },
      );
    } catch (err) {
      throw fromRepositoryError(err);
    }
    rules.forEach((r, i) => {
      const count = counts[r.key];
      if (count !== undefined && count > r.limit) {
        telemetry.rateLimited?.(r.key.slice(0, r.key.indexOf(':'))); // conversation|global|customer|verification
        const retryAfterMs = windows[i]! + r.windowMs - now;
        throw r.refuse(Math.max(1, Math.ceil(retryAfterMs / 1000)));
      }
    });
  }
}
