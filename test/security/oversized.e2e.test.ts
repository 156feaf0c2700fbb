// Oversized arguments against the built CLI over stdio, in a child process: a value that
// blocked the server's event loop would make these tests fail by timeout (and the child is
// killed), instead of hanging the test runner as it would in-process. Each answer must be a
// clean VALIDATION_FAILED, and the server must keep answering other calls afterwards.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../server/cli.js';

const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text;
const code = (r: CallToolResult): string => (r.isError ? (JSON.parse(text(r)) as { error: { code: string } }).error.code : 'ok');

describe('oversized arguments over stdio (dist/cli.js)', () => {
  let client: Client;
  // A fresh server per case, so one stuck server does not fail the next case too.
  beforeEach(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--fixtures', '--log-level', 'error'],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'ignore',
    });
    client = new Client({ name: 'security-e2e', version: '0' });
    await client.connect(transport);
  });
  afterEach(async () => {
    await client?.close(); // also ends the child process
  });

  const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
    (await client.callTool({ name, arguments: args }, undefined, { timeout: 25_000 })) as CallToolResult;

  // ~0.9 MB: just under the HTTP transport's default 1 MB body limit, so reachable remotely too.
  for (const [label, value] of [
    ['letters', 'A'.repeat(900_000)],
    ['digits', '1'.repeat(900_000)],
    ['email-like', `${'a'.repeat(450_000)}@${'b'.repeat(449_990)}.com`],
  ] as const) {
    it(`a ${label} value of ${value.length} characters is rejected at once and the server keeps serving`, async () => {
      const r = await call('find_customer', { email: value });
      expect(code(r)).toBe('VALIDATION_FAILED');
      expect(text(r).length).toBeLessThan(5_000);
      const ok = await call('find_customer', { customer_id: 'CUST-20003' });
      expect(code(ok)).toBe('ok');
    });
  }

  it('the same for a free-text field (create_ticket description)', async () => {
    const r = await call('create_ticket', { customer_id: 'CUST-20003', category: 'other', description: 'x '.repeat(450_000) });
    expect(code(r)).toBe('VALIDATION_FAILED'); // the schema (max 5000) is checked before access
    expect(code(await call('find_customer', { customer_id: 'CUST-20003' }))).toBe('ok');
  });
});
