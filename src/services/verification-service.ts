// Identity verification use cases, independent of MCP and of any tool contract's presentation:
// proving who a customer is in one conversation, and answering "is this customer verified in
// this conversation right now?" for the access guard.
//
// Methods:
// - otp: a first call starts a challenge: a 6-digit code from crypto.randomInt is sent through
//   the outbox (never returned to the caller) and stored only as HMAC-SHA256(secret,
//   verification_id + ':' + code). A second call with the code compares the two digests with
//   timingSafeEqual.
// - kba: the answers (date of birth, postcode, last four digits of the phone) are normalised
//   and compared with the customer record as one keyed digest, so the comparison is constant
//   time and never says which answer was wrong.
// - biometric: not supported, and never pretended (VALIDATION_FAILED on `method`).
// Every challenge expires (challengeTtlMs), allows maxAttempts answers (counted atomically by
// the repository), and a success unlocks the customer in that conversation for verifiedTtlMs.
// A challenge that ran out of attempts keeps the method locked for that customer in that
// conversation until the challenge would have expired. Brute force across conversations is
// bounded by the per-customer verification rate limit (the beforeAttempt hook).
import type { Customer, Verification, VerificationAttempt, VerificationMethod } from '../domain/index.js';
import { maskEmail, maskPhone } from '../domain/masking.js';
import { STDIO_PRINCIPAL } from '../domain/principal.js';
import type { ConversationKey, OutboxChannel, SupportRepository } from '../repository/types.js';
import { fromRepositoryError, ServiceError } from './errors.js';
import { Outbox, otpMessageBody } from './outbox.js';
import { openPolicy, type VerificationConfig } from './policy.js';
import {
  canonicalKba, digestsEqual, invalid, KBA_QUESTIONS, kbaFacts, keyedDigest, newOtpCode, newTimeOrderedId,
  normalizeKbaAnswers, normalizeOtpCode, type KbaAnswers, type KbaQuestion,
} from './verification-codes.js';

// The helpers stay importable from here (tools and tests use them by this path).
export {
  digestsEqual, KBA_QUESTIONS, kbaFacts, keyedDigest, newOtpCode, newTimeOrderedId, normalizeKbaAnswers, normalizeOtpCode,
  type KbaAnswers, type KbaQuestion,
} from './verification-codes.js';
import { telemetry } from '../logging/telemetry.js';
import { VerifiedCache } from './verified-cache.js';

/** Methods this server can actually perform. `biometric` is part of some contracts, never pretended. */
export const SUPPORTED_METHODS: readonly VerificationMethod[] = ['otp', 'kba'];
export const OTP_CHANNELS: readonly OutboxChannel[] = ['email', 'sms'];

/** Fewer facts on record than this and KBA is too weak to offer. */
const KBA_MIN_QUESTIONS = 2;

export interface VerifyRequest {
  customerId: string;
  conversationId: string;
  /** otp | kba | biometric (anything else is refused like biometric). */
  method: string;
  /** otp: where to send the code (default email). */
  channel?: OutboxChannel;
  /** The challenge being answered; without it the newest challenge of this conversation is used. */
  verificationId?: string;
  /** otp: the code the customer received. */
  code?: string;
  /** kba: the customer's answers. */
  answers?: KbaAnswers;
}

/**
 * Where a verification stands after a call:
 * - pending: a challenge is open (a code was sent, or KBA questions are to be answered);
 * - verified: the customer is verified in this conversation;
 * - failed: the answer did not match, attemptsLeft > 0;
 * - locked: no attempts left; start again after the challenge's expiry;
 * - expired: the challenge timed out; start a new one.
 */
export type VerifyStatus = 'pending' | 'verified' | 'failed' | 'locked' | 'expired';

export interface VerifyOutcome {
  status: VerifyStatus;
  verification: Verification;
  attemptsLeft: number;
  /** otp: the masked destination the code went to. */
  deliveredTo: string | null;
  /** kba: what to ask the customer for. */
  questions: KbaQuestion[] | null;
  /** Whether this call started a new challenge (and, for otp, sent a code). */
  started: boolean;
}

