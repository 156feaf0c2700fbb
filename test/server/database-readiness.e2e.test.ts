// A database that is not ready says so (issue 16): the built CLI started against a reachable
// database whose schema does not fit the binary stops with one line naming the fix (exit 2),
// applies the migrations with --migrate, refuses to write to a newer schema, and /readyz
// names the problem; an unreachable one is served anyway, with host, port and the driver's
// reason in the log.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/repository/postgres/migrations.js';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { CLI, runCli, startHttpServer } from './cli.js';

const LAST = MIGRATIONS.at(-1)!;

describe('database readiness at start-up and in /readyz [pglite]', () => {
  let db: PGliteServer;
  const sqlRun = async (...statements: string[]) => {
    const c = new pg.Client({ connectionString: db.connectionString });
    await c.connect();
    try {
      let rows: Record<string, unknown>[] = [];
      for (const text of statements) rows = (await c.query(text)).rows as Record<string, unknown>[];
      return rows;
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    db = await startPGliteServer();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('no migrations applied: one line naming `support-mcp db migrate`, exit 2, over stdio and HTTP (no port opened)', async () => {
    const r = await runCli(['--database-url', db.connectionString, '--db-pool-size', '1']);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
    expect(lines).toEqual([expect.stringMatching(/^support-mcp: the database has no support-mcp schema \(no migrations applied\): run `support-mcp db migrate`/)]);
    await expect(startHttpServer(['--database-url', db.connectionString, '--db-pool-size', '1'])).rejects.toThrow(/exited with 2[\s\S]*support-mcp db migrate/);
  });

  it('--migrate applies every migration first, then serves', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--database-url', db.connectionString, '--db-pool-size', '1', '--migrate', '--access', 'open', '--limits', 'off'],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    const logs: string[] = [];
    transport.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    const client = new Client({ name: 'readiness', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = await client.callTool({ name: 'find_customer', arguments: { email: 'nobody@example.com' } });
      expect(JSON.stringify(r.structuredContent ?? r.content)).toContain('NOT_FOUND'); // the schema is there (no data seeded)
    } finally {
      await client.close();
    }
    expect(logs.join('')).toMatch(/"applied":\["0001_init".*"msg":"applied pending migrations \(--migrate\)"/);
    expect((await sqlRun('select name from kysely_migration order by name')).map((r) => r.name)).toEqual([...MIGRATIONS]);
  });

  it('a schema behind the binary names the pending migrations and exits 2; /readyz says the same while running', async () => {
    const server = await startHttpServer(['--database-url', db.connectionString, '--db-pool-size', '1']);
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await sqlRun(`delete from kysely_migration where name = '${LAST}'`);
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reason: string }).reason).toMatch(new RegExp(`pending migrations: ${LAST}\\): run \`support-mcp db migrate\``));
    } finally {
      await server.stop();
    }
    const r = await runCli(['--database-url', db.connectionString, '--db-pool-size', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`support-mcp: the database schema is older than this support-mcp (pending migrations: ${LAST}): run \`support-mcp db migrate\``);
    await sqlRun(`insert into kysely_migration (name, timestamp) values ('${LAST}', now())`);
  });

  it('a schema newer than the binary: refuses to write (exit 2) unless --read-only; db migrate says so too', async () => {
    await sqlRun(`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', now())`);
    try {
      const r = await runCli(['--database-url', db.connectionString, '--db-pool-size', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('support-mcp: the database schema is newer than this support-mcp (migrations it does not know: 9999_from_the_future): refusing to write to it');
      const ro = await runCli(['--database-url', db.connectionString, '--db-pool-size', '1', '--read-only']);
      expect(ro.code, ro.stderr).toBe(0);
      expect(ro.stderr).toMatch(/"unknown_migrations":\["9999_from_the_future"\].*serving read-only/);
      const migrate = await runCli(['db', 'migrate', '--database-url', db.connectionString]);
      expect(migrate.code).toBe(2);
      expect(migrate.stderr).toMatch(/newer than this support-mcp \(migrations it does not know: 9999_from_the_future\)/);
    } finally {
      // PGlite is one backend session for every connection: the read-only server's session setting outlives it
      await sqlRun('set default_transaction_read_only = off', `delete from kysely_migration where name = '9999_from_the_future'`);
    }
  });

  it('an unreachable database: starts anyway, and the log names host, port and the driver\'s reason', async () => {
    const r = await runCli(['--database-url', 'postgres://support@127.0.0.1:1/nowhere']);
    expect(r.code, r.stderr).toBe(0); // stdin closed at once: a normal stop
    const warn = r.stderr.split('\n').filter((l) => l.includes('not reachable')).map((l) => JSON.parse(l) as Record<string, unknown>)[0];
    expect(warn).toMatchObject({ host: '127.0.0.1', port: 1, database: 'nowhere', driver_code: 'ECONNREFUSED' });
    expect(warn?.reason).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(warn)).not.toContain('support@'); // no credentials
  });
});
