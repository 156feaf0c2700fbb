// Shared value schemas. Every backend (Postgres, PGlite, fixtures) returns these exact
// JS types: ids are strings, money is a number in major units (exact in the currency's minor
// units, see money.ts: JPY 0 decimals, USD 2, KWD 3), calendar
// dates are 'YYYY-MM-DD' strings and instants are ISO-8601 UTC strings ending in 'Z'.
import { z } from 'zod';
import { isExactAmount } from './money.js';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const IsoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'expected an ISO-8601 UTC timestamp');
/**
 * Money in major units with at most three decimals (e.g. 49.99, 1500, 12.345); whether it is
 * exact for its currency (JPY 0 decimals, USD 2, KWD 3) is checked beside the currency
 * (isExactAmount in money.ts), wherever an amount enters.
 */
export const Money = z.number().finite().refine((n) => isExactAmount(n, 'KWD'), {
  message: 'money has at most three decimals',
});
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code such as USD');

export type IsoDate = z.infer<typeof IsoDate>;
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** Rounds to cents; used wherever money is computed (totals) so every backend agrees. */
export const toMoney = (n: number): number => Math.round(n * 100) / 100;
