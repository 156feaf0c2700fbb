// Bank accounts (read-only through the repository), cards (block/unblock as one conditional
// UPDATE each) and transactions (keyset pages over transactions_account_posted_idx) over
// Postgres.
import { sql, type Kysely } from 'kysely';
import { CardBlockReason } from '../../domain/index.js';
import { decodeTransactionCursor, encodeTransactionCursor } from '../cursor.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import type { BankingRepository, ListTransactionsOptions } from '../types.js';
import { clamp, nowIso, parseInstant, type PgContext } from './context.js';
import { toBankAccount, toCard, toTransaction } from './mappers.js';
import type { Database } from './schema.js';

const CARD_COLUMNS = ['id', 'customer_id', 'bank_account_id', 'brand', 'last4', 'status', 'block_reason', 'blocked_at', 'updated_at'] as const;
const TRANSACTION_COLUMNS = ['id', 'bank_account_id', 'posted_at', 'amount', 'currency', 'description', 'merchant', 'status', 'balance_after'] as const;

/** A LIKE pattern matching `text` literally anywhere (%, _ and \ escaped). */
const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function postgresBanking({ read, write }: PgContext): BankingRepository {
  return {
    async listBankAccounts(customerId, type) {
      return read(async (db) => {
        let q = db.selectFrom('bank_accounts').selectAll().where('customer_id', '=', customerId);
        if (type !== undefined) q = q.where('account_type', '=', type);
        const rows = await q.orderBy('account_type', 'asc').execute();
        return rows.map(toBankAccount);
      });
    },

    async listCards(customerId) {
      return read(async (db) => {
        const rows = await db.selectFrom('cards').select(CARD_COLUMNS).where('customer_id', '=', customerId)
          .orderBy('last4', 'asc').orderBy('id', 'asc').execute();
        return rows.map(toCard);
      });
    },

    async getCard(cardId) {
      return read(async (db) => {
        const row = await db.selectFrom('cards').select(CARD_COLUMNS).where('id', '=', cardId).executeTakeFirst();
        return row ? toCard(row) : null;
      });
    },

    async blockCard(cardId, reason, opts) {
      if (!CardBlockReason.safeParse(reason).success) throw new ValidationError('card block reason must be lost, stolen, suspected_fraud or temporary');
      return write({ notFound: ['card', cardId] }, opts?.audit, async (db) => {
        const now = nowIso();
        // The compare-and-set: a concurrent blocker waits on the row lock, re-checks the
        // WHERE and changes nothing, so exactly one caller blocks the card.
        const changed = await db.updateTable('cards')
          .set({ status: 'blocked', block_reason: reason, blocked_at: now, updated_at: now })
          .where('id', '=', cardId).where('status', '=', 'active')
          .returning(CARD_COLUMNS).executeTakeFirst();
        if (changed) return { card: toCard(changed), changed: true };
        const current = await db.selectFrom('cards').select(CARD_COLUMNS).where('id', '=', cardId).executeTakeFirst();
        if (!current) throw new NotFoundError('card', cardId);
        if (current.status === 'replaced') throw new InvalidStateError('card', cardId, 'replaced', `Card ${cardId} has been replaced`);
        return { card: toCard(current), changed: false };
      });
    },

    async unblockCard(cardId, opts) {
      return write({ notFound: ['card', cardId] }, opts?.audit, async (db) => {
        const changed = await db.updateTable('cards')
          .set({ status: 'active', block_reason: null, blocked_at: null, updated_at: nowIso() })
          .where('id', '=', cardId).where('status', '=', 'blocked').where('block_reason', '=', 'temporary')
          .returning(CARD_COLUMNS).executeTakeFirst();
        if (changed) return { card: toCard(changed), changed: true };
        const current = await db.selectFrom('cards').select(CARD_COLUMNS).where('id', '=', cardId).executeTakeFirst();
        if (!current) throw new NotFoundError('card', cardId);
        if (current.status === 'active') return { card: toCard(current), changed: false };
        const state = current.status === 'replaced' ? 'replaced' : current.block_reason ?? 'blocked';
        throw new InvalidStateError('card', cardId, state, `Card ${cardId} is ${current.status} (${state}); only a temporary block can be lifted`);
      });
    },

    async listTransactions(bankAccountId, opts = {}) {
      const limit = clamp(opts.limit, 20, 1, 100);
      return read(async (db) => {
        const rows = await transactionPageQuery(db, bankAccountId, opts).execute();
        const transactions = rows.slice(0, limit).map(toTransaction);
        const last = transactions[transactions.length - 1];
        return {
          transactions,
          next_cursor: rows.length > limit && last ? encodeTransactionCursor({ posted_at: last.posted_at, id: last.id }) : null,
        };
      });
    },
  };
}

/**
 * The statement of one transaction page (limit + 1 rows, to know whether more follow). Exported
 * so a test can EXPLAIN exactly what listTransactions runs: one account, a posted_at range and
 * the keyset position walk transactions_account_posted_idx in order; the amount and text filters
 * are checked on the rows it reads, and the LIMIT stops the walk.
 */
export function transactionPageQuery(db: Kysely<Database>, bankAccountId: string, opts: ListTransactionsOptions = {}) {
  const limit = clamp(opts.limit, 20, 1, 100);
  const after = opts.cursor === undefined ? undefined : decodeTransactionCursor(opts.cursor);
  const from = opts.from === undefined ? undefined : parseInstant(opts.from, 'from');
  const to = opts.to === undefined ? undefined : parseInstant(opts.to, 'to');
  let q = db.selectFrom('transactions').select(TRANSACTION_COLUMNS).where('bank_account_id', '=', bankAccountId);
  if (from !== undefined) q = q.where('posted_at', '>=', from);
  if (to !== undefined) q = q.where('posted_at', '<', to);
  if (after !== undefined) q = q.where(sql<boolean>`(posted_at, id) < (${after.posted_at}::timestamptz, ${after.id})`);
  if (opts.minAmount !== undefined) q = q.where(sql<boolean>`abs(amount) >= ${opts.minAmount}`);
  if (opts.maxAmount !== undefined) q = q.where(sql<boolean>`abs(amount) <= ${opts.maxAmount}`);
  if (opts.text !== undefined && opts.text !== '') {
    const pattern = containsPattern(opts.text);
    q = q.where((eb) => eb.or([eb('description', 'ilike', pattern), eb('merchant', 'ilike', pattern)]));
  }
  return q.orderBy('posted_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
}
