// Statements on PGlite always, and on the real server when DATABASE_URL is set.
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeStatements } from './statements.suite.js';

onPostgresBackends('statements over MCP', describeStatements);
