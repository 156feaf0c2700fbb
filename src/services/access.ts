// Who may act on a customer's data in a conversation. Services call the guard for every
// method that reads or changes one customer's data; the guard also remembers which customer
// the call touched (for the audit trail and the per-customer rate limit).
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
}

/** Open access: every customer is reachable; only remembers what was touched. */
export class OpenAccessGuard implements AccessGuard {
  readonly mode = 'open' as const;
  touchedCustomerId: string | null = null;

  async assertCustomer(customerId: string): Promise<void> {
    this.touchedCustomerId ??= customerId;
  }

  async isVerified(customerId: string): Promise<boolean> {
    this.touchedCustomerId ??= customerId;
    return true;
  }
}
