// The services of one process, and the per-call view tools get. Policy that must hold for
// every tool — access to a customer's data, rate limits, the audit trail — is applied here
// and in the services, never in tool code, so a manipulated model cannot talk its way past it.
import type { NewAuditEntry } from '../domain/index.js';
import { storableText } from '../domain/masking.js';
import { idFingerprint, type Principal } from '../domain/principal.js';
import type { Logger } from '../logging/logger.js';
import type { SupportRepository, WriteOptions } from '../repository/types.js';
import { AuditLog } from './audit-log.js';
import type { PolicyConfig } from './policy.js';
import { RateLimiter } from './rate-limiter.js';
import { openPolicy } from './policy.js';
import { OpenAccessGuard, VerifiedAccessGuard, type AccessGuard } from './access.js';
import { Outbox } from './outbox.js';
import { createDomainServices, type DomainServices } from './domain-services.js';
import { VerificationService, type VerificationServiceOptions } from './verification-service.js';
import { VerifiedCache } from './verified-cache.js';
import { CustomerBoundAccessGuard, CustomerBoundVerificationService } from './customer-bound-access.js';

/** Facts about one tool call. */
export interface CallInfo {
  tool: string;
  conversationId: string;
  /** Who is calling; conversations and their verifications belong to it. */
  principal: Principal;
  correlationId: string;
  /** The call's arguments with PII already redacted (for the audit entry of a write). */
  args?: Record<string, unknown>;
}

/** What one call's tools may use: the domain services, bound to the call. */
export interface CallServices extends DomainServices {
  /** The call's access guard (also inside every service); knows which customer the call touched. */
  access: AccessGuard;
}

/** One finished call, for the audit trail. */
export interface CallRecord extends CallInfo {
  outcome: 'ok' | 'error';
  errorCode: string | null;
  durationMs: number;
  /** Arguments with PII already redacted. */
  args: Record<string, unknown>;
  /** The customer the call touched, when known. */
  customerId: string | null;
}

export interface ServiceHubOptions {
  repo: SupportRepository;
  policy?: PolicyConfig;
  /** Where one-time codes go (default: the repository's outbox, no demo file). */
  outbox?: Outbox;
  /**
   * Conversations are explicit `conversation_id` tool arguments (stateless HTTP with verified
   * access): the verify tools then return the conversation id to pass on.
   */
  conversationArgument?: boolean;
  /** Where audit and rate-limit problems are reported (never entry contents). Default: stderr lines. */
  logger?: Logger;
  /** Clock of the rate limiter's windows (ms since the epoch); tests inject one. */
  now?: () => number;
}

/** Audit error code of a refused replay: the caller saw AUTH_REQUIRED (or 404), the trail says why. */
export const PRINCIPAL_MISMATCH = 'PRINCIPAL_MISMATCH';

export class ServiceHub {
  readonly repo: SupportRepository;
  readonly policy: PolicyConfig;

  readonly outbox: Outbox;
  readonly conversationArgument: boolean;

  /** Tool-call and verification rate limits; null when policy.rateLimits is null (--limits off). */
  readonly limiter: RateLimiter | null;
  /** Remembered positive verification look-ups (verified-cache.ts), shared by the process's calls. */
  readonly verifiedCache = new VerifiedCache();
  /** The audit trail (batched appends); null when policy.audit.enabled is false. */
  readonly audit: AuditLog | null;
  /** Calls (by their access guard) whose audit entry was handed to a write, to commit with it. */
  readonly #auditedWrites = new WeakSet<AccessGuard>();
  /** Calls (by their access guard) that presented a conversation bound to another principal. */
  readonly #foreignConversation = new WeakSet<AccessGuard>();
  readonly #logger: Logger | undefined;
  #closing: Promise<void> | null = null;

  constructor(opts: ServiceHubOptions) {
    this.repo = opts.repo;
    this.policy = opts.policy ?? openPolicy();
    this.outbox = opts.outbox ?? new Outbox(opts.repo);
    this.conversationArgument = opts.conversationArgument ?? false;
    this.limiter = this.policy.rateLimits === null ? null : new RateLimiter(opts.repo, this.policy.rateLimits, opts.now ? { now: opts.now } : {});
    const logger = opts.logger;
    this.#logger = logger;
    this.audit = this.policy.audit.enabled
      ? new AuditLog(opts.repo, {
          flushIntervalMs: this.policy.audit.flushIntervalMs,
          ...(logger ? { onWarning: (message, meta) => logger.warn(meta, message) } : {}),
        })
      : null;
  }

  /** Services bound to one call (conversation, tool): cheap to build, one per call. */
  forCall(call: CallInfo): CallServices {
    // A customer-bound OAuth token (customer-bound-access.ts) is verified for its customer
    // only, whatever --access says.
    const bound = call.principal.customer;
    const verificationOptions: VerificationServiceOptions = {
      config: this.policy.verification,
      outbox: this.outbox,
      conversationArgument: this.conversationArgument,
      principal: call.principal.id,
      beforeAttempt: async (customerId) => {
        access.touch(customerId); // a verification attempt is about this customer (audit, limits)
        await this.beforeVerificationAttempt(call, customerId);
      },
      onForeignConversation: () => this.#refusedConversation(call, access),
      verifiedCache: this.verifiedCache,
    };
    const verification: VerificationService = bound
      ? new CustomerBoundVerificationService(bound, this.repo, verificationOptions)
      : new VerificationService(this.repo, verificationOptions);
    const access: AccessGuard = bound ? new CustomerBoundAccessGuard(bound) : this.policy.access === 'verified'
      ? new VerifiedAccessGuard(
          call.conversationId,
          (customerId, conversationId) => verification.findActive(customerId, conversationId),
          (conversationId) => verification.isForeignConversation(conversationId),
        )
      : new OpenAccessGuard();
    access.onCustomer = this.customerHook(call);
    const services = createDomainServices(this.repo, {
      guard: access, writeOptions: this.writeOptionsFor(call, access), verification, conversationId: call.conversationId,
      ...(this.policy.returnWindowDays === undefined ? {} : { returnWindowDays: this.policy.returnWindowDays }),
      principal: call.principal.id,
      ...(this.policy.callbacks ? { callbacks: this.policy.callbacks } : {}),
    });
    return Object.assign(services, { access });
  }

