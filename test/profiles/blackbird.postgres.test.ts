// The blackbird profile through a real MCP client, on the Postgres backend seeded with the
// shipped fixtures: embedded PGlite always (pg driver over pglite-socket), and the real
// server when DATABASE_URL is set (own schema, dropped afterwards).
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeBlackbird } from './blackbird.suite.js';

onPostgresBackends('blackbird profile over MCP', describeBlackbird);
