// The contract suite against the in-memory fixture store. reset() builds a new instance from
// a fresh copy of the contract data set, so every test starts from the same state.
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { contractDataset } from './dataset.js';
import { describeRepositoryContract, type ContractContext } from './repository.contract.js';

describeRepositoryContract('fixtures', 'fixtures', async () => {
  const ctx: ContractContext = {
    repo: new FixtureRepository(contractDataset()),
    async reset() {
      await ctx.repo.close();
      ctx.repo = new FixtureRepository(contractDataset());
    },
    async teardown() {
      await ctx.repo.close();
    },
  };
  return ctx;
});
