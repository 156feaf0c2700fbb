// Customer-bound OAuth tokens (issue 17): a token that carries a customer claim speaks for
// that customer, who signed in at the authorization server. For the token's lifetime the
// conversation is verified for that customer only:
// - their data is available without a one-time code;
// - every other customer answers AUTH_REQUIRED, look-ups included (no masked preview of
//   someone else's contacts);
// - verify_identity for another customer is refused (AUTH_REQUIRED), and for the bound
//   customer answers `verified` at once, without sending a code.
// This holds whatever --access says (open mode included): a customer's token never reaches
// another customer. Verifications stored in the repository play no part for such a token,
// so nothing verified earlier in the same conversation id unlocks anyone else.
import type { Verification } from '../domain/index.js';
import type { SupportRepository } from '../repository/types.js';
import type { AccessGuard } from './access.js';
import { ServiceError } from './errors.js';
import { VerificationService, type VerificationServiceOptions, type VerifyOutcome, type VerifyRequest } from './verification-service.js';

/** The customer a token is bound to, and until when (ms since the epoch: the token's exp). */
export interface CustomerBinding {
  readonly id: string;
  readonly until: number;
}

const refusal = (customerId: string): ServiceError => {
  const id = customerId.trim().slice(0, 64);
  return new ServiceError('AUTH_REQUIRED',
    `This conversation is signed in as one customer only; customer ${id} is not that customer, so their data cannot be read or changed, and they cannot be verified here.`,
    { entity: 'customer', key: 'id', value: id });
};

const expired = (): ServiceError =>
  new ServiceError('AUTH_REQUIRED', 'The customer\'s sign-in has expired: the client must obtain a new access token.', {
    entity: 'customer', key: 'id',
  });

/**
 * The access guard of a customer-bound token: the bound customer is verified, anyone else is
 * refused with AUTH_REQUIRED (isVerified refuses too, instead of answering false, so a
 * look-up never shows another customer's masked preview).
 */
export class CustomerBoundAccessGuard implements AccessGuard {
  readonly mode = 'verified' as const;
  touchedCustomerId: string | null = null;
  onCustomer?: ((customerId: string) => Promise<void>) | undefined;

  constructor(readonly binding: CustomerBinding, private readonly now: () => number = Date.now) {}

  /** Whether the id names the bound customer; throws AUTH_REQUIRED when it does not. */
  private check(customerId: string): string {
    const id = customerId.trim();
    if (id !== '') this.touchedCustomerId ??= id;
    if (this.now() >= this.binding.until) throw expired();
    if (id === '' || id !== this.binding.id) throw refusal(customerId);
    return id;
  }

  async isVerified(customerId: string): Promise<boolean> {
    const id = this.check(customerId);
    await this.onCustomer?.(id);
    return true;
  }

  async assertCustomer(customerId: string): Promise<void> {
    await this.isVerified(customerId);
  }

  touch(customerId: string): void {
    const id = customerId.trim();
    if (id !== '') this.touchedCustomerId ??= id;
  }
}

/**
 * Identity verification for a customer-bound token: the token is the verification. Nothing
 * is sent, stored or counted; the answer describes the token's binding.
 */
export class CustomerBoundVerificationService extends VerificationService {
  private readonly binding: CustomerBinding;
  private readonly clock: () => number;

  constructor(binding: CustomerBinding, repo: SupportRepository, opts: VerificationServiceOptions = {}) {
    super(repo, opts);
    this.binding = binding;
    this.clock = opts.now ? () => opts.now!().getTime() : Date.now;
  }

  /** The token's binding as a verification record (never stored). */
  private asVerification(conversationId: string, method: 'otp' | 'kba'): Verification {
    const now = new Date(this.clock()).toISOString();
    return {
      id: 'oauth-token',
      customer_id: this.binding.id,
      conversation_id: conversationId.trim() === '' ? 'oauth-token' : conversationId.trim(),
      principal: this.principal,
      method,
      status: 'verified',
      code_hash: null,
      delivered_to: null,
      attempts: 0,
      max_attempts: 1,
      expires_at: new Date(this.binding.until).toISOString(),
      verified_at: now,
      created_at: now,
    };
  }

  private bound(customerId: string): boolean {
    if (this.clock() >= this.binding.until) throw expired();
    return customerId.trim() === this.binding.id;
  }

  override async verify(req: VerifyRequest): Promise<VerifyOutcome> {
    if (!this.bound(req.customerId)) throw refusal(req.customerId);
    // The method is still checked (biometric stays unsupported), but no challenge is made.
    if (req.method !== 'otp' && req.method !== 'kba') return super.verify(req);
    return { status: 'verified', verification: this.asVerification(req.conversationId, req.method), attemptsLeft: 0, deliveredTo: null, questions: null, started: false };
  }

  override async findActive(customerId: string, conversationId: string): Promise<Verification | null> {
    return this.bound(customerId) ? this.asVerification(conversationId, 'otp') : null;
  }

  override async requireVerified(customerId: string, conversationId: string): Promise<Verification> {
    if (!this.bound(customerId)) throw refusal(customerId);
    return this.asVerification(conversationId, 'otp');
  }

  override async isForeignConversation(): Promise<boolean> {
    return false;
  }
}
