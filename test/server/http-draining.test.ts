// The per-request deadline (504) and graceful shutdown (in-flight calls finish, late requests
// get 503 + Connection: close or no connection) on POST /mcp, which the node:http fast path serves
// (transports/http-fast-path.ts), in stateless and stateful mode.
import { Agent, request } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { startHttpServer, type HttpOptions } from '../../src/transports/http.js';

const ACCEPT = 'application/json, text/event-stream';
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
const SLOW = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: {} } };

/** A server with one tool that answers after 300 ms. */
const makeServer = (): McpServer => {
  const server = new McpServer({ name: 'draining', version: '0' });
  server.registerTool('slow', { description: 'waits' }, async () => {
    await new Promise((r) => setTimeout(r, 300));
    return { content: [{ type: 'text', text: 'done' }] };
  });
  return server;
};

const post = (port: number, body: unknown, headers: Record<string, string> = {}, agent?: Agent) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });

const start = (stateful: boolean, requestTimeoutMs: number) =>
  startHttpServer(
    {
      host: '127.0.0.1', port: 0, stateful, authTokens: [], maxBodyBytes: 100_000, rateLimitPerMinute: 1_000,
      requestTimeoutMs, sessionIdleTtlMs: 60_000, maxSessions: 10, shutdownGraceMs: 2_000,
    } satisfies HttpOptions,
    { makeServer, ready: async () => undefined, logger: silentLogger() },
  );

describe.each([false, true])('POST /mcp deadline and draining (stateful: %s)', (stateful) => {
  const session = async (port: number): Promise<Record<string, string>> => {
    if (!stateful) return {};
    const init = await post(port, INIT);
    expect(init.status).toBe(200);
    return { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
  };

  it(stateful ? 'has no deadline once the answer streams (SSE headers sent)' : 'answers 504 when a call outlives the request deadline', async () => {
    const server = await start(stateful, 100);
    const r = await post(server.port, SLOW, await session(server.port));
    if (stateful) {
      expect(r.status).toBe(200);
      expect(r.body).toContain('done');
    } else {
      expect(r.status).toBe(504);
      expect(JSON.parse(r.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Request timed out' }, id: null });
    }
    await server.close();
  });

  it('lets an in-flight call finish on close and answers new requests 503 with Connection: close', async () => {
    const server = await start(stateful, 10_000);
    const headers = await session(server.port);
    const inFlight = post(server.port, SLOW, headers, new Agent());
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    // node closes idle connections and the listener at once; a request that still gets in is refused
    const late = await post(server.port, SLOW, headers, new Agent()).catch(() => undefined);
    if (late) {
      expect(late.status).toBe(503);
      expect(late.headers.connection).toBe('close');
    }
    const done = await inFlight;
    expect(done.status).toBe(200);
    expect(done.body).toContain('done');
    await closed;
  });
});
