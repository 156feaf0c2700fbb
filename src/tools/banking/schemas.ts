// Argument and result schemas of the banking contract (seed 002, docs/contracts/TOOLS_CONTRACT.md).
// Inputs are exactly the contract's TypeScript request types (names, optionality, enums, plain
// string/number types: no extra length or pattern keywords). The contract has no parameter
// descriptions; the ones here are ours. Results are the contract's `data` shapes.
import { z } from 'zod';
import { argumentError } from '../arguments.js';

export const customerIdArg = z.string().describe('Customer ID as returned by lookup_customer (field id), e.g. CUST-001.');

/**
 * The contract's customer shape. Under verified access, before the customer is verified in
 * the conversation, only { id, emailMasked, phoneMasked?, verificationRequired: true } is
 * returned (an extension: name and tier are then absent).
 */
export const LookupCustomerData = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  accountNumber: z.string().optional(),
  tier: z.enum(['standard', 'premium', 'enterprise']).optional(),
  riskLevel: z.enum(['low', 'medium', 'high']).optional(),
  kycStatus: z.enum(['pending', 'verified', 'rejected']).optional(),
  emailMasked: z.string().optional(),
  phoneMasked: z.string().optional(),
  verificationRequired: z.literal(true).optional(),
});

export const CaseData = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  status: z.enum(['open', 'in_progress', 'resolved', 'closed']),
  createdAt: z.string(),
});

export const BalanceData = z.object({
  balance: z.number(),
  currency: z.string(),
  accountType: z.string(),
  lastUpdated: z.string(),
});

/** The contract's auth session, plus optional extensions (delivery, questions, attempts, conversation). */
export const AuthSessionData = z.object({
  authSessionId: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  expiresAt: z.string(),
  method: z.string(),
  deliveredTo: z.string().optional(),
  questions: z.array(z.enum(['dateOfBirth', 'postcode', 'phoneLast4'])).optional(),
  attemptsLeft: z.number().int().nonnegative().optional(),
  conversation_id: z.string().optional(),
});

/**
 * A required string argument with content: the contract types it as a plain string, so an
 * empty one passes the schema and is refused here (VALIDATION_FAILED on that field).
 */
export const requiredText = (value: string, field: string): string => {
  const text = value.trim();
  if (text === '') {
    throw argumentError(field, `${field} must not be empty.`, 'must not be empty');
  }
  return text;
};

// ---- the Tools Contract's "Future Tools" (issue 13). The contract names them without
// schemas: arguments follow its conventions (camelCase, customerId, plain types).

/** A card as the banking tools show it: what a caller on the phone can confirm. */
export const CardSummary = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  status: z.enum(['active', 'blocked', 'replaced']),
});

/** check_account_balance's data plus the customer's cards (an additive field). */
export const BalanceWithCardsData = BalanceData.extend({ cards: z.array(CardSummary) });

export const CardActionData = CardSummary.extend({
  blockReason: z.string().nullable(),
  blockedAt: z.string().nullable(),
  changed: z.boolean(),
});

export const TransactionData = z.object({
  id: z.string(),
  postedAt: z.string(),
  amount: z.number(),
  currency: z.string(),
  description: z.string(),
  merchant: z.string().nullable(),
  status: z.enum(['pending', 'posted']),
  balanceAfter: z.number().nullable(),
});

export const TransactionHistoryData = z.object({
  accountId: z.string(),
  accountType: z.string(),
  currency: z.string(),
  transactions: z.array(TransactionData),
  nextCursor: z.string().nullable(),
});

export const HandoffData = z.object({
  handoffId: z.string(),
  status: z.enum(['open', 'accepted', 'closed']),
  queue: z.string(),
  priority: z.string(),
  queuePosition: z.number().int(),
  existing: z.boolean(),
  message: z.string(),
  createdAt: z.string(),
});

export const PreferencesData = z.object({
  customerId: z.string(),
  contactChannel: z.enum(['email', 'sms', 'phone']),
  language: z.string(),
  marketingOptIn: z.boolean(),
  timezone: z.string(),
  updatedAt: z.string().nullable(),
});

export const CallbackData = z.object({
  callbackId: z.string(),
  status: z.enum(['scheduled', 'cancelled', 'completed']),
  windowStart: z.string(),
  windowEnd: z.string(),
  timezone: z.string(),
  phoneMasked: z.string(),
  topic: z.string(),
  existing: z.boolean(),
  message: z.string(),
});
