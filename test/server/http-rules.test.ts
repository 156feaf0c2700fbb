// The plain-node rules in front of POST /mcp (src/transports/http-rules.ts and http-body.ts, run by
// http-fast-path.ts) against the Express middlewares they replace: the same requests go to a
// reference Express app built the way transports/http.ts was (the SDK's hostHeaderValidation
// and requireBearerAuth, cors, express-rate-limit, express.json and the JSON-RPC error
// handler) and to the fast path, each ending in the same echo handler; status, headers and
// body must match byte for byte (Date and connection headers aside).
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_PRINCIPAL } from '../../src/domain/principal.js';
import { staticTokenVerifier } from '../../src/transports/bearer-tokens.js';
import { mcpPostHandler } from '../../src/transports/http-fast-path.js';
import {
  authenticate, checkHost, checkOrigin, corsPolicy, corsPreflight, originPolicy, RateLimiter, sendJson, type NodeRequest,
} from '../../src/transports/http-rules.js';
import { isJsonBodyType, readJsonBody } from '../../src/transports/http-body.js';

/** Many clients, so each case has a budget of its own: tokens, or loopback source addresses. */
const TOKENS = Array.from({ length: 64 }, (_, i) => `token-${i}-0123456789abcdef`);
const ADDRESSES = Array.from({ length: 64 }, (_, i) => `127.0.0.${10 + i}`);
const LIMIT = 6;
const MAX_BODY = 2_000;
const HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const EXPOSED = ['Mcp-Session-Id'];
const tokens = TOKENS.map((secret, i) => ({ secret, principal: { ...ANONYMOUS_PRINCIPAL, id: `token-${i}` } }));

/** What both stacks answer once every rule passed: the parsed body and who sent it. */
const echo = (req: NodeRequest) => ({ body: req.body ?? null, client: req.auth?.clientId ?? null });

/** transports/http.ts before issue 15, minus the routes: the middlewares in their order. */
function referenceApp(withTokens: boolean): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(hostHeaderValidation(HOSTS));
  const originAllowed = originPolicy(undefined);
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      res.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message: `Origin not allowed: ${origin}` }, id: null });
      return;
    }
    next();
  });
  app.use(cors({
    origin: (origin, cb) => cb(null, origin === undefined || originAllowed(origin)),
    exposedHeaders: EXPOSED,
    allowedHeaders: ['Content-Type', 'Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'],
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
  }));
  const jsonRpcError = (res: Response, status: number, code: number, message: string): void => {
    if (!res.headersSent) res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
  };
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: LIMIT,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const clientId = (req as Request & { auth?: { clientId?: string } }).auth?.clientId;
      return clientId ? `client:${clientId}` : `ip:${ipKeyGenerator(req.socket.remoteAddress ?? '0.0.0.0')}`;
    },
    handler: (_req, res, _next, options) => {
      res.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
      jsonRpcError(res, 429, -32000, 'Too many requests: slow down and retry after the Retry-After delay');
    },
  });
  const auth = withTokens ? [requireBearerAuth({ verifier: staticTokenVerifier(tokens) })] : [];
  app.use('/mcp', ...auth, limiter, express.json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'] }));
  app.post('/mcp', (req, res) => {
    res.json(echo(req as NodeRequest));
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') return jsonRpcError(res, 413, -32000, `Request body larger than ${MAX_BODY} bytes`);
    if (err.type === 'entity.parse.failed') return jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON');
    if (err.status && err.status >= 400 && err.status < 500) return jsonRpcError(res, err.status, -32600, 'Invalid request');
    jsonRpcError(res, 500, -32603, 'Internal error');
  });
  return app;
}

