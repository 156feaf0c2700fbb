// The built CLI as deployed: stateless Streamable HTTP with the support profile's default
// verified access. A conversation is the explicit conversation_id argument; the one-time code
// is read by `support-mcp outbox` in a separate process, from the file a fixtures-mode server
// writes and from the Postgres outbox table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { runCli, startHttpServer, type RunningServer } from '../server/cli.js';
import { dataOf, errorOf } from '../server/harness.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = 'CUST-20003';

const connectClient = async (url: string): Promise<Client> => {
  const client = new Client({ name: 'stateless-e2e', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
};
const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

/** `support-mcp outbox --json …` → the pending message of this verification. */
const outboxCode = async (args: string[], verificationId: string, env: Record<string, string> = {}): Promise<string> => {
  const r = await runCli(['outbox', '--json', ...args], env);
  expect(r.code, r.stderr).toBe(0);
  const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  const row = rows.find((m) => m.verification_id === verificationId);
  expect(row, r.stdout).toMatchObject({ customer_id: A, state: 'pending', channel: 'email', destination: 'jane.smith@acme.com' });
  return row!.code as string;
};

describe('stateless HTTP with verified access (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'support-mcp-outbox-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('fixtures: outbox file', () => {
    let server: RunningServer;
    let file: string;
    beforeAll(async () => {
      file = path.join(dir, 'outbox.jsonl');
      // default access for the support profile is verified; limits off: this is not a rate-limit test
      server = await startHttpServer(['--fixtures', '--outbox-file', file, '--limits', 'off']);
    });
    afterAll(async () => {
      expect(await server.stop('SIGTERM')).toBe(0);
    });

    it('every tool takes conversation_id; verification happens in the conversation the server hands out', async () => {
      const client = await connectClient(server.url);
      const { tools } = await client.listTools();
      for (const t of tools) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).toContain('conversation_id');

      const started = dataOf<Obj>(await call(client, 'verify_identity', { customer_id: A, method: 'otp' }));
      expect(started).toMatchObject({ status: 'pending', delivered_to: 'j***@acme.com' });
      const conversation = started.conversation_id as string;
      expect(conversation).toMatch(/^http-[0-9a-f-]{36}$/);
      expect(started.message).toMatch(/conversation_id/);

      // the operator's demo tool, another process, reads the code from the file
      const code = await outboxCode(['--outbox-file', file], started.verification_id);
      const table = await runCli(['outbox', '--outbox-file', file]);
      expect(table.stdout).toMatch(/CUSTOMER\s+CHANNEL\s+DESTINATION\s+CODE\s+EXPIRES/);
      expect(table.stdout).toContain(code);

      const done = dataOf<Obj>(await call(client, 'verify_identity', {
        customer_id: A, method: 'otp', verification_id: started.verification_id, code, conversation_id: conversation,
      }));
      expect(done).toMatchObject({ status: 'verified', conversation_id: conversation });
      expect(dataOf<Obj>(await call(client, 'get_subscription', { customer_id: A, conversation_id: conversation })).subscription.id).toBe('SUB-7890');
      // without it every request is a conversation of its own: nothing is unlocked
      expect(errorOf(await call(client, 'get_subscription', { customer_id: A })).code).toBe('AUTH_REQUIRED');
      expect(errorOf(await call(client, 'get_subscription', { customer_id: A, conversation_id: 'guessed-conversation' })).code).toBe('AUTH_REQUIRED');
      expect(dataOf<Obj>(await call(client, 'find_customer', { customer_id: A })).verification_required).toBe(true);
      await client.close();

      // the code was consumed, but a demo file is append-only and never marked sent: --all
      // shows the message's row, still in state pending (it has not expired yet)
      const all = await runCli(['outbox', '--outbox-file', file, '--all']);
      expect(all.code, all.stderr).toBe(0);
      const lines = all.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^CREATED\s+CUSTOMER\s+CHANNEL\s+DESTINATION\s+CODE\s+EXPIRES\s+STATE$/);
      expect(lines, all.stdout).toHaveLength(2); // this file holds the one message of this test
      expect(lines[1]).toMatch(new RegExp(`^\\S+\\s+${A}\\s+email\\s+jane\\.smith@acme\\.com\\s+${code}\\s+\\S+\\s+pending$`));
    });
  });

  it('stateful HTTP: the session is the conversation, no conversation_id argument', async () => {
    const server = await startHttpServer(['--fixtures', '--stateful', '--outbox-file', path.join(dir, 'stateful.jsonl'), '--limits', 'off']);
    try {
      const client = await connectClient(server.url);
      const { tools } = await client.listTools();
      for (const t of tools) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).not.toContain('conversation_id');
      const started = dataOf<Obj>(await call(client, 'verify_identity', { customer_id: A, method: 'otp' }));
      expect(started.conversation_id).toBeUndefined();
      const code = await outboxCode(['--outbox-file', path.join(dir, 'stateful.jsonl')], started.verification_id);
      await call(client, 'verify_identity', { customer_id: A, method: 'otp', verification_id: started.verification_id, code });
      expect(dataOf<Obj>(await call(client, 'get_subscription', { customer_id: A })).subscription.id).toBe('SUB-7890');
      await client.close();
      // another session of the same server is another conversation
      const other = await connectClient(server.url);
      expect(errorOf(await call(other, 'get_subscription', { customer_id: A })).code).toBe('AUTH_REQUIRED');
      await other.close();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  describe('Postgres: outbox table', () => {
    let pglite: PGliteServer;
    beforeAll(async () => {
      pglite = await startPGliteServer();
      for (const sub of [['db', 'migrate'], ['db', 'seed']]) {
        const r = await runCli([...sub, '--database-url', pglite.connectionString]);
        expect(r.code, r.stderr).toBe(0);
      }
    });
    afterAll(async () => {
      await pglite?.stop();
    });

    it('support-mcp outbox --database-url prints the pending code; the server writes no file', async () => {
      const server = await startHttpServer(['--database-url', pglite.connectionString, '--db-pool-size', '1', '--limits', 'off', '--verification-secret', 'a-shared-secret-for-replicas']);
      try {
        const client = await connectClient(server.url);
        const started = dataOf<Obj>(await call(client, 'verify_identity', { customer_id: A, method: 'otp' }));
        const code = await outboxCode(['--database-url', pglite.connectionString], started.verification_id);
        const done = dataOf<Obj>(await call(client, 'verify_identity', {
          customer_id: A, method: 'otp', verification_id: started.verification_id, code, conversation_id: started.conversation_id,
        }));
        expect(done.status).toBe('verified');
        expect(server.logs.join('\n')).not.toContain(code); // never logged
        expect(server.logs.join('\n')).not.toMatch(/outbox_file/);
        await client.close();
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    });
  });

  it('support-mcp outbox: bad flags are configuration errors; an empty file says so', async () => {
    expect((await runCli(['outbox', '--frobnicate'])).code).toBe(2);
    expect((await runCli(['outbox', '--database-url', 'mysql://x', '--outbox-file', 'f'])).code).toBe(2);
    expect((await runCli(['outbox', '--database-url', 'mysql://x'])).code).toBe(2);
    const none = await runCli(['outbox', '--outbox-file', path.join(dir, 'missing.jsonl')]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no pending messages/);
    expect((await runCli(['outbox', '--help'])).stdout).toMatch(/support-mcp outbox/);
  });
});
