import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describeVerifiedAccess } from './verified-access.suite.js';

describeVerifiedAccess('fixtures', async () => {
  const dataset = await loadDataset();
  return { fresh: async () => new FixtureRepository(dataset), teardown: async () => {} };
});
