import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describeDesk } from './desk.suite.js';

describeDesk('fixtures', async () => {
  const dataset = await loadDataset();
  return { fresh: async (ds = dataset) => new FixtureRepository(ds), teardown: async () => {} };
});
