// The services of one process, and the per-call view tools get. Policy that must hold for
// every tool — access to a customer's data, rate limits, the audit trail — is applied here
// and in the services, never in tool code, so a manipulated model cannot talk its way past it.
import type { SupportRepository } from '../repository/types.js';
import type { PolicyConfig } from './policy.js';
import { openPolicy } from './policy.js';
import { OpenAccessGuard, type AccessGuard } from './access.js';
import { SupportService } from './support-service.js';
import { VerificationService } from './verification-service.js';

/** Facts about one tool call. */
export interface CallInfo {
  tool: string;
  conversationId: string;
  correlationId: string;
}

/** What one call's tools may use. */
export interface CallServices {
  support: SupportService;
  verification: VerificationService;
  /** The call's access guard (also inside `support`); knows which customer the call touched. */
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
}

export class ServiceHub {
  readonly repo: SupportRepository;
  readonly policy: PolicyConfig;

  constructor(opts: ServiceHubOptions) {
    this.repo = opts.repo;
    this.policy = opts.policy ?? openPolicy();
  }

  /** Services bound to one call (conversation, tool): cheap to build, one per call. */
  forCall(_call: CallInfo): CallServices {
    const access = new OpenAccessGuard();
    return { support: new SupportService(this.repo, { guard: access }), verification: new VerificationService(this.repo), access };
  }

  /** Runs before the handler: rate limits that do not depend on the customer. Throws RATE_LIMITED. */
  async beforeCall(_call: CallInfo): Promise<void> {}

  /** Records a finished call (audit trail). Must not throw. */
  afterCall(_record: CallRecord, _services: CallServices): void {}

  /** Flushes buffered audit entries and releases the repository. */
  async close(): Promise<void> {
    await this.repo.close();
  }
}
