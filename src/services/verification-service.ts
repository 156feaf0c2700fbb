// Identity verification use cases, independent of MCP and of any tool contract's presentation:
// starting a check for a customer in a conversation, counting attempts, and answering "is this
// customer verified in this conversation right now?" for tools that guard account data.
//
// The challenge itself (sending a one-time code, asking knowledge-based questions, checking the
// answer in constant time) is not here yet: issue 6 adds it on top of start()/attempt(). start()
// already accepts the challenge's stored parts (code hash, masked destination) for that.
//
// Wiring: the ToolContext only carries SupportService for now, so tools build this service as
// `new VerificationService(ctx.support.repo)`. That is temporary, until the lead wires services
// into the ToolContext; the class does not depend on how it is constructed.
import { randomUUID } from 'node:crypto';
import type { Customer, Verification, VerificationAttempt, VerificationMethod } from '../domain/index.js';
import type { SupportRepository } from '../repository/types.js';
import { fromRepositoryError, ServiceError } from './errors.js';

/** How long a started check stays open for an answer. */
export const VERIFICATION_TTL_MS = 10 * 60_000;
/** How long a successful check unlocks the customer in its conversation (used by attempt()). */
export const VERIFIED_TTL_MS = 15 * 60_000;
/** Wrong answers allowed before the check is failed for good (cc_auth_sessions.max_attempts). */
export const MAX_ATTEMPTS = 3;
/** Methods this server can actually perform. `biometric` is part of some contracts, never pretended. */
export const SUPPORTED_METHODS: readonly VerificationMethod[] = ['otp', 'kba'];

export interface StartVerificationInput {
  customerId: string;
  conversationId: string;
  method: VerificationMethod;
  /** Stored parts of the challenge (issue 6): keyed hash of the code, masked destination. */
  challenge?: { codeHash: string | null; deliveredTo: string | null };
}

export interface VerificationServiceOptions {
  /** Clock, for tests. */
  now?: () => Date;
}

export class VerificationService {
  private readonly now: () => Date;

  constructor(private readonly repo: SupportRepository, opts: VerificationServiceOptions = {}) {
    this.now = opts.now ?? (() => new Date());
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

  /**
   * Starts a check of the customer's identity in this conversation, or returns the verification
   * that is already active there (status `verified`) so a verified customer is not asked again.
   * Rules: only SUPPORTED_METHODS; an unknown customer is NOT_FOUND; a blocked customer cannot
   * authenticate at all (INVALID_STATE, entity customer, state blocked). A suspended customer
   * can: proving who they are is how they get help with the suspension.
   */
  async start(input: StartVerificationInput): Promise<Verification> {
    if (!SUPPORTED_METHODS.includes(input.method)) {
      throw new ServiceError('VALIDATION_FAILED', `Identity verification by ${input.method} is not supported; use ${SUPPORTED_METHODS.join(' or ')}.`, {
        issues: [{ field: 'method', message: `must be one of ${SUPPORTED_METHODS.join(', ')}` }],
      });
    }
    const conversationId = VerificationService.conversation(input.conversationId);
    const customer = await this.customer(input.customerId);
    if (customer.status === 'blocked') {
      throw new ServiceError('INVALID_STATE', `Customer ${customer.id} is blocked and cannot be verified remotely.`, {
        entity: 'customer', state: 'blocked',
      });
    }
    const active = await this.findActive(customer.id, conversationId);
    if (active) return active;
    const now = this.now();
    return this.call(() =>
      this.repo.createVerification({
        id: randomUUID(),
        customer_id: customer.id,
        conversation_id: conversationId,
        method: input.method,
        code_hash: input.challenge?.codeHash ?? null,
        delivered_to: input.challenge?.deliveredTo ?? null,
        max_attempts: MAX_ATTEMPTS,
        expires_at: new Date(now.getTime() + VERIFICATION_TTL_MS).toISOString(),
      }),
    );
  }

  async get(verificationId: string): Promise<Verification> {
    const id = verificationId.trim();
    const v = id === '' ? null : await this.call(() => this.repo.getVerification(id));
    if (!v) throw new ServiceError('NOT_FOUND', `No verification with id ${id}.`, { entity: 'verification', key: 'id', value: id });
    return v;
  }

  /**
   * Records one answer to a pending check; `matched` is the caller's constant-time comparison.
   * The outcome is returned as is (verified / failed / locked / expired / not_pending): what to
   * tell the customer is the caller's decision. See also `attemptError`.
   */
  attempt(verificationId: string, matched: boolean): Promise<VerificationAttempt> {
    return this.call(() => this.repo.attemptVerification(verificationId.trim(), { matched, now: this.now(), verifiedTtlMs: VERIFIED_TTL_MS }));
  }

  /** The verified, unexpired verification of this customer in this conversation, or null. */
  findActive(customerId: string, conversationId: string): Promise<Verification | null> {
    return this.call(() => this.repo.findActiveVerification(customerId, conversationId, this.now()));
  }

  /** Guard for tools that disclose account data: AUTH_REQUIRED unless verified in this conversation. */
  async requireVerified(customerId: string, conversationId: string): Promise<Verification> {
    const active = await this.findActive(customerId, conversationId);
    if (!active) {
      throw new ServiceError('AUTH_REQUIRED', `Customer ${customerId} has not verified their identity in this conversation.`, {
        entity: 'verification', key: 'customer_id', value: customerId,
      });
    }
    return active;
  }
}

/**
 * The ServiceError for an unsuccessful attempt outcome (null when the check is verified): a
 * wrong answer and a check that is used up are INVALID_STATE on the verification with its
 * state (`failed`, `locked`, `expired`), which presenters map to their contract's codes.
 */
export const attemptError = (a: VerificationAttempt): ServiceError | null => {
  switch (a.outcome) {
    case 'verified':
      return null;
    case 'failed': {
      const left = a.verification.max_attempts - a.verification.attempts;
      return new ServiceError('INVALID_STATE', left > 0
        ? `The answer did not match; ${left} attempt${left === 1 ? '' : 's'} left.`
        : 'The answer did not match and no attempts are left; start a new verification.', { entity: 'verification', state: 'failed' });
    }
    case 'locked':
      return new ServiceError('INVALID_STATE', 'This verification has no attempts left; start a new one.', { entity: 'verification', state: 'locked' });
    case 'expired':
      return new ServiceError('INVALID_STATE', 'This verification has expired; start a new one.', { entity: 'verification', state: 'expired' });
    case 'not_pending':
      // Already settled: verified is still a success (a repeated answer), anything else is over.
      return a.verification.status === 'verified'
        ? null
        : new ServiceError('INVALID_STATE', 'This verification is already completed.', { entity: 'verification', state: a.verification.status });
  }
};