export interface VerificationServiceOptions {
  /** TTLs, attempt limit and HMAC secret (default: the open policy's development values). */
  config?: VerificationConfig;
  /** Where one-time codes go (default: the repository's outbox, no file). */
  outbox?: Outbox;
  /** Clock, for tests. */
  now?: () => Date;
  /**
   * Runs before every verification call that names an existing customer (starts and answers
   * alike); throws RATE_LIMITED to refuse it. The rate limiter plugs in here. Default: no-op.
   */
  beforeAttempt?: (customerId: string) => Promise<void>;
  /**
   * Stateless HTTP: conversations are explicit `conversation_id` arguments, so the verify
   * tools return the conversation id for the client to pass on every later call.
   */
  conversationArgument?: boolean;
  /**
   * The caller (Principal.id). Conversations belong to the principal that verifies in them:
   * verifications are created with it and found only through it. Default: the one caller of
   * a stdio process.
   */
  principal?: string;
  /**
   * Called when the conversation id turns out to belong to another principal (a replayed
   * session or conversation id), before the call is refused: auditing and logging plug in here.
   */
  onForeignConversation?: () => void;
  /** The process's remembered positive findActive answers (verified-cache.ts); none: always ask the repository. */
  verifiedCache?: VerifiedCache;
}

// ---------------------------------------------------------------------------------------------

export class VerificationService {
  readonly conversationArgument: boolean;
  private readonly config: VerificationConfig;
  private readonly outbox: Outbox;
  private readonly now: () => Date;
  private readonly beforeAttempt: (customerId: string) => Promise<void>;
  /** Principal.id of the caller. */
  readonly principal: string;
  private readonly onForeignConversation: () => void;
  private readonly verifiedCache: VerifiedCache | undefined;

  constructor(private readonly repo: SupportRepository, opts: VerificationServiceOptions = {}) {
    this.config = opts.config ?? openPolicy().verification;
    this.outbox = opts.outbox ?? new Outbox(repo);
    this.now = opts.now ?? (() => new Date());
    this.beforeAttempt = opts.beforeAttempt ?? (async () => undefined);
    this.conversationArgument = opts.conversationArgument ?? false;
    this.principal = opts.principal ?? STDIO_PRINCIPAL.id;
    this.onForeignConversation = opts.onForeignConversation ?? (() => undefined);
    this.verifiedCache = opts.verifiedCache;
  }

  /** This caller's view of a conversation: the repository finds only its own verifications. */
  private key(conversationId: string): ConversationKey {
    return { conversationId, principal: this.principal };
  }

  /**
   * Whether the conversation id belongs to another principal (someone presenting a session or
   * conversation id that is not theirs). Reports it through onForeignConversation. Refusal
   * paths only: it costs a query.
   */
  async isForeignConversation(conversationId: string): Promise<boolean> {
    const id = conversationId.trim();
    if (id === '') return false;
    const foreign = await this.call(() => this.repo.conversationHasOtherPrincipal(this.key(id)));
    if (foreign) this.onForeignConversation();
    return foreign;
  }

  /** Runs a repository call, turning typed repository errors into ServiceErrors. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromRepositoryError(err);
    }
  }

  private async customer(customerId: string): Promise<Customer> {
    const id = customerId.trim();
    const customer = id === '' ? null : await this.call(() => this.repo.findCustomer({ by: 'id', value: id }));
    if (!customer) {
      throw new ServiceError('NOT_FOUND', `No customer with customer id ${id}.`, { entity: 'customer', key: 'id', value: id });
    }
    return customer;
  }

  private static conversation(conversationId: string): string {
    const id = conversationId.trim();
    if (id === '') {
      throw new ServiceError('VALIDATION_FAILED', 'A verification belongs to a conversation; the conversation id is empty.', {
        issues: [{ field: 'conversationId', message: 'must not be empty' }],
      });
    }
    return id;
  }

  private static method(method: string): 'otp' | 'kba' {
    if (method === 'otp' || method === 'kba') return method;
    const what = method === 'biometric' ? 'Biometric identity verification is not supported by this server' : `'${String(method).slice(0, 20)}' is not a verification method`;
    throw new ServiceError('VALIDATION_FAILED',
      `${what}; use otp (a one-time code sent to the customer's e-mail or phone) or kba (date of birth, postcode and the last four digits of the phone on file).`,
      { issues: [{ field: 'method', message: `must be one of ${SUPPORTED_METHODS.join(', ')}` }] });
  }

  private static notFound(id: string): ServiceError {
    // Also for a verification of another customer or conversation: nothing about it is revealed.
    return new ServiceError('NOT_FOUND', `No verification ${id} for this customer in this conversation; start a new one.`, {
      entity: 'verification', key: 'id', value: id,
    });
  }

  /** The challenge being answered: the given one (it must belong here) or the newest of this conversation. */
  private async challenge(customerId: string, conversationId: string, method: 'otp' | 'kba', verificationId: string | undefined): Promise<Verification | null> {
    if (verificationId !== undefined) {
      const id = verificationId.trim();
      const v = id === '' ? null : await this.call(() => this.repo.getVerification(id));
      if (!v || v.customer_id !== customerId || v.conversation_id !== conversationId || v.principal !== this.principal || v.method !== method) {
        throw VerificationService.notFound(id);
      }
      return v;
    }
    return this.call(() => this.repo.findLatestVerification(customerId, this.key(conversationId), method));
  }