  /**
   * A call presented a conversation id that belongs to another principal (a replay): it is
   * refused as unverified, logged at warn and audited as PRINCIPAL_MISMATCH, never with the
   * id in clear. Once per call.
   */
  #refusedConversation(call: CallInfo, access: AccessGuard): void {
    if (this.#foreignConversation.has(access)) return;
    this.#foreignConversation.add(access);
    this.#logger?.warn(
      { event: 'principal_mismatch', principal: call.principal.id, tool: call.tool, conversation: idFingerprint(call.conversationId), correlation_id: call.correlationId },
      'refused a conversation that belongs to another principal',
    );
  }

  /**
   * Records a refused attempt outside a tool call (a stateful or SSE session id presented by
   * another principal): audited as PRINCIPAL_MISMATCH with the session's fingerprint only.
   */
  recordRefusedSession(transport: string, principal: Principal, sessionId: string): void {
    this.#logger?.warn(
      { event: 'principal_mismatch', principal: principal.id, transport, session: idFingerprint(sessionId) },
      'refused a session that belongs to another principal',
    );
    this.audit?.append({
      at: new Date().toISOString(),
      conversation_id: idFingerprint(sessionId),
      tool: `session:${transport}`,
      customer_id: null,
      outcome: 'error',
      error_code: PRINCIPAL_MISMATCH,
      duration_ms: 0,
      args: {},
      principal: principal.id,
    });
  }

  /**
   * The per-customer rate limit of one call, for its access guard's onCustomer: each customer
   * the call acts on counts once. Undefined when limits are off.
   */
  customerHook(_call: CallInfo): ((customerId: string) => Promise<void>) | undefined {
    const limiter = this.limiter;
    if (limiter === null) return undefined;
    const counted = new Set<string>();
    return async (customerId) => {
      if (counted.has(customerId)) return;
      counted.add(customerId);
      await limiter.checkCustomer(customerId);
    };
  }

  /**
   * The domain services' writeOptions for one call: the call's audit entry (outcome ok), handed
   * to the first write so it commits in the same transaction as the change. The call is then
   * marked, and afterCall does not append it again when the call succeeds; when the call
   * fails (the write was refused or rolled back), afterCall appends the error entry. Later
   * writes of the same call get no entry (one entry per call).
   */
  writeOptionsFor(call: CallInfo, access: AccessGuard): () => WriteOptions | undefined {
    const started = performance.now();
    let handedOut = false;
    return () => {
      if (this.audit === null || handedOut) return undefined;
      handedOut = true;
      this.#auditedWrites.add(access);
      const audit: NewAuditEntry = {
        at: new Date().toISOString(),
        conversation_id: call.conversationId === '' ? null : storableText(call.conversationId),
        tool: call.tool,
        // the id as the caller gave it (it may not exist): storable, or the entry would be refused
        customer_id: access.touchedCustomerId === null ? null : storableText(access.touchedCustomerId),
        outcome: 'ok',
        error_code: null,
        duration_ms: Math.max(0, Math.round(performance.now() - started)),
        args: call.args ?? {},
        principal: call.principal.id,
      };
      return { audit };
    };
  }

  /**
   * Runs before every identity-verification step (start or answer) for an existing customer:
   * the separate verification rate limit (policy.rateLimits.verificationPerCustomerPerHour),
   * across conversations. Throws RATE_LIMITED. No-op with limits off.
   */
  async beforeVerificationAttempt(_call: CallInfo, customerId: string): Promise<void> {
    await this.limiter?.beforeVerificationAttempt(customerId);
  }

  /**
   * Runs before the handler (after argument validation): the conversation's per-minute and the
   * deployment's per-hour limit, in one round trip. Throws RATE_LIMITED.
   */
  async beforeCall(call: CallInfo): Promise<void> {
    await this.limiter?.checkCall(call.conversationId);
  }

  /**
   * Records a finished call (audit trail): one entry per call, buffered (see AuditLog) unless
   * it was already committed with the call's write. Must not throw.
   */
  afterCall(record: CallRecord, services: CallServices): void {
    if (this.audit === null) return;
    if (record.outcome === 'ok' && this.#auditedWrites.has(services.access)) return;
    // A replayed conversation: the entry says so (even when the call answered, e.g. with the
    // unverified preview of a look-up), and keeps only the id's fingerprint.
    const foreign = this.#foreignConversation.has(services.access);
    try {
      this.audit.append({
        at: new Date().toISOString(),
        conversation_id: record.conversationId === '' ? null : foreign ? idFingerprint(record.conversationId) : storableText(record.conversationId),
        tool: record.tool,
        customer_id: record.customerId === null ? null : storableText(record.customerId),
        outcome: record.outcome,
        error_code: foreign ? PRINCIPAL_MISMATCH : record.errorCode,
        duration_ms: Math.max(0, Math.round(record.durationMs)),
        args: record.args,
        principal: record.principal.id,
      });
    } catch {
      // auditing never fails a call (AuditLog.append does not throw; belt and braces)
    }
  }

  /** Flushes buffered audit entries (shutdown), then releases the repository. Idempotent. */
  async close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.audit?.close();
      await this.repo.close();
    })();
    return this.#closing;
  }
}
