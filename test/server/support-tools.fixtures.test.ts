import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { describeSupportTools } from './support-tools.suite.js';

describeSupportTools('fixtures', async () => {
  const dataset = await loadDataset();
  return { fresh: async () => new FixtureRepository(dataset), teardown: async () => {} };
});