/** The fast path around the same echo (preflight as the Express app of transports/http.ts answers it). */
function fastHandler(withTokens: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const verifier = staticTokenVerifier(tokens);
  const originAllowed = originPolicy(undefined);
  const policy = corsPolicy(EXPOSED);
  const post = mcpPostHandler({
    allowedHosts: HOSTS,
    originAllowed,
    cors: policy,
    authenticate: withTokens ? async (req, res) => (await authenticate(req, res, verifier)) !== undefined : undefined,
    limiter: new RateLimiter(LIMIT),
    maxBodyBytes: MAX_BODY,
    admit: () => true,
    handle: async (req, res) => sendJson(res, 200, echo(req)),
    onError: (err, res) => sendJson(res, 500, { error: String(err) }),
  });
  return (req, res) => {
    if (req.method !== 'OPTIONS') return post(req, res);
    if (checkHost(req, res, HOSTS) && checkOrigin(req, res, originAllowed)) corsPreflight(req, res, policy);
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** One chunk (Content-Length set), or several (chunked). */
  body?: string | Buffer | Buffer[];
  /** Source address (a loopback one). */
  from?: string;
}

const send = (port: number, c: Case): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const chunks = c.body === undefined ? [] : Array.isArray(c.body) ? c.body : [Buffer.from(c.body)];
    const headers: Record<string, string | number> = { 'content-type': 'application/json', ...c.headers };
    if (!Array.isArray(c.body) && chunks.length === 1) headers['content-length'] ??= chunks[0]!.length;
    const req = request({ host: '127.0.0.1', port, method: c.method ?? 'POST', path: c.path ?? '/mcp', headers, localAddress: c.from, setHost: !('host' in (c.headers ?? {})) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers: rest, body });
      });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });

const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> => {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};
const portOf = (s: Server): number => (s.address() as AddressInfo).port;

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
const utf16 = (s: string, bom = false): Buffer => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);

/** Requests that pass auth (when there is auth) and differ in Host, Origin, Content-Type, encoding and body. */
const CASES: Case[] = [
  { name: 'initialize', body: INIT },
  { name: 'allowed origin', headers: { origin: 'http://localhost:3000' }, body: INIT },
  { name: 'foreign origin', headers: { origin: 'http://evil.example' }, body: INIT },
  { name: 'empty origin', headers: { origin: '' }, body: INIT },
  { name: 'foreign host', headers: { host: 'evil.example' }, body: INIT },
  { name: 'host with port', headers: { host: 'localhost:1234' }, body: INIT },
  { name: 'ipv6 host', headers: { host: '[::1]:80' }, body: INIT },
  { name: 'malformed host', headers: { host: 'a b' }, body: INIT },
  { name: 'query string and trailing slash', path: '/MCP/?x=1', body: INIT },
  { name: 'body over the limit (Content-Length)', body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY) }) },
  { name: 'body over the limit (chunked)', body: [Buffer.from('{"pad":"'), Buffer.from('x'.repeat(MAX_BODY)), Buffer.from('"}')] },
  { name: 'chunked body', body: [Buffer.from('{"jsonrpc":"2.0",'), Buffer.from('"id":1,"method":"ping"}')] },
  { name: 'body exactly at the limit', body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY - 10) }) },
  { name: 'invalid JSON', body: '{"jsonrpc": "2.0", ' },
  { name: 'a JSON string (strict)', body: '"ping"' },
  { name: 'a JSON number after whitespace', body: ' \n 42' },
  { name: 'only whitespace', body: '   ' },
  { name: 'empty body', body: '' },
  { name: 'no body', headers: {} },
  { name: 'UTF-8 BOM', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(INIT)]) },
  { name: 'invalid UTF-8', body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) },
  { name: 'no Content-Type', headers: { 'content-type': '' }, body: INIT },
  { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: INIT },
  { name: '+json suffix', headers: { 'content-type': 'application/vnd.api+json' }, body: INIT },
  { name: 'bare +json subtype', headers: { 'content-type': 'application/+json' }, body: INIT },
  { name: 'upper-case media type with spaces', headers: { 'content-type': ' Application/JSON ; charset=UTF-8' }, body: INIT },
  { name: 'quoted charset', headers: { 'content-type': 'application/json; foo="a;charset=latin1"; charset="utf-8"' }, body: INIT },
  { name: 'latin1 charset', headers: { 'content-type': 'application/json; charset=latin1' }, body: INIT },
  { name: 'utf8 without the dash', headers: { 'content-type': 'application/json; charset=utf8' }, body: INIT },
  { name: 'unknown utf-* charset', headers: { 'content-type': 'application/json; charset=utf-99' }, body: INIT },
  { name: 'UTF-16LE', headers: { 'content-type': 'application/json; charset=utf-16le' }, body: utf16(INIT) },
  { name: 'malformed media type', headers: { 'content-type': 'application/json/x' }, body: INIT },
  { name: 'gzip', headers: { 'content-encoding': 'gzip' }, body: gzipSync(INIT) },
  { name: 'gzip over the limit once inflated', headers: { 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ pad: 'x'.repeat(MAX_BODY * 4) })) },
  { name: 'corrupt gzip', headers: { 'content-encoding': 'gzip' }, body: 'not gzip at all' },
  { name: 'unknown Content-Encoding', headers: { 'content-encoding': 'compress' }, body: INIT },
  { name: 'preflight', method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' } },
  { name: 'preflight without Origin', method: 'OPTIONS' },
  { name: 'preflight from a foreign origin', method: 'OPTIONS', headers: { origin: 'http://evil.example' } },
];

