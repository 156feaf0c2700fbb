// The support desk's records (issue 13): payment cards and account transactions (customer
// data, per bank account), and the desk's own bookkeeping (handoffs to a person).
import { z } from 'zod';
import { Currency, IsoDateTime, Money } from './common.js';

export const CardStatus = z.enum(['active', 'blocked', 'replaced']);
export type CardStatus = z.infer<typeof CardStatus>;

/** Why a card was blocked; only a temporary block can be lifted again. */
export const CardBlockReason = z.enum(['lost', 'stolen', 'suspected_fraud', 'temporary']);
export type CardBlockReason = z.infer<typeof CardBlockReason>;

export const CardBrand = z.enum(['visa', 'mastercard', 'amex', 'discover']);
export type CardBrand = z.infer<typeof CardBrand>;

export const Card = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  bank_account_id: z.string().min(1),
  brand: CardBrand,
  last4: z.string().regex(/^\d{4}$/, 'expected four digits'),
  status: CardStatus,
  /** Set while blocked (and kept on a replaced card); null on an active card. */
  block_reason: CardBlockReason.nullable(),
  blocked_at: IsoDateTime.nullable(),
  updated_at: IsoDateTime,
});
export type Card = z.infer<typeof Card>;

export const TransactionStatus = z.enum(['pending', 'posted']);
export type TransactionStatus = z.infer<typeof TransactionStatus>;

/** Money signed: negative amounts leave the account (purchases), positive ones come in. */
export const SignedMoney = Money;

export const Transaction = z.object({
  id: z.string().min(1),
  bank_account_id: z.string().min(1),
  posted_at: IsoDateTime,
  amount: SignedMoney,
  currency: Currency,
  description: z.string().min(1),
  merchant: z.string().nullable(),
  status: TransactionStatus,
  /** The account's balance once this transaction is applied; null while pending. */
  balance_after: Money.nullable(),
});
export type Transaction = z.infer<typeof Transaction>;

export interface TransactionPage {
  transactions: Transaction[];
  next_cursor: string | null;
}

// ---- handoffs to a person (a control record: written before any verification)

/** Why the conversation goes to a person. */
export const HandoffReason = z.enum([
  'customer_request', 'cannot_verify', 'complaint', 'fraud_or_security', 'complex_issue', 'tool_failure', 'other',
]);
export type HandoffReason = z.infer<typeof HandoffReason>;

export const HandoffPriority = z.enum(['low', 'medium', 'high', 'urgent']);
export type HandoffPriority = z.infer<typeof HandoffPriority>;

/** The help desk's queues. */
export const HandoffQueue = z.enum(['general', 'fraud', 'cards', 'billing', 'technical']);
export type HandoffQueue = z.infer<typeof HandoffQueue>;

/** open: waiting in its queue; accepted: a person took it; closed: done (a new one may be opened). */
export const HandoffStatus = z.enum(['open', 'accepted', 'closed']);
export type HandoffStatus = z.infer<typeof HandoffStatus>;

/** At most this many characters of the model's summary are stored. */
export const HANDOFF_SUMMARY_MAX = 1000;

export const Handoff = z.object({
  id: z.string().min(1),
  conversation_id: z.string().min(1),
  /** Principal.id of the caller: a conversation is its principal's (domain/principal.ts). */
  principal: z.string().min(1),
  /** The customer id the caller gave, if any (not checked: the caller may not be verified). */
  customer_id: z.string().nullable(),
  /** Whether that customer had verified their identity in this conversation. */
  customer_verified: z.boolean(),
  reason: HandoffReason,
  summary: z.string().min(1).max(HANDOFF_SUMMARY_MAX),
  priority: HandoffPriority,
  queue: HandoffQueue,
  status: HandoffStatus,
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type Handoff = z.infer<typeof Handoff>;

export type NewHandoff = Omit<Handoff, 'status' | 'created_at' | 'updated_at'>;

// ---- customer preferences (customer data: changed only for a verified customer)

export const ContactChannel = z.enum(['email', 'sms', 'phone']);
export type ContactChannel = z.infer<typeof ContactChannel>;

/** A language tag such as en, es or pt-BR. */
export const LanguageTag = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language tag such as en or pt-BR');

/** An IANA time zone the runtime knows, e.g. America/New_York. */
export const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as America/New_York');

export const Preferences = z.object({
  customer_id: z.string().min(1),
  contact_channel: ContactChannel,
  language: LanguageTag,
  marketing_opt_in: z.boolean(),
  timezone: TimeZone,
  /** null: never stored (the defaults). */
  updated_at: IsoDateTime.nullable(),
});
export type Preferences = z.infer<typeof Preferences>;

export type PreferencesPatch = Partial<Pick<Preferences, 'contact_channel' | 'language' | 'marketing_opt_in' | 'timezone'>>;

/** What a customer without a stored row has. */
export const DEFAULT_PREFERENCES: Omit<Preferences, 'customer_id'> = {
  contact_channel: 'email', language: 'en', marketing_opt_in: false, timezone: 'UTC', updated_at: null,
};

// ---- callbacks (customer data: scheduled for a verified customer, to the phone on file)

export const CallbackStatus = z.enum(['scheduled', 'cancelled', 'completed']);
export type CallbackStatus = z.infer<typeof CallbackStatus>;

export const Callback = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  /** The phone number on file when it was scheduled (never one the caller supplied). Masked for models. */
  destination: z.string().min(1),
  window_start: IsoDateTime,
  window_end: IsoDateTime,
  topic: z.string().min(1).max(200),
  status: CallbackStatus,
  /** The conversation it was scheduled in. */
  conversation_id: z.string().nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type Callback = z.infer<typeof Callback>;

/** A new callback; `request_key` identifies an identical request (a retry finds the first). */
export type NewCallback = Omit<Callback, 'status' | 'created_at' | 'updated_at'> & { request_key: string };
