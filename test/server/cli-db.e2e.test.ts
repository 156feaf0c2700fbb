// `support-mcp db migrate` / `db seed` / `fixtures generate` as a user runs them (the built
// CLI in a child process), then a stdio server on the seeded database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { CLI, runCli as run } from './cli.js';


interface Target { url: string; teardown(): Promise<void> }

const targets: [string, () => Promise<Target>][] = [
  ['pglite', async () => {
    const server: PGliteServer = await startPGliteServer();
    return { url: server.connectionString, teardown: () => server.stop() };
  }],
];
if (process.env.DATABASE_URL) {
  targets.push(['postgres', async () => {
    // A fresh, empty database: exactly what a user starts from.
    const name = `support_mcp_cli_${Date.now().toString(36)}_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      teardown: async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`drop database if exists "${name}" with (force)`);
        await c.end();
      },
    };
  }]);
}

describe.each(targets)('support-mcp db commands [%s]', (_name, make) => {
  let target: Target;
  beforeAll(async () => {
    target = await make();
  });
  afterAll(async () => {
    await target?.teardown();
  });

  it('migrate, seed, refuse a second seed, replace, then serve the data over stdio', async () => {
    const first = await run(['db', 'migrate', '--database-url', target.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/applied: 0001_init/);
    const again = await run(['db', 'migrate'], { DATABASE_URL: target.url });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/up to date/);

    const seed = await run(['db', 'seed', '--database-url', target.url]);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stderr).toMatch(/customers=35/);
    const twice = await run(['db', 'seed', '--database-url', target.url]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already has customers/);
    expect(twice.stderr).toMatch(/--replace/); // the flag's name, as typed
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    const replace = await run(['db', 'seed', '--replace', '--database-url', target.url]);
    expect(replace.code, replace.stderr).toBe(0);

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--database-url', target.url, '--log-level', 'warn', '--access', 'open', '--limits', 'off'],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'cli-db-test', version: '0' });
    await client.connect(transport);
    try {
      const r = await client.callTool({ name: 'find_customer', arguments: { email: 'customer@email.com' } });
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { customer: { id: string } }).customer.id).toBe('CUST-12345');
      const c = await client.callTool({ name: 'cancel_order', arguments: { order_id: '28164' } });
      expect((c.structuredContent as { order: { status: string } }).order.status).toBe('cancelled');
    } finally {
      await client.close();
    }
  });

  it('a bad database URL is a configuration error (exit 2)', async () => {
    const r = await run(['db', 'migrate', '--database-url', 'mysql://nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/postgres:\/\//);
  });
});

describe('support-mcp fixtures generate', () => {
  it('writes a data set that --fixtures loads', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'support-mcp-gen-'));
    try {
      const r = await run(['fixtures', 'generate', '--customers', '50', '--orders-per-customer', '3', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/customers=50 orders=150/);
      // stdin is closed at once, so the server loads the data set, then exits 0
      const serve = await run(['--fixtures', out, '--log-level', 'info']);
      expect(serve.code, serve.stderr).toBe(0);
      expect(serve.stderr).toMatch(/support-mcp ready/);
      const bad = await run(['fixtures', 'generate', '--customers', 'many', '--out', out]);
      expect(bad.code).toBe(2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
