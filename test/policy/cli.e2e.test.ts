// The built CLI as a user runs it: rate limits on by the profile's default and off with
// `--limits off` (benchmarks need that), the audit trail written by a stdio server and flushed
// when it shuts down, and `support-mcp audit` reading it back.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/index.js';
import { createDb, createPostgresRepository, migrateToLatest, seedDataset } from '../../src/repository/postgres/index.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { CLI, runCli } from '../server/cli.js';
import { codeOf } from './kit.js';

async function stdioClient(args: string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--log-level', 'warn', ...args],
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'policy-cli-test', version: '0' });
  await client.connect(transport);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

describe('rate limits end to end (stdio, fixtures)', () => {
  // 25 calls take well under a minute, so they span at most two minute windows: with 10 per
  // minute the first 10 always pass and at least 5 are refused, whatever the wall clock says.
  it('the support profile limits by default: 10 calls per minute in the conversation', async () => {
    const client = await stdioClient(['--profile', 'support', '--access', 'open']);
    try {
      const codes: string[] = [];
      for (let i = 0; i < 25; i++) codes.push(codeOf(await call(client, 'find_customer', { customer_id: 'CUST-20001' })));
      expect(codes.slice(0, 10)).toEqual(Array<string>(10).fill('ok'));
      expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5);
      expect(codes.filter((c) => c !== 'ok' && c !== 'RATE_LIMITED')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('--limits off: nothing is refused (what benchmarks run with)', async () => {
    for (const profile of ['support', 'banking']) {
      const client = await stdioClient(['--profile', profile, '--access', 'open', '--limits', 'off']);
      try {
        const tool = profile === 'banking' ? 'lookup_customer' : 'find_customer';
        const args = profile === 'banking' ? { customerId: 'CUST-001' } : { customer_id: 'CUST-20001' };
        const codes: string[] = [];
        for (let i = 0; i < 25; i++) {
          const r = await call(client, tool, args);
          // the banking contract's envelope differs; any error here fails the test
          codes.push(r.isError ? JSON.stringify(r.content).slice(0, 200) : 'ok');
        }
        expect(codes, profile).toEqual(Array<string>(25).fill('ok'));
      } finally {
        await client.close();
      }
    }
  });
});

describe('support-mcp audit', () => {
  it('fixtures mode has no shared store: says so and exits 2', async () => {
    const r = await runCli(['audit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no database/);
    expect(r.stderr).toMatch(/fixtures-mode server has no shared store/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad arguments are configuration errors (exit 2)', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/none';
    for (const args of [['--limit', '0'], ['--limit', 'ten'], ['--since', 'yesterday'], ['--since', '2025-01-31T09:00:00'], ['--customer', ' '], ['--bogus']]) {
      const r = await runCli(['audit', '--database-url', url, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const help = await runCli(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--customer ID/);
  });

  describe('on a database', () => {
    let server: PGliteServer;
    beforeAll(async () => {
      server = await startPGliteServer();
      const migrate = await runCli(['db', 'migrate', '--database-url', server.connectionString]);
      expect(migrate.code, migrate.stderr).toBe(0);
      const seed = await runCli(['db', 'seed', '--database-url', server.connectionString]);
      expect(seed.code, seed.stderr).toBe(0);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('a stdio server audits every call, flushes on shutdown, and `audit` prints the entries', async () => {
      const client = await stdioClient(['--database-url', server.connectionString, '--db-pool-size', '1', '--access', 'open', '--limits', 'off']);
      try {
        expect(codeOf(await call(client, 'find_customer', { email: 'jane.smith@acme.com' }))).toBe('ok');
        expect(codeOf(await call(client, 'get_order', { order_id: 'ORD-2024-1100' }))).toBe('ok');
        expect(codeOf(await call(client, 'get_order', { order_id: 'ORD-NOPE' }))).toBe('NOT_FOUND');
        expect(codeOf(await call(client, 'cancel_order', { order_id: 'ORD-2024-9999' }))).toBe('ok');
      } finally {
        await client.close(); // stdin closes: the server flushes its audit buffer and exits
      }
      const json = await runCli(['audit', '--database-url', server.connectionString, '--json']);
      expect(json.code, json.stderr).toBe(0);
      const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
      expect(rows.map((r) => `${r.tool}:${r.error_code ?? 'ok'}`).sort()).toEqual(
        ['cancel_order:ok', 'find_customer:ok', 'get_order:NOT_FOUND', 'get_order:ok'],
      );
      expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(1);
      expect(new Set(rows.map((r) => r.principal))).toEqual(new Set(['stdio'])); // the process is the principal
      expect(json.stdout).not.toContain('jane.smith@acme.com');

      const table = await runCli(['audit', '--database-url', server.connectionString, '--customer', 'CUST-20003']);
      expect(table.code, table.stderr).toBe(0);
      const lines = table.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^AT\s+PRINCIPAL\s+CONVERSATION\s+TOOL\s+CUSTOMER\s+OUTCOME\s+CODE\s+MS\s+ARGS$/);
      expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['stdio', 'stdio', 'stdio']);
      expect(lines.slice(1).map((l) => l.split(/\s+/)[3]).sort()).toEqual(['cancel_order', 'find_customer', 'get_order']);
    });

    it('--customer, --since and --limit select; the newest N are printed oldest first', async () => {
      const repo = createPostgresRepository({ connectionString: server.connectionString, max: 1 });
      const at = (iso: string) => ({ conversation_id: 'cli-audit', customer_id: 'CUST-20001', outcome: 'ok' as const, error_code: null, duration_ms: 3, args: {}, at: iso });
      try {
        await repo.appendAudit([
          { ...at('2031-01-01T00:00:00.000Z'), tool: 'first' },
          { ...at('2031-01-01T00:00:01.000Z'), tool: 'second' },
          { ...at('2031-01-01T00:00:02.000Z'), tool: 'third', customer_id: 'CUST-20004' },
        ]);
      } finally {
        await repo.close();
      }
      const run = async (...args: string[]) => {
        const r = await runCli(['audit', '--database-url', server.connectionString, '--json', ...args]);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as AuditEntry).tool);
      };
      expect(await run('--since', '2031-01-01T00:00:00Z')).toEqual(['first', 'second', 'third']);
      expect(await run('--since', '2031-01-01', '--limit', '2')).toEqual(['second', 'third']);
      expect(await run('--since', '2031-01-01T00:00:00Z', '--customer', 'CUST-20001')).toEqual(['first', 'second']);
      expect(await run('--since', '2031-01-01T01:00:00+01:00', '--customer', 'CUST-20004')).toEqual(['third']);
      expect(await run('--since', '1h', '--customer', 'CUST-20004')).toEqual(['third']); // at or after an hour ago (2031 is later)
      const none = await runCli(['audit', '--database-url', server.connectionString, '--customer', 'CUST-NOBODY']);
      expect(none.code).toBe(0);
      expect(none.stderr).toMatch(/no audit entries match/);
    });
  });
});

// `support-mcp audit` against a real server: a fresh schema named through the URL's options.
describe.skipIf(!process.env.DATABASE_URL)('support-mcp audit [postgres]', () => {
  const schema = `cli_audit_${Date.now().toString(36)}_${process.pid}`;
  const db = process.env.DATABASE_URL ? createDb({ connectionString: process.env.DATABASE_URL, schema, max: 1 }) : undefined;
  afterAll(async () => {
    if (!db) return;
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  });

  it('prints the entries of the schema in the URL', async () => {
    await migrateToLatest(db!);
    await seedDataset(db!, await loadDataset(), { replace: true });
    const repo = createPostgresRepository({ connectionString: process.env.DATABASE_URL!, schema, max: 1 });
    await repo.appendAudit([{ conversation_id: 'pg-cli', tool: 'get_order', customer_id: 'CUST-20003', outcome: 'error', error_code: 'NOT_FOUND', duration_ms: 2, args: {} }]);
    await repo.close();
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const r = await runCli(['audit', '--database-url', url.toString(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry)).toMatchObject([
      { conversation_id: 'pg-cli', tool: 'get_order', customer_id: 'CUST-20003', outcome: 'error', error_code: 'NOT_FOUND' },
    ]);
  });
});
