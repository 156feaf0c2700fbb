// Verified access on the Postgres backend: embedded PGlite always (pg driver over
// pglite-socket), and the real server when DATABASE_URL is set (own schema, dropped afterwards).
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeVerifiedAccess } from './verified-access.suite.js';

onPostgresBackends('verified access over MCP', describeVerifiedAccess);