  private isOpen(v: Verification, now: Date): boolean {
    return v.status === 'pending' && v.attempts < v.max_attempts && Date.parse(v.expires_at) > now.getTime();
  }

  private isLocked(v: Verification, now: Date): boolean {
    return v.status === 'failed' && Date.parse(v.expires_at) > now.getTime();
  }

  private outcome(status: VerifyStatus, v: Verification, started: boolean, questions: KbaQuestion[] | null = null): VerifyOutcome {
    const attemptsLeft = status === 'pending' || status === 'failed' ? Math.max(0, v.max_attempts - v.attempts) : 0;
    telemetry.verification?.(v.method, status); // metrics, when on
    return { status, verification: v, attemptsLeft, deliveredTo: v.delivered_to, questions, started };
  }

  private fromAttempt(a: VerificationAttempt, questions: KbaQuestion[] | null): VerifyOutcome {
    const v = a.verification;
    switch (a.outcome) {
      case 'verified':
        return this.outcome('verified', v, false);
      case 'failed':
        return this.outcome(v.attempts >= v.max_attempts ? 'locked' : 'failed', v, false, questions);
      case 'locked':
        return this.outcome('locked', v, false);
      case 'expired':
        return this.outcome('expired', v, false);
      case 'not_pending':
        // Already settled: the answer is not evaluated again.
        return this.outcome(v.status === 'verified' ? 'verified' : v.status === 'failed' ? 'locked' : 'expired', v, false);
    }
  }

  private async create(customer: Customer, conversationId: string, method: 'otp' | 'kba', codeHash: string | null, deliveredTo: string | null, id: string): Promise<Verification> {
    const now = this.now();
    return this.call(() =>
      this.repo.createVerification({
        id,
        customer_id: customer.id,
        conversation_id: conversationId,
        principal: this.principal,
        method,
        code_hash: codeHash,
        delivered_to: deliveredTo,
        max_attempts: this.config.maxAttempts,
        expires_at: new Date(now.getTime() + this.config.challengeTtlMs).toISOString(),
      }),
    );
  }

  /**
   * One step of verifying a customer in a conversation: starts a challenge, or answers one.
   * Rules: only otp and kba; an unknown customer is NOT_FOUND; a blocked customer cannot
   * authenticate at all (INVALID_STATE, entity customer, state blocked); a suspended one can.
   * Malformed answers are VALIDATION_FAILED and not counted; wrong answers are counted.
   */
  async verify(req: VerifyRequest): Promise<VerifyOutcome> {
    const method = VerificationService.method(req.method);
    const conversationId = VerificationService.conversation(req.conversationId);
    // A conversation belongs to the principal that verified in it first; nobody else may
    // verify (or answer challenges) in it, so a leaked conversation id cannot be taken over.
    if (await this.isForeignConversation(conversationId)) throw foreignConversation();
    const customer = await this.customer(req.customerId);
    if (customer.status === 'blocked') {
      throw new ServiceError('INVALID_STATE', `Customer ${customer.id} is blocked and cannot be verified remotely.`, {
        entity: 'customer', state: 'blocked',
      });
    }
    await this.beforeAttempt(customer.id);
    return method === 'otp' ? this.otp(customer, conversationId, req) : this.kba(customer, conversationId, req);
  }

