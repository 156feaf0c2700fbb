// Stateless POST /mcp is answered by our own handler (one shared server, see
// src/transports/stateless-post.ts) instead of the SDK's per-request transport. This test
// holds it to the SDK's behaviour: the same frames go to our HTTP server and to a reference
// server built the SDK's documented way (a fresh McpServer + StreamableHTTPServerTransport
// per request, JSON responses), and status, content type and body must match.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/repository.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { startHttpServer, type RunningHttpServer } from '../../src/transports/http.js';

const PROFILES = await loadAllProfiles();

const ACCEPT = 'application/json, text/event-stream';
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
const call = (id: unknown, name: string, args: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

interface Frame {
  name: string;
  body: string;
  headers?: Record<string, string>;
}
const json = (name: string, value: unknown, headers?: Record<string, string>): Frame => ({ name, body: JSON.stringify(value), headers });

const FRAMES: Frame[] = [
  json('initialize', INIT),
  json('initialize with an unknown protocol version', { ...INIT, params: { ...INIT.params, protocolVersion: '1999-01-01' } }),
  json('ping', { jsonrpc: '2.0', id: 'p', method: 'ping' }),
  json('tools/list', { jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  json('tools/call ok', call(3, 'find_customer', { email: 'user@example.com' })),
  json('tools/call not found', call(4, 'get_order', { order_id: 'ORD-0000-0000' })),
  json('tools/call invalid arguments', call(5, 'get_order', { order_id: 42 })),
  json('tools/call unknown tool', call(6, 'no_such_tool', {})),
  json('tools/call with a string id', call('abc', 'find_customer', { customer_id: 'CUST-0000' })),
  json('unknown method', { jsonrpc: '2.0', id: 7, method: 'resources/list' }),
  json('notification only', { jsonrpc: '2.0', method: 'notifications/initialized' }),
  json('cancellation notification', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }),
  json('client response', { jsonrpc: '2.0', id: 9, result: {} }),
  json('batch of two requests', [{ jsonrpc: '2.0', id: 10, method: 'ping' }, call(11, 'find_customer', { email: 'user@example.com' })]),
  json('batch with a notification', [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 12, method: 'ping' }]),
  json('batch of notifications', [{ jsonrpc: '2.0', method: 'notifications/initialized' }]),
  json('initialize inside a batch', [INIT, { jsonrpc: '2.0', id: 13, method: 'ping' }]),
  json('batch over 100 messages', Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))),
  json('empty batch', []),
  json('not JSON-RPC', { hello: 'world' }),
  json('wrong jsonrpc version', { jsonrpc: '1.0', id: 1, method: 'ping' }),
  json('id of object type', { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }),
  json('unsupported protocol version header', { jsonrpc: '2.0', id: 14, method: 'ping' }, { 'mcp-protocol-version': '1999-01-01' }),
  json('supported protocol version header', { jsonrpc: '2.0', id: 15, method: 'ping' }, { 'mcp-protocol-version': '2025-06-18' }),
  json('initialize ignores the version header', INIT, { 'mcp-protocol-version': '1999-01-01' }),
  json('missing event-stream in Accept', { jsonrpc: '2.0', id: 16, method: 'ping' }, { accept: 'application/json' }),
  json('no Accept', { jsonrpc: '2.0', id: 17, method: 'ping' }, { accept: '' }),
  json('text/plain body', { jsonrpc: '2.0', id: 18, method: 'ping' }, { 'content-type': 'text/plain' }),
  json('content type with charset', { jsonrpc: '2.0', id: 19, method: 'ping' }, { 'content-type': 'application/json; charset=utf-8' }),
];

// Correlation ids and timings differ between any two calls.
const normalize = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/(\\?"elapsed_?[mM]s\\?":)[0-9.]+/g, '$1<ms>')
    .replace(/(\\?"executionTime\\?":)[0-9.]+/g, '$1<ms>');

