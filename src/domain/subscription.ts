import { z } from 'zod';
import { Currency, IsoDate, IsoDateTime, Money } from './common.js';

export const SubscriptionStatus = z.enum(['active', 'cancelled', 'past_due', 'trial']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const Subscription = z.object({
  id: z.string().min(1),
  customer_id: z.string().min(1),
  plan: z.string().min(1),
  status: SubscriptionStatus,
  amount: Money,
  currency: Currency,
  next_billing_date: IsoDate.nullable(),
  last_payment_date: IsoDate.nullable(),
  started_at: IsoDateTime,
});
export type Subscription = z.infer<typeof Subscription>;
