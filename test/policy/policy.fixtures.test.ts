// The policy suite on the in-memory fixture store (a new store per test).
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { describePolicy } from './policy.suite.js';

describePolicy('fixtures', async () => {
  let current: FixtureRepository | undefined;
  return {
    name: 'fixtures',
    fresh: async () => {
      await current?.close();
      current = await FixtureRepository.load();
      return current;
    },
    teardown: async () => {
      await current?.close();
    },
  };
});