async function post(url: string, frame: Frame) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, ...frame.headers };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  const res = await fetch(url, { method: 'POST', headers, body: frame.body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type')?.split(';')[0] ?? null, body: text === '' ? '' : normalize(text) };
}

let ours: RunningHttpServer;
let reference: Server;
let referenceUrl: string;
let hub: ServiceHub;

beforeAll(async () => {
  const repo = new FixtureRepository(await loadDataset());
  hub = new ServiceHub({ repo });
  const deps = { hub, logger: silentLogger() };
  const selection = selectTools([PROFILES.support!]);
  const makeServer = (conversation: string | ((id: string | number) => string)) =>
    createSupportServer({ selection, deps, defaultConversationId: conversation });
  ours = await startHttpServer(
    {
      host: '127.0.0.1', port: 0, stateful: false, authTokens: [], maxBodyBytes: 1_000_000, rateLimitPerMinute: 1_000_000,
      requestTimeoutMs: 10_000, sessionIdleTtlMs: 60_000, maxSessions: 10, shutdownGraceMs: 1_000,
    },
    { makeServer, ready: async () => undefined, logger: silentLogger() },
  );
  // The SDK's documented stateless pattern, behind the same body parser.
  const app = express();
  app.use(express.json());
  app.post('/mcp', async (req, res) => {
    const server = makeServer('reference');
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  reference = createServer(app).listen(0, '127.0.0.1');
  await once(reference, 'listening');
  referenceUrl = `http://127.0.0.1:${(reference.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  await ours?.close();
  reference?.close();
  await hub?.close();
});

describe('stateless POST /mcp answers exactly as the SDK transport would', () => {
  it.each(FRAMES.map((f) => [f.name, f] as const))('%s', async (_name, frame) => {
    const [a, b] = await Promise.all([post(`${ours.url}/mcp`, frame), post(referenceUrl, frame)]);
    expect(a).toEqual(b);
  });
});

describe('bodies the JSON parser refuses', () => {
  // express.json (strict) answers these before any MCP handler runs, in both set-ups; ours
  // answers with a JSON-RPC parse error instead of express's HTML page.
  it.each([['a number', '42'], ['null', 'null'], ['truncated', '{"jsonrpc":"2.0","id":1,'], ['a string', '"ping"']])('%s', async (_n, body) => {
    const res = await fetch(`${ours.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not valid JSON' }, id: null });
  });
});

describe('one shared server, many clients', () => {
  it('answers concurrent requests that reuse the same JSON-RPC id with their own results', async () => {
    const emails = ['user@example.com', 'john@gmail.com', 'priya@candy.com', 'lnguyen@yahoo.com', 'hiroshi@gmail.com'];
    const found = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const email = emails[i % emails.length]!;
        const res = await fetch(`${ours.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: ACCEPT },
          body: JSON.stringify(call(1, 'find_customer', { email })),
        });
        const answer = (await res.json()) as { id: unknown; result: { structuredContent?: { customer?: { email?: string } } } };
        return { asked: email, id: answer.id, got: answer.result.structuredContent?.customer?.email };
      }),
    );
    for (const f of found) expect(f).toEqual({ asked: f.asked, id: 1, got: f.asked });
  });

  it('makes each request its own conversation (audit trail)', async () => {
    await hub.audit?.flush();
    const before = (await hub.repo.listAudit({ limit: 10_000 })).length;
    for (let i = 0; i < 2; i++) {
      await fetch(`${ours.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT },
        body: JSON.stringify(call(1, 'find_customer', { email: 'user@example.com' })),
      });
    }
    await hub.audit?.flush();
    const all = await hub.repo.listAudit({ limit: 10_000 });
    expect(all.length).toBe(before + 2);
    const [x, y] = all.slice(-2).map((e) => e.conversation_id);
    expect(x).toMatch(/^http-[0-9a-f-]{36}$/);
    expect(y).toMatch(/^http-[0-9a-f-]{36}$/);
    expect(x).not.toBe(y);
  });
});
