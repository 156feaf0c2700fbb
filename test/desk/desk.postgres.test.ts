// The desk tools on embedded PGlite always, and on real Postgres when DATABASE_URL is set.
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeDesk } from './desk.suite.js';

onPostgresBackends('support desk over MCP', (name, make) => describeDesk(name, make));
