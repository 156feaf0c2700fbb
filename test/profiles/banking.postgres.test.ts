// The banking profile's golden tests on the Postgres backend: embedded PGlite always (pg driver
// over pglite-socket), and the real server when DATABASE_URL is set (own schema, dropped after).
import { loadDataset } from '../../src/repository/dataset.js';
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeBankingTools } from './banking.suite.js';

onPostgresBackends('banking profile over MCP', (name, make) =>
  describeBankingTools(name, async () => ({ backend: await make(), dataset: await loadDataset() })));