  private async otp(customer: Customer, conversationId: string, req: VerifyRequest): Promise<VerifyOutcome> {
    const now = this.now();
    if (req.code === undefined) {
      if (req.verificationId !== undefined) {
        throw invalid('code', 'is required with verification_id', 'Ask the customer for the 6-digit code they received and call again with verification_id and code.');
      }
      const active = await this.findActive(customer.id, conversationId);
      if (active) return this.outcome('verified', active, false);
      const latest = await this.challenge(customer.id, conversationId, 'otp', undefined);
      if (latest && this.isLocked(latest, now)) return this.outcome('locked', latest, false);
      return this.sendCode(customer, conversationId, req.channel ?? 'email');
    }
    const code = normalizeOtpCode(req.code);
    const v = await this.challenge(customer.id, conversationId, 'otp', req.verificationId);
    if (!v) {
      throw new ServiceError('NOT_FOUND', 'No one-time code was sent to this customer in this conversation; start with method otp and no code.', {
        entity: 'verification', key: 'customer_id', value: customer.id,
      });
    }
    const matched = v.code_hash !== null && digestsEqual(keyedDigest(this.config.secret, v.id, code), v.code_hash);
    const a = await this.call(() => this.repo.attemptVerification(v.id, { matched, now, verifiedTtlMs: this.config.verifiedTtlMs }));
    return this.fromAttempt(a, null);
  }

  private async sendCode(customer: Customer, conversationId: string, channel: OutboxChannel): Promise<VerifyOutcome> {
    if (!OTP_CHANNELS.includes(channel)) {
      throw invalid('channel', 'must be email or sms', 'Send the code by email or sms.');
    }
    const destination = channel === 'email' ? customer.email : customer.phone;
    if (destination === null || destination.trim() === '' || (channel === 'sms' && destination.replace(/\D/g, '').length < 7)) {
      throw invalid('channel', `the customer has no ${channel === 'sms' ? 'phone number' : 'e-mail address'} on file`,
        `Customer ${customer.id} has no ${channel === 'sms' ? 'phone number' : 'e-mail address'} on file; send the code by ${channel === 'sms' ? 'email' : 'sms'} instead.`);
    }
    const id = newTimeOrderedId();
    const code = newOtpCode();
    const v = await this.create(customer, conversationId, 'otp', keyedDigest(this.config.secret, id, code),
      channel === 'email' ? maskEmail(destination) : maskPhone(destination), id);
    await this.call(() =>
      this.outbox.enqueue({
        id: newTimeOrderedId(),
        channel,
        destination,
        body: otpMessageBody(this.config.challengeTtlMs),
        code,
        verification_id: v.id,
        customer_id: customer.id,
        expires_at: v.expires_at,
      }),
    );
    return this.outcome('pending', v, true);
  }

  private async kba(customer: Customer, conversationId: string, req: VerifyRequest): Promise<VerifyOutcome> {
    const now = this.now();
    const facts = kbaFacts(customer);
    const questions = KBA_QUESTIONS.filter((q) => facts[q] !== undefined);
    if (questions.length < KBA_MIN_QUESTIONS) {
      throw new ServiceError('VALIDATION_FAILED', `Knowledge-based verification is not available for customer ${customer.id}; use otp.`, {
        issues: [{ field: 'method', message: 'kba is not available for this customer' }],
      });
    }
    const given = Object.fromEntries(
      Object.entries(req.answers ?? {}).filter(([k, v]) => (KBA_QUESTIONS as readonly string[]).includes(k) && typeof v === 'string' && v.trim() !== ''),
    ) as KbaAnswers;
    if (Object.keys(given).length === 0) {
      if (req.verificationId !== undefined) {
        throw invalid(questions[0]!, 'answers are required with verification_id', `Ask the customer for: ${questions.join(', ')}; then call again with the answers.`);
      }
      const active = await this.findActive(customer.id, conversationId);
      if (active) return this.outcome('verified', active, false);
      const latest = await this.challenge(customer.id, conversationId, 'kba', undefined);
      if (latest && this.isOpen(latest, now)) return this.outcome('pending', latest, false, questions);
      if (latest && this.isLocked(latest, now)) return this.outcome('locked', latest, false);
      return this.outcome('pending', await this.create(customer, conversationId, 'kba', null, null, newTimeOrderedId()), true, questions);
    }
    const missing = questions.filter((q) => given[q] === undefined);
    if (missing.length > 0) {
      throw new ServiceError('VALIDATION_FAILED', `Ask the customer for all of: ${questions.join(', ')} (missing: ${missing.join(', ')}).`, {
        issues: missing.map((field) => ({ field, message: 'is required' })),
      });
    }
    const answers = normalizeKbaAnswers(given);
    let v = await this.challenge(customer.id, conversationId, 'kba', req.verificationId);
    let started = false;
    if (req.verificationId === undefined && (!v || !this.isOpen(v, now))) {
      if (v && this.isLocked(v, now)) return this.outcome('locked', v, false);
      v = await this.create(customer, conversationId, 'kba', null, null, newTimeOrderedId());
      started = true;
    }
    const challenge = v!;
    // One keyed digest over all answers vs. one over the record: constant time, and a mismatch
    // never says which answer was wrong.
    const matched = digestsEqual(
      keyedDigest(this.config.secret, challenge.id, canonicalKba(answers, questions)),
      keyedDigest(this.config.secret, challenge.id, canonicalKba(facts, questions)),
    );
    const a = await this.call(() => this.repo.attemptVerification(challenge.id, { matched, now, verifiedTtlMs: this.config.verifiedTtlMs }));
    const result = this.fromAttempt(a, questions);
    return started ? { ...result, started } : result;
  }

