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
