// GET /metrics (HTTP transport) and --metrics-port (stdio): Prometheus text with the
// OpenTelemetry MCP operation histogram, tool outcomes by code, verification outcomes,
// rate-limit refusals, audit queue, pg pools and Node process metrics; protected like the
// MCP endpoints; never a customer id or other PII in a label.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';
import { CLI, runCli, startHttpServer, type RunningServer } from '../server/cli.js';

const TOKEN = 'metrics-test-token-0123456789';

/** Samples of one metric: label sets → value. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).map((l) => {
    const m = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(l)!;
    const labels = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    return { labels, value: Number(m[2]) };
  });
}

const value = (text: string, name: string, labels: Record<string, string>): number | undefined =>
  samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

async function httpClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'metrics-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined));
  return client;
}

describe('GET /metrics over HTTP [fixtures]', () => {
  let server: RunningServer;
  let text = '';
  beforeAll(async () => {
    // global limit 8 per hour: the 9th call is refused (scope global)
    server = await startHttpServer(['--fixtures', '--outbox-file', '/dev/null', '--limit-global', '8']);
    const client = await httpClient(server.url);
    await client.listTools();
    await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } });
    await client.callTool({ name: 'find_customer', arguments: { email: 'nobody@example.com' } }); // NOT_FOUND
    await client.callTool({ name: 'list_orders', arguments: { customer_id: '1213210' } }); // AUTH_REQUIRED
    await client.callTool({ name: 'verify_identity', arguments: { customer_id: '1213210', method: 'otp' } }); // pending
    await client.callTool({ name: 'get_order', arguments: { order_id: 'x'.repeat(500) } }); // VALIDATION_FAILED
    await client.callTool({ name: 'no_such_tool_1213210', arguments: {} }); // unknown: bounded label
    for (let i = 0; i < 6; i++) await client.callTool({ name: 'find_customer', arguments: { customer_id: '1213210' } });
    await client.close();
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('mcp_server_operation_duration_seconds: a histogram by mcp_method_name, gen_ai_tool_name and error_type', () => {
    expect(text).toContain('# TYPE mcp_server_operation_duration_seconds histogram');
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'initialize', error_type: '' })).toBe(1);
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/list', gen_ai_tool_name: '', error_type: '' })).toBe(1);
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'find_customer', error_type: '' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'find_customer', error_type: 'tool_error' })).toBeGreaterThanOrEqual(2); // NOT_FOUND, RATE_LIMITED
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'list_orders', error_type: 'tool_error' })).toBe(1);
    // the semantic conventions' buckets
    expect(samples(text, 'mcp_server_operation_duration_seconds_bucket').map((s) => s.labels.le)).toEqual(expect.arrayContaining(['0.01', '0.02', '0.05', '300', '+Inf']));
    // an unknown tool name is not a label value a client can mint
    expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: '_OTHER' })).toBe(1);
  });

  it('tool outcomes by error code, verification outcomes, rate-limit refusals, audit queue', () => {
    expect(value(text, 'support_mcp_tool_calls_total', { gen_ai_tool_name: 'find_customer', outcome: 'error', error_code: 'NOT_FOUND' })).toBe(1);
    expect(value(text, 'support_mcp_tool_calls_total', { gen_ai_tool_name: 'list_orders', outcome: 'error', error_code: 'AUTH_REQUIRED' })).toBe(1);
    expect(value(text, 'support_mcp_tool_calls_total', { gen_ai_tool_name: 'get_order', outcome: 'error', error_code: 'VALIDATION_FAILED' })).toBe(1);
    expect(value(text, 'support_mcp_tool_calls_total', { gen_ai_tool_name: 'find_customer', outcome: 'error', error_code: 'RATE_LIMITED' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'support_mcp_verifications_total', { method: 'otp', status: 'pending' })).toBe(1);
    expect(value(text, 'support_mcp_rate_limit_refusals_total', { scope: 'global' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'support_mcp_audit_queue_depth', {})).toBeGreaterThanOrEqual(0);
    expect(value(text, 'support_mcp_audit_dropped_total', {})).toBe(0);
  });

  it('Node process metrics', () => {
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(samples(text, name).length, name).toBeGreaterThan(0);
    }
  });

  it('no label carries a customer id, e-mail or argument', () => {
    for (const pii of ['1213210', 'john@gmail.com', 'nobody@example.com', 'xxxxxxxx']) expect(text).not.toContain(pii);
  });
});

describe('GET /metrics with tokens', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startHttpServer(['--fixtures', '--outbox-file', '/dev/null', '--auth-token', TOKEN]);
  });
  afterAll(async () => {
    await server?.stop();
  });
  it('needs a valid bearer token, like /mcp', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('mcp_server_operation_duration_seconds');
  });
});

describe('Postgres pool gauges [pglite]', () => {
  let db: PGliteServer;
  let server: RunningServer;
  beforeAll(async () => {
    db = await startPGliteServer();
    expect((await runCli(['db', 'seed', '--database-url', db.connectionString])).code).toBe(0);
    server = await startHttpServer(['--database-url', db.connectionString, '--db-pool-size', '1', '--access', 'open', '--limits', 'off']);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.stop();
  });
  it('total, idle and waiting per pool', async () => {
    const client = await httpClient(server.url);
    await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } });
    await client.close();
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(value(text, 'support_mcp_db_pool_connections', { pool: 'data' })).toBe(1);
    expect(value(text, 'support_mcp_db_pool_idle_connections', { pool: 'data' })).toBeGreaterThanOrEqual(0);
    expect(value(text, 'support_mcp_db_pool_waiting_requests', { pool: 'data' })).toBe(0);
  });
});

describe('--metrics-port for the stdio server', () => {
  it('serves GET /metrics on loopback while the stdio client calls tools', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath, args: [CLI, '--fixtures', '--outbox-file', '/dev/null', '--metrics-port', '0'],
      env: { PATH: process.env.PATH ?? '' }, stderr: 'pipe',
    });
    let log = '';
    transport.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const client = new Client({ name: 'metrics-stdio', version: '1.0.0' });
    await client.connect(transport);
    try {
      await client.callTool({ name: 'find_customer', arguments: { email: 'nobody@example.com' } });
      await expect.poll(() => /"port":(\d+)[^\n]*"msg":"metrics at GET \/metrics"/.exec(log)?.[1]).toBeDefined();
      const port = /"port":(\d+)[^\n]*"msg":"metrics at GET \/metrics"/.exec(log)![1];
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(value(text, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'find_customer', error_type: 'tool_error' })).toBe(1);
      expect(value(text, 'support_mcp_tool_calls_total', { gen_ai_tool_name: 'find_customer', error_code: 'NOT_FOUND' })).toBe(1);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it('off loopback it needs a token (exit 2)', async () => {
    const r = await runCli(['--metrics-port', '0', '--host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to serve metrics on 0\.0\.0\.0 without authentication/);
    expect((await runCli(['--metrics-port', 'x'])).code).toBe(2);
  });
});
