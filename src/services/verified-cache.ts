// Positive answers of "is this customer verified in this conversation?", remembered for a
// few seconds per process. With --access verified every call that touches a customer asks,
// and the answer was one more database round trip per call (bench/README.md, default policy).
//
// Safe to remember because a verified verification only ever ends by expiring: nothing in
// the server revokes one, and expires_at is honoured here exactly (an entry never outlives
// it). Only "verified" is remembered, never "not verified", so a verification that succeeds
// on another replica counts at once. The TTL bounds how long a row deleted by hand in the
// database (an operator's revocation) keeps unlocking a conversation in a running process.
// Keys are (principal, conversation, customer): another principal never shares an entry.
import type { Verification } from '../domain/index.js';

export const VERIFIED_CACHE_TTL_MS = 5_000;
export const VERIFIED_CACHE_MAX = 10_000;

export class VerifiedCache {
  readonly #entries = new Map<string, { verification: Verification; until: number }>();

  constructor(readonly ttlMs: number = VERIFIED_CACHE_TTL_MS, readonly maxEntries: number = VERIFIED_CACHE_MAX) {}

  static key(principal: string, conversationId: string, customerId: string): string {
    return JSON.stringify([principal, conversationId, customerId]); // unambiguous whatever the ids contain
  }

  get(key: string, nowMs: number): Verification | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    if (entry.until <= nowMs) {
      this.#entries.delete(key);
      return null;
    }
    return entry.verification;
  }

  set(key: string, verification: Verification, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(Date.parse(verification.expires_at), nowMs + this.ttlMs);
    if (!(until > nowMs)) return;
    this.#entries.delete(key); // re-inserted last: the Map's order is the eviction order
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { verification, until });
  }

  get size(): number {
    return this.#entries.size;
  }
}
