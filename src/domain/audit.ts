import { z } from 'zod';
import { IsoDateTime } from './common.js';

export const AuditOutcome = z.enum(['ok', 'error']);

export const AuditEntry = z.object({
  id: z.number().int().positive(),
  at: IsoDateTime,
  conversation_id: z.string().nullable(),
  tool: z.string().min(1),
  customer_id: z.string().nullable(),
  outcome: AuditOutcome,
  error_code: z.string().nullable(),
  duration_ms: z.number().int().nonnegative(),
  /** Tool arguments with PII already redacted by the caller. */
  args: z.record(z.string(), z.unknown()),
  /** Who made the call (Principal.id: a token's name, never the token), when known. */
  principal: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'principal'> & { at?: string; principal?: string | null };