describe.each([
  { label: 'without tokens (clients keyed by address)', withTokens: false },
  { label: 'with bearer tokens', withTokens: true },
])('POST /mcp rules: fast path = Express middlewares, $label', ({ withTokens }) => {
  let reference: Server;
  let fast: Server;
  beforeAll(async () => {
    [reference, fast] = await Promise.all([listen(referenceApp(withTokens)), listen(fastHandler(withTokens))]);
  });
  afterAll(() => {
    reference.close();
    fast.close();
  });
  /** The same request to both; the answers must be equal. Rate-limit budgets are consumed alike. */
  const both = async (c: Case): Promise<Answer> => {
    const expected = await send(portOf(reference), c);
    const actual = await send(portOf(fast), c);
    expect(actual, c.name).toEqual(expected);
    return actual;
  };

  // a client of its own for each case (token, else source address), so the rate limit stays out of the way
  it.each(CASES.map((c, i) => ({ ...c, i })))('$name', async ({ i, ...c }) => {
    const client = withTokens ? { headers: { authorization: `Bearer ${TOKENS[i + 2]}`, ...c.headers } } : { from: ADDRESSES[i + 2] };
    const a = await both({ ...c, ...client, headers: { ...client.headers, ...c.headers } });
    expect(a.status, a.body).not.toBe(429);
  });

  if (withTokens) {
    it('401s: no token, another scheme, a malformed header, a wrong token', async () => {
      for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer  two-spaces', 'bearer nope-nope-nope-nope', `BEARER ${TOKENS[0]}x`]) {
        const r = await both({ name: String(authorization), headers: authorization === undefined ? {} : { authorization }, body: INIT });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      }
    });
    it('counts each token separately and answers 429 with the same headers past the budget', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= 2 * LIMIT; i++) {
        statuses.push((await both({ name: `call ${i}`, headers: { authorization: `Bearer ${TOKENS[i % 2]}` }, body: INIT })).status);
      }
      // alternating between two tokens: only the first one's seventh call is over its budget
      expect(statuses).toEqual([...Array<number>(2 * LIMIT).fill(200), 429]);

    });
  } else {
    it('keys clients by address and answers 429 with the same headers past the budget', async () => {
      let last: Answer | undefined;
      for (let i = 0; i <= LIMIT; i++) last = await both({ name: `call ${i}`, from: ADDRESSES[0], body: INIT });
      expect(last!.status).toBe(429);
      expect(last!.headers['retry-after']).toBe('60');
      expect(last!.headers['ratelimit']).toMatch(/^limit=6, remaining=0, reset=\d+$/);
    });
  }
});

