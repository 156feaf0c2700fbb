// The support tools through a real MCP client, on the Postgres backend seeded with the
// shipped fixtures: embedded PGlite always (pg driver over pglite-socket), and the real
// server when DATABASE_URL is set (own schema, dropped afterwards).
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeSupportTools } from './support-tools.suite.js';

onPostgresBackends('support profile tools over MCP', describeSupportTools);
