import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describeReturns } from './returns.suite.js';

describeReturns('fixtures', async () => {
  const dataset = await loadDataset();
  return { fresh: async () => new FixtureRepository(dataset), teardown: async () => {} };
});