describe('readJsonBody and the rate limiter, directly', () => {
  it('recognises the JSON media types body-parser accepts', () => {
    for (const t of ['application/json', 'APPLICATION/JSON; charset=utf-8', 'application/ld+json', 'application/a+json']) expect(isJsonBodyType(t), t).toBe(true);
    for (const t of [undefined, '', 'text/json', 'application/jsonx', 'application/+json', 'application/json/x', 'json']) expect(isJsonBodyType(t), String(t)).toBe(false);
  });
  it('leaves a body of another type unread, for the handler that wants it', async () => {
    const server = await listen(async (req, res) => {
      const r = await readJsonBody(req, 100);
      let raw = '';
      for await (const chunk of req) raw += chunk;
      res.end(JSON.stringify({ r, raw }));
    });
    const a = await send(portOf(server), { name: 'text', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(JSON.parse(a.body)).toEqual({ r: { ok: true }, raw: 'hello' });
    server.close();
  });
  it('keys IPv6 clients by /56 like express-rate-limit and starts a new window when the old one ends', () => {
    const limiter = new RateLimiter(1, 1_000);
    const headers: Record<string, unknown> = {};
    const res = { headersSent: false, setHeader: (k: string, v: unknown) => (headers[k] = v), getHeader: () => undefined, end: () => undefined, statusCode: 200 } as unknown as ServerResponse;
    const req = (remoteAddress: string, auth?: AuthInfo) => ({ socket: { remoteAddress }, auth }) as unknown as NodeRequest;
    expect(limiter.admit(req('2001:db8:0:1::1'), res)).toBe(true);
    expect(limiter.admit(req('2001:db8:0:2::9'), res)).toBe(false); // same /56
    expect(limiter.admit(req('2001:db8:0:100::1'), res)).toBe(true); // another /56
    expect(limiter.admit(req('2001:db8:0:1::1', { token: 't', clientId: 'c', scopes: [] }), res)).toBe(true); // a token is its own client
    expect(headers['RateLimit-Policy']).toBe('1;w=1');
    limiter.close();
  });
});

describe('authenticate = the SDK requireBearerAuth, for every verifier outcome', () => {
  const METADATA = 'http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp';
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const now = Math.floor(Date.now() / 1000);
      switch (token) {
        case 'expired': return { token, clientId: 'c', scopes: [], expiresAt: now - 10 };
        case 'no-expiry': return { token, clientId: 'c', scopes: [] };
        case 'server-error': throw new ServerError('keys unavailable');
        case 'scope': throw new InsufficientScopeError('needs more');
        case 'other-oauth-error': throw new InvalidRequestError('odd');
        case 'crash': throw new Error('boom');
        case 'good': return { token, clientId: 'c', scopes: [], expiresAt: now + 60 };
        default: throw new InvalidTokenError('Invalid access token');
      }
    },
  };
  let reference: Server;
  let fast: Server;
  beforeAll(async () => {
    const app = express();
    app.disable('x-powered-by');
    app.use(requireBearerAuth({ verifier, resourceMetadataUrl: METADATA }), (req, res) => {
      res.json(echo(req as NodeRequest));
    });
    [reference, fast] = await Promise.all([
      listen(app),
      listen(async (req, res) => {
        if (await authenticate(req, res, verifier, METADATA)) sendJson(res, 200, echo(req));
      }),
    ]);
  });
  afterAll(() => {
    reference.close();
    fast.close();
  });
  it.each(['good', 'expired', 'no-expiry', 'server-error', 'scope', 'other-oauth-error', 'crash', 'unknown'])('%s', async (token) => {
    const c = { name: token, method: 'GET', headers: { authorization: `Bearer ${token}` } };
    expect(await send(portOf(fast), c)).toEqual(await send(portOf(reference), c));
  });
});
