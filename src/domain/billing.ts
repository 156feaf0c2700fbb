import { z } from 'zod';
import { Currency, IsoDate, IsoDateTime, Money } from './common.js';

export const BillingAccount = z.object({
  customer_id: z.string().min(1),
  balance: Money,
  currency: Currency,
  due_date: IsoDate.nullable(),
  latest_charges: z.string(),
  /** Always masked, e.g. 'Visa ending in 1234'; a full card number is never stored. */
  payment_method: z.string().nullable(),
  autopay: z.boolean(),
  /** Day of the month (1-28) autopay collects the balance; null: on the due date. */
  autopay_day: z.number().int().min(1).max(28).nullable(),
  updated_at: IsoDateTime,
});
export type BillingAccount = z.infer<typeof BillingAccount>;

export const Payment = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  paid_on: IsoDate,
  amount: Money,
  currency: Currency,
  method: z.string().min(1),
});
export type Payment = z.infer<typeof Payment>;

/** A charge posted to a billing account (a fee, usage, a purchase). */
export const BillingCharge = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  charged_on: IsoDate,
  description: z.string().min(1),
  /** Negative for a credit. */
  amount: Money,
  currency: Currency,
});
export type BillingCharge = z.infer<typeof BillingCharge>;

/** A calendar month, 'YYYY-MM'. */
export const StatementMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/**
 * One month of a billing account: opening balance + charges - payments = closing balance,
 * all exact in the account's currency. Anchored on the current balance: the closing balance
 * of a month is the balance now minus what was charged after it plus what was paid after it.
 */
export const Statement = z.object({
  customer_id: z.string().min(1),
  customer_name: z.string(),
  month: StatementMonth,
  /** First and last day of the month. */
  period_start: IsoDate,
  period_end: IsoDate,
  currency: Currency,
  opening_balance: Money,
  charges: z.array(BillingCharge),
  total_charges: Money,
  payments: z.array(Payment),
  total_payments: Money,
  closing_balance: Money,
  /** Masked, e.g. 'Visa ending in 4242'; null when none is on file. */
  payment_method: z.string().nullable(),
  autopay: z.boolean(),
  /** Instant the statement was produced. */
  generated_at: IsoDateTime,
});
export type Statement = z.infer<typeof Statement>;

// Card security data must never be stored, even masked: CVV/CVC codes and expiry dates are
// removed before card numbers are masked down to their last four digits.
const CVV_RE = /[,;]?\s*\b(?:cvv2?|cvc2?|csc|cid|security code)\b\W{0,3}\d{3,4}\b/gi;
const EXPIRY_RE = /[,;]?\s*\b(?:exp(?:iry|ires|iration)?(?: date)?|valid (?:thru|through|until))\b\W{0,3}\d{1,2}\s*[/-]\s*\d{2,4}\b/gi;

/** Removes security codes and expiry dates; a description that is only a card number gets a noun. */
export const stripCardSecrets = (method: string): string => {
  const cleaned = method.replace(CVV_RE, '').replace(EXPIRY_RE, '').replace(/\s+/g, ' ').trim();
  return /^\d/.test(cleaned) ? `Card ${cleaned}` : cleaned;
};

/**
 * Masks anything that looks like a card or account number down to its last four digits,
 * so a model that pastes 'Visa 4111 1111 1111 1111' never gets it stored.
 */
export const maskPaymentMethod = (text: string): string => {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.replace(/\d[\d -]{6,}\d/g, (run) => {
    const digits = run.replace(/\D/g, '');
    return digits.length >= 8 ? `ending in ${digits.slice(-4)}` : run;
  });
};

/**
 * The only form of a payment method that may be stored or shown: security codes and expiry
 * dates dropped, card and account numbers reduced to their last four digits.
 * 'Visa 4111 1111 1111 1111 exp 12/27 CVV 123' → 'Visa ending in 1111'.
 */
export const storablePaymentMethod = (text: string): string => maskPaymentMethod(stripCardSecrets(text));

/** Longest payment-method description stored (after masking). */
export const MAX_PAYMENT_METHOD_LENGTH = 100;
