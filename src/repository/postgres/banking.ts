// Bank accounts over Postgres (read-only through the repository).
import type { BankingRepository } from '../types.js';
import type { PgContext } from './context.js';
import { toBankAccount } from './mappers.js';

export function postgresBanking({ read }: PgContext): BankingRepository {
  return {
    async listBankAccounts(customerId, type) {
      return read(async (db) => {
        let q = db.selectFrom('bank_accounts').selectAll().where('customer_id', '=', customerId);
        if (type !== undefined) q = q.where('account_type', '=', type);
        const rows = await q.orderBy('account_type', 'asc').execute();
        return rows.map(toBankAccount);
      });
    },
  };
}
