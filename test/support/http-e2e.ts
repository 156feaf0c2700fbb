// The HTTP end-to-end kit: raw requests (so every header is ours to choose), JSON-RPC answers
// from JSON or SSE bodies, tool calls with a bearer token and an optional session, legacy SSE
// sessions, and the backends replicas run on (fixtures: one process; PGlite and Postgres: two
// replicas sharing the database).
import http from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { startPGliteServer } from './pglite.js';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request (every header ours to choose; fetch adds or refuses some). A string body is sent as is. */
export const request = (url: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(url, {
      method: opts.method ?? 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...opts.headers },
    }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
  });

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const answerOf = (body: string): Obj => {
  const data = body.startsWith('{') ? body : body.split('\n').find((l) => l.startsWith('data:'))?.slice(5) ?? '';
  return JSON.parse(data) as Obj;
};

export const rpc = async (url: string, token: string | null, method: string, params: Obj = {}, sessionId?: string) => {
  const r = await request(`${url}/mcp`, {
    headers: { ...(token === null ? {} : bearer(token)), ...(sessionId ? { 'mcp-session-id': sessionId } : {}) },
    body: { jsonrpc: '2.0', id: 7, method, params },
  });
  return { ...r, answer: r.status === 200 ? answerOf(r.body) : undefined };
};

export const callTool = async (url: string, token: string, name: string, args: Obj, sessionId?: string) => {
  const r = await rpc(url, token, 'tools/call', { name, arguments: args }, sessionId);
  return { ...r, result: r.answer?.result as CallToolResult | undefined };
};

export const listTools = async (url: string, token: string): Promise<string[]> => {
  const r = await rpc(url, token, 'tools/list');
  expect(r.status, r.body).toBe(200);
  return (r.answer!.result.tools as { name: string }[]).map((t) => t.name).sort();
};

export const errorCode = (r: CallToolResult | undefined): string | undefined =>
  r?.isError ? (JSON.parse((r.content[0] as { text: string }).text) as Obj).error.code : undefined;

export const ok = (r: { status: number; result?: CallToolResult; body?: string }): Obj => {
  expect(r.status, r.body).toBe(200);
  expect(r.result?.isError, JSON.stringify(r.result)).toBeFalsy();
  return r.result!.structuredContent as Obj;
};

/** Opens GET /sse with a token; resolves with the session id it announces and a closer. */
export const openSse = (url: string, token: string) =>
  new Promise<{ sessionId: string; close: () => void }>((resolve, reject) => {
    const req = http.request(`${url}/sse`, { method: 'GET', headers: { ...bearer(token), accept: 'text/event-stream' } }, (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        const m = /data: \/messages\?sessionId=([^\s]+)/.exec(buf);
        if (m) resolve({ sessionId: decodeURIComponent(m[1]!), close: () => req.destroy() });
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    req.end();
  });

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

export interface ReplicaBackend {
  name: string;
  /** Database URL, or null for fixtures. */
  url: string | null;
  /** How many server processes share it: one for fixtures (nothing to share), else two. */
  replicas: number;
  teardown(): Promise<void>;
}

/**
 * The backends an HTTP suite runs its replicas on: fixtures, PGlite, and a fresh database on
 * the DATABASE_URL server (a named skip without it). Each entry is started by the suite.
 */
export function replicaBackends(label: string): { name: string; make: () => Promise<ReplicaBackend> }[] {
  const backends: { name: string; make: () => Promise<ReplicaBackend> }[] = [
    { name: 'fixtures', make: async () => ({ name: 'fixtures', url: null, replicas: 1, teardown: async () => {} }) },
    {
      name: 'pglite',
      make: async () => {
        const pglite = await startPGliteServer({ maxConnections: 8 });
        return { name: 'pglite', url: pglite.connectionString, replicas: 2, teardown: () => pglite.stop() };
      },
    },
  ];
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    describe.skip(`${label} [postgres] — skipped: DATABASE_URL is not set`, () => {});
    return backends;
  }
  backends.push({
    name: 'postgres',
    make: async () => {
      const name = `support_mcp_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20)}_${Date.now().toString(36)}_${process.pid}`;
      const run = async (sql: string) => {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await run(`create database "${name}"`);
      const u = new URL(admin);
      u.pathname = `/${name}`;
      return { name: 'postgres', url: u.toString(), replicas: 2, teardown: () => run(`drop database if exists "${name}" with (force)`) };
    },
  });
  return backends;
}
