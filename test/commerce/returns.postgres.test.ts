// Returns on PGlite always, and on the real server when DATABASE_URL is set.
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeReturns } from './returns.suite.js';

onPostgresBackends('returns over MCP', describeReturns);
