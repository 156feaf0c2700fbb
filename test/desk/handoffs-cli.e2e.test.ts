// `support-mcp handoffs` as an operator (or a help desk in a demo) runs it: the built CLI on a
// database where a stdio server took a transfer_to_agent call from an unverified caller.
// (Not --read-only here: PGlite is one session, so a read-only data pool would make the control
// pool read-only too; read-only with a writable handoff queue is tested on real Postgres in
// test/policy/read-only.postgres.test.ts.)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { CLI, runCli as run } from '../server/cli.js';

describe('support-mcp handoffs [pglite]', () => {
  let server: PGliteServer;
  beforeAll(async () => {
    server = await startPGliteServer();
    expect((await run(['db', 'migrate', '--database-url', server.connectionString])).code).toBe(0);
    expect((await run(['db', 'seed', '--database-url', server.connectionString])).code).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists the handoff a read-only server recorded, accepts and closes it; bad ids and no database are errors', async () => {
    const empty = await run(['handoffs', '--database-url', server.connectionString]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/no open handoffs/);

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--database-url', server.connectionString, '--log-level', 'warn', '--profile', 'banking'],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'handoffs-cli-test', version: '0' });
    await client.connect(transport);
    let handoffId: string;
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('transfer_to_agent');
      const r = await client.callTool({ name: 'transfer_to_agent', arguments: { reason: 'cannot_verify', summary: 'Caller lost their phone and cannot verify; card may be stolen.', queue: 'cards', customerId: 'CUST-002' } });
      const env = JSON.parse((r.content as { text: string }[])[0]!.text) as { success: boolean; data: { handoffId: string; queuePosition: number } };
      expect(env.success, JSON.stringify(env)).toBe(true);
      expect(env.data.queuePosition).toBe(1);
      handoffId = env.data.handoffId;
    } finally {
      await client.close();
    }

    const listed = await run(['handoffs', '--json'], { DATABASE_URL: server.connectionString });
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([expect.objectContaining({ id: handoffId, status: 'open', queue: 'cards', reason: 'cannot_verify', customer_id: 'CUST-002', customer_verified: false, principal: 'stdio' })]);
    const table = await run(['handoffs', '--database-url', server.connectionString]);
    expect(table.stdout).toMatch(/CREATED +ID +STATUS +QUEUE/);
    expect(table.stdout).toMatch(/CUST-002 \(unverified\)/);

    const accepted = await run(['handoffs', '--accept', handoffId, '--database-url', server.connectionString]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toBe(`handoff ${handoffId} is accepted\n`);
    expect((await run(['handoffs', '--close', handoffId, '--database-url', server.connectionString])).stdout).toBe(`handoff ${handoffId} is closed\n`);
    const reaccept = await run(['handoffs', '--accept', handoffId, '--database-url', server.connectionString]);
    expect(reaccept.code).toBe(2);
    expect(reaccept.stderr).toMatch(/closed/);
    expect((await run(['handoffs', '--close', 'nope', '--database-url', server.connectionString])).code).toBe(2);
    const all = await run(['handoffs', '--all', '--json', '--database-url', server.connectionString]);
    expect(JSON.parse(all.stdout.trim()).status).toBe('closed');
    const noDb = await run(['handoffs']);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/needs a Postgres database/);
  }, 60_000);
});
