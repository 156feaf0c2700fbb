// The arena profile on the Postgres backend seeded with the shipped fixtures: embedded PGlite
// always, and the real server when DATABASE_URL is set (own schema, dropped afterwards).
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeArenaProfile } from './arena.suite.js';

onPostgresBackends('arena profile over MCP', describeArenaProfile);
