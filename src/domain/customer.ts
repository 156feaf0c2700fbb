import { z } from 'zod';
import { IsoDate, IsoDateTime } from './common.js';

export const CustomerTier = z.enum(['basic', 'standard', 'premium', 'enterprise']);
export const RiskLevel = z.enum(['low', 'medium', 'high']);
export const KycStatus = z.enum(['pending', 'verified', 'rejected']);
export const CustomerStatus = z.enum(['active', 'suspended', 'blocked']);

export const Customer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().min(3),
  phone: z.string().nullable(),
  username: z.string().nullable(),
  account_number: z.string().nullable(),
  tier: CustomerTier,
  risk_level: RiskLevel,
  kyc_status: KycStatus,
  status: CustomerStatus,
  /** Knowledge-based verification answers; never shown to a model. */
  date_of_birth: IsoDate.nullable(),
  postcode: z.string().nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type Customer = z.infer<typeof Customer>;
export type CustomerTier = z.infer<typeof CustomerTier>;
export type CustomerStatus = z.infer<typeof CustomerStatus>;

/** Exactly one lookup key; each maps to a unique index in the database. */
export type CustomerLookup =
  | { by: 'id'; value: string }
  | { by: 'email'; value: string }
  | { by: 'phone'; value: string }
  | { by: 'username'; value: string }
  | { by: 'account_number'; value: string };
export const CUSTOMER_LOOKUP_KEYS = ['id', 'email', 'phone', 'username', 'account_number'] as const;

export const ContactPatch = z
  .object({ email: z.string().optional(), phone: z.string().optional() })
  .refine((p) => p.email !== undefined || p.phone !== undefined, 'give email and/or phone');
export type ContactPatch = z.infer<typeof ContactPatch>;

/** Emails compare case-insensitively; stored lower-cased so the unique index is simple. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Phones are matched on their digits so '+1 415-555-1234', '(415) 555 1234' and
 * '4155551234' find the same customer. A 10-digit number is taken as North American.
 * Returns null when there are too few digits to be a phone number.
 */
export const phoneKey = (phone: string): string | null => {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  return digits.length === 10 ? `1${digits}` : digits;
};
