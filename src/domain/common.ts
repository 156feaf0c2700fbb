// Shared value schemas. Every backend (Postgres, PGlite, fixtures) returns these exact
// JS types: ids are strings, money is a number in major units (2 decimals), calendar
// dates are 'YYYY-MM-DD' strings and instants are ISO-8601 UTC strings ending in 'Z'.
import { z } from 'zod';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const IsoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'expected an ISO-8601 UTC timestamp');
/** Money in major units with at most two decimals (e.g. 49.99). */
export const Money = z.number().finite().refine((n) => Math.round(n * 100) === Number((n * 100).toFixed(6)), {
  message: 'money has at most two decimals',
});
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code such as USD');

export type IsoDate = z.infer<typeof IsoDate>;
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** Rounds to cents; used wherever money is computed (totals) so every backend agrees. */
export const toMoney = (n: number): number => Math.round(n * 100) / 100;
