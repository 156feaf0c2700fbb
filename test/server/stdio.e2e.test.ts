// End to end: the built CLI spawned over stdio, as Claude Desktop runs it. Every tool is
// called (successes and failures) and every byte on stdout must be a JSON-RPC message.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './cli.js';
import { SUPPORT_TOOL_CALLS } from './tool-calls.js';


describe('stdio end to end (dist/cli.js)', () => {
  let client: Client;
  let transport: StdioClientTransport;
  const rawStdout: string[] = [];
  const stderrLines: string[] = [];

  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--fixtures', '--log-level', 'debug', '--access', 'open', '--limits', 'off'],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => stderrLines.push(...d.toString().split('\n').filter(Boolean)));
    client = new Client({ name: 'e2e', version: '0' });
    await client.connect(transport);
    // Tap the child's stdout to check framing independently of the SDK's parser.
    const proc = (transport as unknown as { _process?: { stdout?: NodeJS.ReadableStream } })._process;
    proc?.stdout?.on('data', (d: Buffer) => rawStdout.push(d.toString()));
  });

  afterAll(async () => {
    await client?.close();
  });

  it('serves every support tool; successes and failures are well-formed', async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(new Set(SUPPORT_TOOL_CALLS.map(([name]) => name)).size);
    const calls = SUPPORT_TOOL_CALLS;
    for (const [name, args, isError] of calls) {
      const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(Boolean(r.isError), `${name} ${JSON.stringify(args)}`).toBe(isError);
      if (isError) {
        expect(r.structuredContent).toBeUndefined();
        const body = JSON.parse((r.content[0] as { text: string }).text) as { error: { code: string; next_step: string } };
        expect(body.error.code).toMatch(/^[A-Z_]+$/);
        expect(body.error.next_step).toBeTruthy();
      } else {
        expect(r.structuredContent).toBeDefined();
      }
    }
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining([...new Set(calls.map((c) => c[0]))]));
  });

  it('writes only JSON-RPC to stdout and JSON log lines (without PII) to stderr', async () => {
    await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } });
    const lines = rawStdout.join('').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const msg = JSON.parse(line) as { jsonrpc?: string };
      expect(msg.jsonrpc).toBe('2.0');
    }
    // the log is written asynchronously: wait (bounded) for the call's line
    for (let i = 0; i < 100 && !stderrLines.some((l) => l.includes('"event":"tool_call"')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(stderrLines.length).toBeGreaterThan(0);
    for (const line of stderrLines) expect(() => JSON.parse(line), line).not.toThrow();
    const logs = stderrLines.join('\n');
    expect(logs).toContain('"event":"tool_call"');
    expect(logs).not.toContain('john@gmail.com');
    // an error's code reaches the log (the logger's redaction of one-time codes must not hide it)
    await client.callTool({ name: 'get_order', arguments: { order_id: 'NO-SUCH-ORDER' } });
    await new Promise((r) => setTimeout(r, 200));
    const failed = stderrLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'tool_call' && l.tool === 'get_order');
    expect(failed.at(-1)).toMatchObject({ outcome: 'error', error_code: 'NOT_FOUND' });
  });
});

describe('CLI configuration errors', () => {
  it('an unknown tool name fails at start-up with one line and exit code 2', async () => {
    const r = await runCli(['--tools', 'get_ordr']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown tool 'get_ordr'/);
    expect(r.stdout).toBe('');
  });
  it('an unknown flag, profile or log level exits 2', async () => {
    expect((await runCli(['--frobnicate'])).code).toBe(2);
    expect((await runCli(['--profile', 'nope'])).code).toBe(2);
    expect((await runCli(['--log-level', 'loud'])).code).toBe(2);
    expect((await runCli(['--fixtures', '/does/not/exist'])).code).toBe(2);
    for (const bad of ['-1', '1.5', 'soon']) {
      const r = await runCli(['--database-url', 'postgres://127.0.0.1:1/x', `--db-statement-timeout-ms=${bad}`]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--db-statement-timeout-ms must be an integer/);
    }
  });
  it('--help and --version answer on stdout and exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--read-only/);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('exits 0 when stdin closes', async () => {
    const r = await runCli(['--fixtures']);
    expect(r.code).toBe(0);
  });
  it('logs starting, policy and ready before shutting down, even when stdin closes at once', async () => {
    const r = await runCli(['--fixtures']);
    expect(r.code).toBe(0);
    const messages = r.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)
      .filter((m) => ['starting', 'policy', 'support-mcp ready', 'shutting down'].includes(m));
    expect(messages).toEqual(['starting', 'policy', 'support-mcp ready', 'shutting down']);
  });
});
