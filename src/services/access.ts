// Who may act on a customer's data in a conversation. Services call the guard for every
// method that reads or changes one customer's data; the guard also remembers which customer
// the call touched (for the audit trail and the per-customer rate limit).
import { ServiceError } from './errors.js';
import type { AccessMode } from './policy.js';

export interface AccessGuard {
  readonly mode: AccessMode;
  /**
   * Throws ServiceError AUTH_REQUIRED unless this conversation may act on the customer
   * (always allowed in `open` mode). Records the customer as touched by this call.
   */
  assertCustomer(customerId: string): Promise<void>;
  /** Whether the customer is verified in this conversation (open mode: always true). */
  isVerified(customerId: string): Promise<boolean>;
  /** The customer this call touched, if any. */
  readonly touchedCustomerId: string | null;
  /** Records a customer as touched without checking access (identity verification attempts). */
  touch(customerId: string): void;
  /**
   * Awaited whenever access to a customer's data is granted (assertCustomer passes, isVerified
   * answers true): the per-customer rate limit, which may throw RATE_LIMITED. Set by
   * ServiceHub.forCall; refused probes (AUTH_REQUIRED) never reach it.
   */
  onCustomer?: ((customerId: string) => Promise<void>) | undefined;
}

/** Open access: every customer is reachable; only remembers what was touched. */
export class OpenAccessGuard implements AccessGuard {
  readonly mode = 'open' as const;
  touchedCustomerId: string | null = null;
  onCustomer?: ((customerId: string) => Promise<void>) | undefined;

  async assertCustomer(customerId: string): Promise<void> {
    this.touchedCustomerId ??= customerId;
    await this.onCustomer?.(customerId);
  }

  async isVerified(customerId: string): Promise<boolean> {
    this.touchedCustomerId ??= customerId;
    await this.onCustomer?.(customerId);
    return true;
  }

  touch(customerId: string): void {
    this.touchedCustomerId ??= customerId;
  }
}

/** Finds the verified, unexpired verification of a customer in a conversation (VerificationService.findActive). */
export type FindActiveVerification = (customerId: string, conversationId: string) => Promise<unknown | null>;
/** Checks (and reports) a conversation id that belongs to another principal (VerificationService.isForeignConversation). */
export type CheckForeignConversation = (conversationId: string) => Promise<boolean>;

/**
 * Verified access: a customer's data is reachable only when that customer verified their
 * identity in THIS conversation (a verification in another conversation, or of another
 * customer, never counts). Verifications live in the repository, so every replica sees them.
 * Positive answers are cached for the call only (the guard is built per call), so a
 * verification that expires is noticed on the next call. Verifications are found only through
 * the calling principal, so a conversation id replayed by anyone else unlocks nothing; the
 * first refusal of a call checks whether that is what happened, for the audit trail.
 */
export class VerifiedAccessGuard implements AccessGuard {
  readonly mode = 'verified' as const;
  touchedCustomerId: string | null = null;
  onCustomer?: ((customerId: string) => Promise<void>) | undefined;
  private readonly verified = new Set<string>();
  private foreignChecked = false;

  constructor(
    private readonly conversationId: string,
    private readonly findActive: FindActiveVerification,
    private readonly checkForeign: CheckForeignConversation = async () => false,
  ) {}

  async isVerified(customerId: string): Promise<boolean> {
    const id = customerId.trim();
    if (id === '') return false;
    this.touchedCustomerId ??= id;
    if (!this.verified.has(id)) {
      if (this.conversationId.trim() === '') return false;
      if ((await this.findActive(id, this.conversationId)) === null) {
        if (!this.foreignChecked) {
          this.foreignChecked = true;
          await this.checkForeign(this.conversationId);
        }
        return false;
      }
      this.verified.add(id);
    }
    await this.onCustomer?.(id);
    return true;
  }

  touch(customerId: string): void {
    const id = customerId.trim();
    if (id !== '') this.touchedCustomerId ??= id;
  }

  async assertCustomer(customerId: string): Promise<void> {
    if (await this.isVerified(customerId)) return;
    const id = customerId.trim();
    throw new ServiceError('AUTH_REQUIRED',
      `Customer ${id.slice(0, 64)} has not verified their identity in this conversation, so their data cannot be read or changed. `
      + 'Verify the customer first with verify_identity (verify_customer_identity in the banking profile), then call this tool again.',
      { entity: 'customer', key: 'id', value: id.slice(0, 64) });
  }
}
