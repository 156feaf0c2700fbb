// The security suites on the Postgres backend: embedded PGlite always (pg driver over
// pglite-socket), and the real server when DATABASE_URL is set (own schema, dropped afterwards).
import { onPostgresBackends } from '../support/fixture-backends.js';
import { describeSecurity } from './security.suite.js';

onPostgresBackends('security', (name, make) => describeSecurity(name, async () => ({ name, ...(await make()) })));
