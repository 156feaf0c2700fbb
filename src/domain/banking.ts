import { z } from 'zod';
import { Currency, IsoDateTime, Money } from './common.js';

export const BankAccountType = z.enum(['checking', 'savings', 'credit']);
export type BankAccountType = z.infer<typeof BankAccountType>;

export const BankAccount = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  account_type: BankAccountType,
  /** For credit accounts: the amount owed (positive). */
  balance: Money,
  currency: Currency,
  last_updated: IsoDateTime,
});
export type BankAccount = z.infer<typeof BankAccount>;
