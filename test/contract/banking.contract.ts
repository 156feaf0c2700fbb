// The banking part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { BankAccount } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { expectShape, type ContractSuite } from './kit.js';

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
}
