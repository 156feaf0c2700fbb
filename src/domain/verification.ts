import { z } from 'zod';
import { IsoDateTime } from './common.js';

export const VerificationMethod = z.enum(['otp', 'kba', 'biometric']);
export const VerificationStatus = z.enum(['pending', 'verified', 'failed', 'expired']);
export type VerificationMethod = z.infer<typeof VerificationMethod>;
export type VerificationStatus = z.infer<typeof VerificationStatus>;

export const Verification = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  conversation_id: z.string().min(1),
  /**
   * The principal (Principal.id) whose conversation this is. Only that principal finds the
   * verification again: the same conversation id presented by anyone else matches nothing.
   */
  principal: z.string().min(1),
  method: VerificationMethod,
  status: VerificationStatus,
  /** Keyed hash (HMAC) of the one-time code; the code itself is never stored. */
  code_hash: z.string().nullable(),
  /** Masked destination the code was sent to, e.g. j***@example.com. */
  delivered_to: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  max_attempts: z.number().int().positive(),
  expires_at: IsoDateTime,
  verified_at: IsoDateTime.nullable(),
  created_at: IsoDateTime,
});
export type Verification = z.infer<typeof Verification>;

export type NewVerification = Pick<
  Verification,
  'id' | 'customer_id' | 'conversation_id' | 'principal' | 'method' | 'code_hash' | 'delivered_to' | 'max_attempts' | 'expires_at'
>;

/** Result of one atomic attempt against a pending verification. */
export type VerificationAttempt =
  | { outcome: 'verified'; verification: Verification }
  | { outcome: 'failed'; verification: Verification }
  | { outcome: 'locked' | 'expired' | 'not_pending'; verification: Verification };
