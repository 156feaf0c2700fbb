// Subscriptions, billing accounts and payments over Postgres.
import { sql } from 'kysely';
import { decimalToMinor } from '../../domain/index.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import type { BillingRepository } from '../types.js';
import { clamp, nowIso, type PgContext } from './context.js';
import { toBillingAccount, toCharge, toPayment, toSubscription } from './mappers.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const checkDay = (value: string, what: string): string => {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new ValidationError(`invalid ${what}: expected YYYY-MM-DD`);
  return value;
};

const ACTIVE_SUBSCRIPTION_STATUSES = sql`('active', 'trial', 'past_due')`;

export function postgresBilling({ read, write }: PgContext): BillingRepository {
  return {
    async getSubscription(customerId) {
      return read(async (db) => {
        const row = await db.selectFrom('subscriptions').selectAll().where('customer_id', '=', customerId)
          .orderBy(sql`status in ${ACTIVE_SUBSCRIPTION_STATUSES}`, 'desc')
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? toSubscription(row) : null;
      });
    },

    async getBillingAccount(customerId) {
      return read(async (db) => {
        const row = await db.selectFrom('billing_accounts').selectAll().where('customer_id', '=', customerId)
          .executeTakeFirst();
        return row ? toBillingAccount(row) : null;
      });
    },

    async listPayments(customerId, limit) {
      const n = clamp(limit, 10, 1, 100);
      return read(async (db) => {
        const rows = await db.selectFrom('payments').selectAll().where('customer_id', '=', customerId)
          .orderBy('paid_on', 'desc').orderBy('id', 'desc').limit(n).execute();
        return rows.map(toPayment);
      });
    },

    async updatePaymentMethod(customerId, maskedMethod, opts) {
      return write({ notFound: ['billing_account', customerId] }, opts?.audit, async (db) => {
        const row = await db.updateTable('billing_accounts')
          .set({ payment_method: maskedMethod, updated_at: nowIso() })
          .where('customer_id', '=', customerId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new NotFoundError('billing_account', customerId);
        return toBillingAccount(row);
      });
    },

    async setAutopay(customerId, settings, opts) {
      const day = settings.enabled ? settings.day : null;
      if (day !== null && !(Number.isInteger(day) && day >= 1 && day <= 28)) throw new ValidationError('autopay_day must be 1..28');
      return write({ notFound: ['billing_account', customerId] }, opts?.audit, async (db) => {
        // One conditional UPDATE: switching on needs a payment method on file at that moment;
        // an account that already has these settings is not touched (updated_at kept).
        const row = await db.updateTable('billing_accounts')
          .set({ autopay: settings.enabled, autopay_day: day, updated_at: nowIso() })
          .where('customer_id', '=', customerId)
          .where((eb) => eb.or([eb('autopay', '!=', settings.enabled), sql<boolean>`autopay_day is distinct from ${day}::integer`]))
          .$if(settings.enabled, (q) => q.where('payment_method', 'is not', null))
          .returningAll()
          .executeTakeFirst();
        if (row) return { account: toBillingAccount(row), changed: true };
        const current = await db.selectFrom('billing_accounts').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
        if (!current) throw new NotFoundError('billing_account', customerId);
        if (settings.enabled && current.payment_method === null) {
          throw new InvalidStateError('billing_account', customerId, 'no_payment_method', `Customer ${customerId} has no payment method on file`);
        }
        return { account: toBillingAccount(current), changed: false };
      });
    },

    async billingActivity(customerId, range) {
      const from = checkDay(range.from, 'from');
      const to = checkDay(range.to, 'to');
      return read(async (db) => {
        const [charges, payments] = await Promise.all([
          db.selectFrom('billing_charges').selectAll().where('customer_id', '=', customerId)
            .where('charged_on', '>=', from).where('charged_on', '<=', to)
            .orderBy('charged_on').orderBy('id').execute(),
          db.selectFrom('payments').selectAll().where('customer_id', '=', customerId)
            .where('paid_on', '>=', from).where('paid_on', '<=', to)
            .orderBy('paid_on').orderBy('id').execute(),
        ]);
        return { charges: charges.map(toCharge), payments: payments.map(toPayment) };
      });
    },

    async activityAfter(customerId, day, currency) {
      const after = checkDay(day, 'day');
      return read(async (db) => {
        // the sums as numeric text, turned into minor units without a double in between
        const row = await db.selectNoFrom([
          sql<string>`(select coalesce(sum(amount), 0)::text from billing_charges where customer_id = ${customerId} and charged_on > ${after}::date)`.as('charges'),
          sql<string>`(select coalesce(sum(amount), 0)::text from payments where customer_id = ${customerId} and paid_on > ${after}::date)`.as('payments'),
        ]).executeTakeFirstOrThrow();
        return { chargesMinor: decimalToMinor(row.charges, currency), paymentsMinor: decimalToMinor(row.payments, currency) };
      });
    },
  };
}
