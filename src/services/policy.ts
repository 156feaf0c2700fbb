// Server-enforced policy settings: who may see a customer's data (access), how often tools
// may be called (rate limits), how identity is proven (verification) and what is recorded
// (audit). Resolved once at start-up from flags/env and profile defaults.

import type { CallbackPolicy } from './callbacks.js';

export type AccessMode = 'open' | 'verified';

export interface RateLimitConfig {
  /** Tool calls per minute in one conversation (banking contract: 10). */
  perConversationPerMinute: number;
  /** Tool calls per hour touching one customer (banking contract: 20). */
  perCustomerPerHour: number;
  /** Tool calls per hour across the whole deployment (banking contract: 1000). */
  globalPerHour: number;
  /** Verification starts and answers per customer per hour, counted separately. */
  verificationPerCustomerPerHour: number;
}

export interface VerificationConfig {
  /** How long a one-time code or KBA challenge stays open (default 10 min). */
  challengeTtlMs: number;
  /** Wrong answers before the challenge is failed for good (default 5). */
  maxAttempts: number;
  /** How long a success unlocks the customer in its conversation (default 30 min). */
  verifiedTtlMs: number;
  /** HMAC key for code hashes; replicas sharing a database must share it. */
  secret: string;
}

export interface PolicyConfig {
  access: AccessMode;
  /** Callbacks: business hours (customer's time zone), how far ahead, how many open (default DEFAULT_CALLBACK_POLICY). */
  callbacks?: CallbackPolicy;
  /** null: no tool-call rate limits. */
  rateLimits: RateLimitConfig | null;
  verification: VerificationConfig;
  audit: { enabled: boolean; flushIntervalMs: number };
  /** Days after delivery a return may be requested (default 30, --return-window-days). */
  returnWindowDays?: number;
}

export const BANKING_CONTRACT_LIMITS: RateLimitConfig = {
  perConversationPerMinute: 10,
  perCustomerPerHour: 20,
  globalPerHour: 1000,
  verificationPerCustomerPerHour: 10,
};

export const DEFAULT_VERIFICATION: Omit<VerificationConfig, 'secret'> = {
  challengeTtlMs: 10 * 60_000,
  maxAttempts: 5,
  verifiedTtlMs: 30 * 60_000,
};

/** No access checks, no limits; audit on. What library users and most tests get. */
export const openPolicy = (overrides: Partial<PolicyConfig> = {}): PolicyConfig => ({
  access: 'open',
  rateLimits: null,
  verification: { ...DEFAULT_VERIFICATION, secret: 'development-only-secret' },
  audit: { enabled: true, flushIntervalMs: 1000 },
  ...overrides,
});