  async get(verificationId: string): Promise<Verification> {
    const id = verificationId.trim();
    const v = id === '' ? null : await this.call(() => this.repo.getVerification(id));
    if (!v) throw new ServiceError('NOT_FOUND', `No verification with id ${id}.`, { entity: 'verification', key: 'id', value: id });
    return v;
  }

  /** The verified, unexpired verification of this customer in this caller's conversation, or null. */
  async findActive(customerId: string, conversationId: string): Promise<Verification | null> {
    const now = this.now();
    const cache = this.verifiedCache;
    const cacheKey = cache ? VerifiedCache.key(this.principal, conversationId, customerId) : '';
    const remembered = cache?.get(cacheKey, now.getTime());
    if (remembered) return remembered;
    const active = await this.call(() => this.repo.findActiveVerification(customerId, this.key(conversationId), now));
    if (active && cache) cache.set(cacheKey, active, now.getTime());
    return active;
  }

  /** Guard for tools that disclose account data: AUTH_REQUIRED unless verified in this conversation. */
  async requireVerified(customerId: string, conversationId: string): Promise<Verification> {
    const active = await this.findActive(customerId, conversationId);
    if (!active) {
      await this.isForeignConversation(conversationId); // reported, and refused the same way
      throw new ServiceError('AUTH_REQUIRED', `Customer ${customerId} has not verified their identity in this conversation.`, {
        entity: 'verification', key: 'customer_id', value: customerId,
      });
    }
    return active;
  }
}

/**
 * Refusal of a conversation id that belongs to another principal. Deliberately the same code
 * as "not verified" and silent about whose it is: the caller learns nothing it could use.
 */
const foreignConversation = (): ServiceError =>
  new ServiceError('AUTH_REQUIRED', 'No verification can be made or used in this conversation by this client. Start a new conversation (for stateless HTTP: call without conversation_id) and verify the customer there.', {
    entity: 'verification', key: 'conversation_id',
  });

/**
 * The ServiceError for an outcome that is not a success, for contracts that present wrong
 * answers as errors (banking: AUTH_FAILED / AUTH_EXPIRED): INVALID_STATE on the verification
 * with its state (failed, locked, expired). null for pending and verified.
 */
export const outcomeError = (o: VerifyOutcome): ServiceError | null => {
  switch (o.status) {
    case 'pending':
    case 'verified':
      return null;
    case 'failed':
      return new ServiceError('INVALID_STATE',
        `The answer did not match; ${o.attemptsLeft} attempt${o.attemptsLeft === 1 ? '' : 's'} left.`,
        { entity: 'verification', state: 'failed' });
    case 'locked':
      return new ServiceError('INVALID_STATE',
        `Too many wrong answers: this verification is locked. A new one can be started after ${o.verification.expires_at}.`,
        { entity: 'verification', state: 'locked' });
    case 'expired':
      return new ServiceError('INVALID_STATE', 'This verification has expired; start a new one.', { entity: 'verification', state: 'expired' });
  }
};
