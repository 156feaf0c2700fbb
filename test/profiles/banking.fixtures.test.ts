import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describeBankingTools } from './banking.suite.js';

describeBankingTools('fixtures', async () => ({
  dataset: await loadDataset(),
  backend: { fresh: async (dataset) => new FixtureRepository(dataset), teardown: async () => {} },
}));
