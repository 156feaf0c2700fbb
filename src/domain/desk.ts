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
