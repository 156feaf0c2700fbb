// Remote transports end to end: the built CLI listening on an ephemeral loopback port, driven
// by the SDK's StreamableHTTPClientTransport (stateless and stateful) and SSEClientTransport,
// plus raw HTTP for the protocol-level guards (auth, Host/Origin, body size, rate limit).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as raw } from '../support/http-e2e.js'; // raw HTTP: fetch cannot set Host
import { startPGliteServer } from '../support/pglite.js';
import { runCli, startHttpServer, type RunningServer } from './cli.js';
import { SUPPORT_TOOL_CALLS } from './tool-calls.js';

const TOKEN = 'test-token-0123456789abcdef';
/** Transport tests, not security tests: open access, no tool-call rate limits (the support profile's defaults are verified + limits). */
const OPEN = ['--access', 'open', '--limits', 'off'];
const INIT_BODY = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

async function connectClient(transport: StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> {
  const client = new Client({ name: 'http-e2e', version: '0' });
  await client.connect(transport);
  return client;
}

async function callEveryTool(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...new Set(SUPPORT_TOOL_CALLS.map((c) => c[0]))].sort());
  for (const [name, args, isError] of SUPPORT_TOOL_CALLS) {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    expect(Boolean(r.isError), `${name} ${JSON.stringify(args)}`).toBe(isError);
  }
}

describe('HTTP transports (built CLI on an ephemeral port)', () => {
  describe('stateless Streamable HTTP (default)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startHttpServer(['--fixtures', '--rate-limit', '10000', ...OPEN]);
    });
    afterAll(async () => {
      expect(await server.stop('SIGTERM')).toBe(0);
    });

    it('serves every tool', async () => {
      const client = await connectClient(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      await callEveryTool(client);
      await client.close();
    });
    it('has no sessions: no Mcp-Session-Id, GET and DELETE on /mcp are 405', async () => {
      const init = await raw(`${server.url}/mcp`, { body: INIT_BODY });
      expect(init.status).toBe(200);
      expect(init.headers['mcp-session-id']).toBeUndefined();
      for (const method of ['GET', 'DELETE']) {
        const r = await raw(`${server.url}/mcp`, { method });
        expect(r.status).toBe(405);
        expect(r.headers.allow).toBe('POST');
      }
    });
    it('answers health and readiness probes', async () => {
      expect((await raw(`${server.url}/healthz`, { method: 'GET' })).status).toBe(200);
      expect(JSON.parse((await raw(`${server.url}/readyz`, { method: 'GET' })).body)).toEqual({ status: 'ready' });
    });
    it('rejects a foreign Host or Origin with 403 (DNS rebinding) and accepts localhost', async () => {
      expect((await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { host: 'evil.example' } })).status).toBe(403);
      expect((await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { origin: 'http://evil.example' } })).status).toBe(403);
      expect((await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` } })).status).toBe(200);
    });
    it('caps the body size with 413 and answers bad JSON with a JSON-RPC parse error', async () => {
      const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'find_customer', arguments: { email: 'x'.repeat(1_100_000) } } });
      const r = await raw(`${server.url}/mcp`, { body: big });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error.code).toBe(-32000);
      const bad = await raw(`${server.url}/mcp`, { body: '{"jsonrpc": "2.0", ' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).error.code).toBe(-32700);
      // still serving
      expect((await raw(`${server.url}/mcp`, { body: INIT_BODY })).status).toBe(200);
    });
  });

  describe('stateful Streamable HTTP', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startHttpServer(['--fixtures', '--stateful', ...OPEN]);
    });
    afterAll(async () => {
      expect(await server.stop('SIGINT')).toBe(0);
    });

    it('serves every tool in one session and ends it on DELETE', async () => {
      const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`));
      const client = await connectClient(transport);
      const sessionId = transport.sessionId;
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      await callEveryTool(client);
      await transport.terminateSession();
      await client.close();
      const after = await raw(`${server.url}/mcp`, {
        headers: { 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
    });
    it('exposes Mcp-Session-Id to browsers and refuses requests without a session', async () => {
      const init = await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { origin: `http://localhost:${server.port}` } });
      expect(init.status).toBe(200);
      expect(init.headers['access-control-expose-headers']).toMatch(/Mcp-Session-Id/i);
      const orphan = await raw(`${server.url}/mcp`, { body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
      expect(orphan.status).toBe(400);
    });
  });

  describe('legacy HTTP+SSE (GET /sse, POST /messages)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startHttpServer(['--fixtures', ...OPEN]);
    });
    afterAll(async () => {
      await server.stop();
    });
    it('serves every tool, and forgets the session when its stream closes', async () => {
      const transport = new SSEClientTransport(new URL(`${server.url}/sse`));
      const client = await connectClient(transport);
      await callEveryTool(client);
      const endpoint = (transport as unknown as { _endpoint?: URL })._endpoint;
      expect(endpoint?.pathname).toBe('/messages');
      await client.close();
      let status = 0;
      for (let i = 0; i < 50 && status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await raw(endpoint!.toString(), { body: INIT_BODY })).status;
      }
      expect(status).toBe(404);
    });
    it('an unknown SSE session is 404', async () => {
      expect((await raw(`${server.url}/messages?sessionId=nope`, { body: INIT_BODY })).status).toBe(404);
    });
  });

  describe('bearer auth and rate limit', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startHttpServer(['--fixtures', '--rate-limit', '8', ...OPEN], { MCP_AUTH_TOKEN: `${TOKEN},second-token-abcdefghijklmnop` });
    });
    afterAll(async () => {
      await server.stop();
    });
    it('401 with WWW-Authenticate without a token or with a wrong one; probes stay open', async () => {
      const none = await raw(`${server.url}/mcp`, { body: INIT_BODY });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
      const wrong = await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { authorization: 'Bearer nope-nope-nope-nope' } });
      expect(wrong.status).toBe(401);
      expect((await raw(`${server.url}/sse`, { method: 'GET' })).status).toBe(401);
      expect((await raw(`${server.url}/healthz`, { method: 'GET' })).status).toBe(200);
    });
    it('accepts any configured token through the SDK client', async () => {
      const client = await connectClient(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { Authorization: 'Bearer second-token-abcdefghijklmnop' } },
      }));
      const r = (await client.callTool({ name: 'find_customer', arguments: { customer_id: '1213210' } })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      await client.close();
    });
    it('429 with Retry-After once a client exceeds its per-minute budget', async () => {
      const statuses: number[] = [];
      let retryAfter: string | string[] | undefined;
      for (let i = 0; i < 12; i++) {
        const r = await raw(`${server.url}/mcp`, { body: INIT_BODY, headers: { authorization: `Bearer ${TOKEN}` } });
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers['retry-after'];
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    });
  });

  describe('start-up guards', () => {
    it('refuses a non-loopback bind without a token (exit 2)', async () => {
      const r = await runCli(['--transport', 'http', '--host', '0.0.0.0', '--port', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/without authentication/);
    });
    it('rejects short tokens and bad numbers (exit 2)', async () => {
      expect((await runCli(['--transport', 'http', '--auth-token', 'short'])).code).toBe(2);
      expect((await runCli(['--transport', 'http', '--port', '70000'])).code).toBe(2);
      expect((await runCli(['--transport', 'carrier-pigeon'])).code).toBe(2);
    });
    it('rejects a token with an empty name, or one secret under two names, without printing the secret (exit 2)', async () => {
      const secret = 'a-secret-of-twenty-chars';
      for (const tokens of [`=${secret}`, `ops=${secret},agents=${secret}`]) {
        const r = await runCli(['--transport', 'http', '--auth-token', tokens]);
        expect(r.code, tokens).toBe(2);
        expect(r.stderr).toMatch(/auth token/);
        expect(r.stderr).not.toContain(secret);
      }
    });
  });
});

