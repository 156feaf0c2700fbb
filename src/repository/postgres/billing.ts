// Subscriptions, billing accounts and payments over Postgres.
import { sql } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { BillingRepository } from '../types.js';
import { clamp, nowIso, type PgContext } from './context.js';
import { toBillingAccount, toPayment, toSubscription } from './mappers.js';

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
  };
}
