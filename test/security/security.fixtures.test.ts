import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describeSecurity } from './security.suite.js';

describeSecurity('fixtures', async () => {
  const dataset = await loadDataset();
  return { name: 'fixtures', fresh: async () => new FixtureRepository(dataset), teardown: async () => {} };
});