// Horizontal scaling: two stateless replicas on one database answer the same client in turn.
describe('two stateless replicas sharing one Postgres', () => {
  let url = '';
  let teardown: () => Promise<void> = async () => {};
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const name = `support_mcp_replicas_${Date.now().toString(36)}_${process.pid}`;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`create database "${name}"`);
      await admin.end();
      const u = new URL(process.env.DATABASE_URL);
      u.pathname = `/${name}`;
      url = u.toString();
      teardown = async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`drop database if exists "${name}" with (force)`);
        await c.end();
      };
    } else {
      const pglite = await startPGliteServer({ maxConnections: 8 });
      url = pglite.connectionString;
      teardown = () => pglite.stop();
    }
    expect((await runCli(['db', 'seed', '--database-url', url])).code).toBe(0);
    // PGlite is one session: keep each replica to one connection there.
    const pool = process.env.DATABASE_URL ? '4' : '1';
    [a, b] = await Promise.all([
      startHttpServer(['--database-url', url, '--db-pool-size', pool, ...OPEN]),
      startHttpServer(['--database-url', url, '--db-pool-size', pool, ...OPEN]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await teardown();
  });

  it('alternating requests see one state: a ticket created on A is read on B, a cancel on B is seen on A', async () => {
    const call = async (server: RunningServer, name: string, args: Record<string, unknown>) => {
      const r = await raw(`${server.url}/mcp`, {
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      });
      expect(r.status).toBe(200);
      return JSON.parse(r.body).result as CallToolResult;
    };
    const created = await call(a, 'create_ticket', { customer_id: 'CUST-20001', category: 'billing', description: 'Charged twice', idempotency_key: 'replica-test' });
    const ticket = (created.structuredContent as { ticket: { id: string } }).ticket;
    const read = await call(b, 'get_ticket', { ticket_id: ticket.id });
    expect((read.structuredContent as { ticket: { id: string } }).ticket.id).toBe(ticket.id);
    // the retry lands on the other replica and still returns the same ticket
    const retry = await call(b, 'create_ticket', { customer_id: 'CUST-20001', category: 'billing', description: 'Charged twice', idempotency_key: 'replica-test' });
    expect(retry.structuredContent).toMatchObject({ created: false, ticket: { id: ticket.id } });

    await call(b, 'cancel_order', { order_id: '47652' });
    const seen = await call(a, 'get_order', { order_id: '47652' });
    expect((seen.structuredContent as { order: { status: string } }).order.status).toBe('cancelled');

    // a client alternating between replicas (as behind a round-robin balancer)
    for (let i = 0; i < 6; i++) {
      const r = await call(i % 2 ? a : b, 'find_customer', { customer_id: '1213210' });
      expect(r.isError).toBeFalsy();
    }
  });
});
