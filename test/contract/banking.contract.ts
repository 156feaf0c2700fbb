// The banking part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { BankAccount, Card, Transaction } from '../../src/domain/index.js';
import { compareTransactionsNewestFirst } from '../../src/repository/cursor.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { Dataset } from '../../src/repository/dataset.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { auditEntriesFor, auditEntry, expectRecent, expectRejects, expectShape, uid, type ContractSuite } from './kit.js';

export function describeBankingContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('listBankAccounts', () => {
    it('lists all accounts ordered by account_type ascending', async () => {
      const accounts = await repo.listBankAccounts(IDS.alice);
      expect(accounts.map((a) => a.account_type)).toEqual(['checking', 'credit', 'savings']);
      for (const a of accounts) {
        expectShape(BankAccount, a, 'bank account');
        expect(a).toEqual(ds.bank_accounts.find((b) => b.id === a.id));
      }
      expect(accounts.find((a) => a.account_type === 'credit')?.balance).toBe(300.1);
    });

    it('filters by type', async () => {
      const credit = await repo.listBankAccounts(IDS.alice, 'credit');
      expect(credit).toEqual([ds.bank_accounts.find((b) => b.id === 'ba_a_cre')]);
      expect(await repo.listBankAccounts(IDS.dave, 'savings')).toEqual([]);
      expect((await repo.listBankAccounts(IDS.dave, 'checking'))[0]?.balance).toBe(-12.34);
    });

    it('is empty for customers without accounts', async () => {
      expect(await repo.listBankAccounts(IDS.bob)).toEqual([]);
      expect(await repo.listBankAccounts(IDS.missingCustomer, 'checking')).toEqual([]);
    });
  });

  describe('cards', () => {
    it('lists a customer\'s cards by last4 then id, every status, exactly as loaded', async () => {
      const cards = await repo.listCards(IDS.alice);
      expect(cards.map((c) => c.id)).toEqual(['card_a_stolen', 'card_a_1', 'card_a_2', 'card_a_tmp', 'card_a_old']);
      for (const c of cards) {
        expectShape(Card, c, 'card');
        expect(c).toEqual(ds.cards.find((x) => x.id === c.id));
      }
      expect(await repo.listCards(IDS.carol)).toEqual([]);
      expect(await repo.listCards(IDS.missingCustomer)).toEqual([]);
      expect(await repo.getCard('card_d_1')).toEqual(ds.cards.find((c) => c.id === 'card_d_1'));
      expect(await repo.getCard('card_missing')).toBeNull();
    });

    it('blockCard: active → blocked once, with its audit entry; a retry reports changed=false, changes nothing, and still records its own entry', async () => {
      const since = Date.now();
      const conv = uid('conv');
      const first = await repo.blockCard('card_a_2', 'stolen', { audit: auditEntry(conv, 'block_card', IDS.alice) });
      expect(first.changed).toBe(true);
      expectShape(Card, first.card, 'card');
      expect(first.card).toMatchObject({ id: 'card_a_2', status: 'blocked', block_reason: 'stolen' });
      expectRecent(first.card.blocked_at, since, 'blocked_at');
      expect(first.card.updated_at).toBe(first.card.blocked_at);
      const again = await repo.blockCard('card_a_2', 'lost', { audit: auditEntry(conv, 'block_card', IDS.alice) });
      expect(again).toEqual({ card: first.card, changed: false });
      expect(await repo.getCard('card_a_2')).toEqual(first.card);
      expect((await auditEntriesFor(repo, conv)).map((e) => e.tool)).toEqual(['block_card', 'block_card']);
    });

    it('blockCard: concurrent calls change the card exactly once', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repo.blockCard('card_a_1', i % 2 ? 'lost' : 'suspected_fraud')));
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      const winner = results.find((r) => r.changed)!.card;
      for (const r of results) expect(r.card).toEqual(winner);
    });

    it('blockCard refuses a replaced card and an unknown one; an invalid reason is a ValidationError', async () => {
      await expectRejects(repo.blockCard('card_a_old', 'lost'), InvalidStateError, { entity: 'card', id: 'card_a_old', state: 'replaced' });
      await expectRejects(repo.blockCard('card_missing', 'lost'), NotFoundError, { entity: 'card', id: 'card_missing' });
      await expectRejects(repo.blockCard('card_a_2', 'bored' as never), ValidationError);
      expect((await repo.getCard('card_a_2'))?.status).toBe('active');
    });

    it('unblockCard lifts only a temporary block; lost/stolen/fraud and replaced cards refuse with their state', async () => {
      const since = Date.now();
      const lifted = await repo.unblockCard('card_a_tmp');
      expect(lifted.changed).toBe(true);
      expect(lifted.card).toMatchObject({ status: 'active', block_reason: null, blocked_at: null });
      expectRecent(lifted.card.updated_at, since, 'updated_at');
      expect(await repo.unblockCard('card_a_tmp')).toEqual({ card: lifted.card, changed: false });
      await expectRejects(repo.unblockCard('card_a_stolen'), InvalidStateError, { entity: 'card', state: 'stolen' });
      await expectRejects(repo.unblockCard('card_a_old'), InvalidStateError, { entity: 'card', state: 'replaced' });
      await expectRejects(repo.unblockCard('card_missing'), NotFoundError, { entity: 'card' });
      expect(await repo.getCard('card_a_stolen')).toEqual(ds.cards.find((c) => c.id === 'card_a_stolen'));
    });
  });

  describe('listTransactions', () => {
    const expected = (accountId: string): Transaction[] =>
      ds.transactions.filter((t) => t.bank_account_id === accountId).sort(compareTransactionsNewestFirst);

    it('newest first (ties by id desc), default page 20, exact shapes; keyset pages walk every row once', async () => {
      const first = await repo.listTransactions('ba_a_chk');
      expect(first.transactions).toHaveLength(20);
      for (const t of first.transactions) expectShape(Transaction, t, 'transaction');
      expect(first.transactions).toEqual(expected('ba_a_chk').slice(0, 20));
      // tx_a_28 and tx_a_29 share an instant: the id breaks the tie
      expect(first.transactions.slice(0, 2).map((t) => t.id)).toEqual(['tx_a_29', 'tx_a_28']);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.listTransactions('ba_a_chk', { limit: 7, cursor });
        expect(page.transactions.length).toBeLessThanOrEqual(7);
        ids.push(...page.transactions.map((t) => t.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      expect(ids).toEqual(expected('ba_a_chk').map((t) => t.id));
    });

    it('filters: date range [from, to), absolute amount bounds, text in description or merchant (case-insensitive, literal % and _)', async () => {
      const all = expected('ba_a_chk');
      const range = await repo.listTransactions('ba_a_chk', { from: '2024-10-03T00:00:00.000Z', to: '2024-10-05T00:00:00.000Z', limit: 100 });
      expect(range.transactions).toEqual(all.filter((t) => t.posted_at >= '2024-10-03T00:00:00.000Z' && t.posted_at < '2024-10-05T00:00:00.000Z'));
      expect(range.transactions).toHaveLength(4);
      const amounts = await repo.listTransactions('ba_a_chk', { minAmount: 50, maxAmount: 1010, limit: 100 });
      expect(amounts.transactions).toEqual(all.filter((t) => Math.abs(t.amount) >= 50 && Math.abs(t.amount) <= 1010));
      expect(amounts.transactions.some((t) => t.amount > 0) && amounts.transactions.some((t) => t.amount < 0)).toBe(true);
      const text = await repo.listTransactions('ba_a_chk', { text: 'BLUE bottle', limit: 100 });
      expect(text.transactions.map((t) => t.id)).toEqual(all.filter((t) => t.merchant === 'Blue Bottle').map((t) => t.id));
      expect((await repo.listTransactions('ba_a_chk', { text: '100%', limit: 100 })).transactions).toHaveLength(text.transactions.length);
      expect((await repo.listTransactions('ba_a_chk', { text: 'arabica_', limit: 100 })).transactions).toHaveLength(text.transactions.length);
      expect((await repo.listTransactions('ba_a_chk', { text: '%', limit: 100 })).transactions).toHaveLength(text.transactions.length);
      expect((await repo.listTransactions('ba_a_chk', { text: 'a_ab', limit: 100 })).transactions).toEqual([]);
      // a filtered walk pages through the matching rows only
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.listTransactions('ba_a_chk', { text: 'groceries', limit: 3, cursor });
        paged.push(...page.transactions.map((t) => t.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      expect(paged).toEqual(all.filter((t) => t.description === 'Groceries').map((t) => t.id));
    });

    it('an exact last page has no next cursor; unknown accounts give an empty page; other accounts are separate', async () => {
      const page = await repo.listTransactions('ba_d_chk', { limit: 2 });
      expect(page).toEqual({ transactions: expected('ba_d_chk'), next_cursor: null });
      expect(await repo.listTransactions('ba_missing')).toEqual({ transactions: [], next_cursor: null });
      expect(await repo.listTransactions('ba_a_sav')).toEqual({ transactions: [], next_cursor: null });
    });

    it('a bad cursor is a ValidationError (garbage, or an order cursor)', async () => {
      await expectRejects(repo.listTransactions('ba_a_chk', { cursor: 'garbage' }), ValidationError);
      const orders = await repo.listOrders(IDS.alice, { limit: 1 });
      await expectRejects(repo.listTransactions('ba_a_chk', { cursor: orders.next_cursor! }), ValidationError);
    });
  });
}
