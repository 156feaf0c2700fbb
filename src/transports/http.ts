// Remote transports on one port: Streamable HTTP at /mcp (stateless by default, so any
// replica can answer any request), legacy HTTP+SSE at /sse + /messages (PromptArena's `url:`
// servers speak only that), and /healthz, /readyz for orchestrators.
//
// Order of the pipeline matters: Host/Origin checks (403) and CORS come first, then bearer
// auth (401), then the per-client rate limit (429), then the size-capped body parser (413),
// then the MCP handlers. Health probes skip auth and the rate limit. The rules are plain
// functions (http-rules.ts): POST /mcp runs them without Express (http-fast-path.ts), the
// Express app runs them through adapters for every other route.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logging/logger.js';
import { telemetry } from '../logging/telemetry.js';
import { ANONYMOUS_PRINCIPAL, idFingerprint, type Principal } from '../domain/principal.js';
import { principalOf } from '../server/create-server.js';
import { staticTokenVerifier } from './bearer-tokens.js';
import { isMcpPost, mcpPostHandler } from './http-fast-path.js';
import {
  authenticate, checkHost, checkOrigin, corsActual, corsPolicy, corsPreflight, jsonRpcError, originPolicy, RateLimiter, type NodeRequest,
} from './http-rules.js';
import { readJsonBody } from './http-body.js';
import type { StaticToken } from './static-tokens.js';
import { MultiplexTransport } from './multiplex.js';
import { handleStatelessPost } from './stateless-post.js';
import { oauthHttp, type OAuthOptions, type ToolScopes } from './oauth.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Sessions (Mcp-Session-Id) instead of stateless request handling. */
  stateful: boolean;
  /** Accepted bearer tokens and their principals; empty means no auth (loopback only; enforced by the CLI). */
  authTokens: readonly StaticToken[];
  /** Hostnames accepted in the Host header; default: loopback names when bound to loopback. */
  allowedHosts?: readonly string[];
  /** Origins accepted from browsers; default: loopback origins. */
  allowedOrigins?: readonly string[];
  maxBodyBytes: number;
  /** Requests per minute per client (bearer token, else IP address). */
  rateLimitPerMinute: number;
  /** Deadline for one MCP POST (the answer, not SSE streams); 504 after it. */
  requestTimeoutMs: number;
  sessionIdleTtlMs: number;
  maxSessions: number;
  shutdownGraceMs: number;
  /** OAuth resource server (oauth.ts): JWT access tokens from this issuer, scopes per tool. */
  oauth?: OAuthOptions & { toolScopes: ToolScopes };
}

export interface HttpDeps {
  /**
   * A server for one session (stateful, SSE) named by its conversation id, or the one server
   * shared by stateless requests, given a function naming each request's conversation.
   */
  makeServer: (conversationId: string | ((requestId: RequestId) => string)) => McpServer;
  /** Readiness: resolves when the data store answers. */
  ready: () => Promise<void>;
  logger: Logger;
  /**
   * A stateful or SSE session id was presented by a principal other than the one that opened
   * the session; it was answered 404 as an unknown session. For the audit trail.
   */
  onRefusedSession?: (transport: 'streamable-http' | 'sse', principal: Principal, sessionId: string) => void;
  /** Prometheus text for GET /metrics (observability/metrics.ts); none: no /metrics route. */
  metrics?: { contentType: string; render(): Promise<string> };
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded), closes sessions. */
  close(): Promise<void>;
}

export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];
export const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.includes(host) || host.startsWith('127.');

interface Session {
  transport: StreamableHTTPServerTransport | SSEServerTransport;
  server: McpServer;
  lastSeen: number;
  /** Who opened it: the only principal that may use it. */
  principal: Principal;
}

/** The principal a request authenticated as (no tokens configured: anonymous). */
const requestPrincipal = (req: NodeRequest): Principal => principalOf(req.auth, ANONYMOUS_PRINCIPAL);

/** An Express middleware running a rule: next() when it lets the request through, nothing when it answered. */
const step = (rule: (req: NodeRequest, res: ServerResponse) => boolean | Promise<boolean>): RequestHandler => (req, res, next) => {
  const passed = rule(req, res);
  if (passed === true) next();
  else if (passed !== false) passed.then((ok) => ok && next(), next);
};

export async function startHttpServer(opts: HttpOptions, deps: HttpDeps): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false); // rate-limit keys use the socket address unless a token identifies the client

  // DNS-rebinding protection: a browser tricked into calling us carries a foreign Host/Origin.
  const allowedHosts = opts.allowedHosts ?? (isLoopback(opts.host) ? ['localhost', '127.0.0.1', '[::1]'] : undefined);
  if (allowedHosts) app.use(step((req, res) => checkHost(req, res, allowedHosts)));
  // OAuth (oauth.ts): protected-resource metadata is public, for any origin.
  const oauth = opts.oauth ? oauthHttp(opts.oauth, opts.oauth.toolScopes, deps.logger, opts.authTokens.length > 0 ? staticTokenVerifier(opts.authTokens) : undefined) : undefined;
  if (oauth) app.use(oauth.metadata);
  const originAllowed = originPolicy(opts.allowedOrigins);
  app.use(step((req, res) => checkOrigin(req, res, originAllowed)));
  const cors = corsPolicy([...(opts.stateful ? ['Mcp-Session-Id'] : []), ...(opts.oauth ? ['WWW-Authenticate'] : [])]);
  app.use((req, res, next) => {
    if (req.method === 'OPTIONS') return corsPreflight(req, res, cors);
    corsActual(req, res, cors);
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.ready();
      res.json({ status: 'ready' });
    } catch (err) {
      // A reachable database whose schema does not fit this binary says so (serve/database.ts).
      res.status(503).json({ status: 'unavailable', reason: (err as { readyzReason?: string }).readyzReason ?? 'database not reachable' });
    }
  });

  // One limiter for every route: a client has one budget per minute.
  const limiter = new RateLimiter(opts.rateLimitPerMinute);
  const verifier = opts.authTokens.length > 0 ? staticTokenVerifier(opts.authTokens) : undefined;
  const authenticateRequest = oauth
    ? oauth.authenticate
    : verifier
      ? async (req: NodeRequest, res: ServerResponse) => (await authenticate(req, res, verifier)) !== undefined
      : undefined;
  const auth = authenticateRequest ? [step(authenticateRequest)] : [];
  const readBody: RequestHandler = (req, res, next) => {
    readJsonBody(req, opts.maxBodyBytes).then((r) => (r.ok ? next() : jsonRpcError(res, r.status, r.code, r.message)), next);
  };
  const mcpRoutes = ['/mcp', '/sse', '/messages'];
  app.use(mcpRoutes, ...auth, step((req, res) => limiter.admit(req, res)), readBody, ...(oauth ? [step(oauth.checkScope)] : []));

  // GET /metrics (issue 16): protected like the MCP endpoints (loopback only without tokens).
  if (deps.metrics) {
    const metrics = deps.metrics;
    app.get('/metrics', ...auth, async (_req, res) => {
      try {
        res.setHeader('Content-Type', metrics.contentType).send(await metrics.render());
      } catch {
        res.status(500).type('text/plain').send('metrics unavailable\n');
      }
    });
  }

  // In-flight tracking for graceful shutdown, and the per-request deadline.
  let inFlight = 0;
  let draining = false;
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (draining) {
      res.setHeader('Connection', 'close');
      jsonRpcError(res, 503, -32000, 'Server is shutting down');
      return false;
    }
    if (req.method !== 'POST') return true;
    inFlight++;
    const timer = setTimeout(() => jsonRpcError(res, 504, -32000, 'Request timed out'), opts.requestTimeoutMs);
    res.on('close', () => {
      inFlight--;
      clearTimeout(timer);
    });
    return true;
  };
  app.use(mcpRoutes, step(admit));

  const sessions = new Map<string, Session>();
  /**
   * The session named by `sid`, if it exists AND belongs to the requesting principal. A
   * session id presented by anyone else is answered exactly like an unknown one (404), so it
   * is worthless to them, and the attempt is reported (warn log + audit, fingerprint only).
   */
  function ownSession(req: NodeRequest, sid: string | undefined, kind: 'streamable-http'): (Session & { transport: StreamableHTTPServerTransport }) | undefined;
  function ownSession(req: NodeRequest, sid: string | undefined, kind: 'sse'): (Session & { transport: SSEServerTransport }) | undefined;
  function ownSession(req: NodeRequest, sid: string | undefined, kind: 'streamable-http' | 'sse'): Session | undefined {
    const s = sid ? sessions.get(sid) : undefined;
    if (!s || !(kind === 'sse' ? s.transport instanceof SSEServerTransport : s.transport instanceof StreamableHTTPServerTransport)) return undefined;
    const principal = requestPrincipal(req);
    if (s.principal.id !== principal.id) {
      if (deps.onRefusedSession) deps.onRefusedSession(kind, principal, sid!);
      else deps.logger.warn({ event: 'principal_mismatch', principal: principal.id, transport: kind, session: idFingerprint(sid!) }, 'refused a session that belongs to another principal');
      return undefined;
    }
    return s;
  }
  let shared: { transport: MultiplexTransport; server: McpServer } | undefined;
  const closeSession = (id: string): void => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    void s.transport.close().catch(() => undefined);
    void s.server.close().catch(() => undefined);
  };

  /** POST /mcp once the rules passed (http-fast-path.ts; the Express route for odd spellings of /mcp). */
  let handleMcpPost: (req: NodeRequest, res: ServerResponse) => Promise<void>;
  if (opts.stateful) {
    handleMcpPost = async (req, res) => {
      const sid = req.headers['mcp-session-id'] as string | undefined;
      if (sid) {
        const s = ownSession(req, sid, 'streamable-http');
        if (!s) return jsonRpcError(res, 404, -32001, 'Session not found: start a new session with initialize');
        s.lastSeen = Date.now();
        return s.transport.handleRequest(req, res, req.body);
      }
      if (!isInitializeRequest(req.body)) {
        return jsonRpcError(res, 400, -32000, 'Bad Request: no valid Mcp-Session-Id; send initialize first');
      }
      if (sessions.size >= opts.maxSessions) {
        res.setHeader('Retry-After', '30');
        return jsonRpcError(res, 503, -32000, 'Too many open sessions; retry later');
      }
      // SSE responses (not enableJsonResponse): JSON mode leaks per request in stateful
      // sessions in SDK 1.x (typescript-sdk#2559).
      let server: McpServer | undefined;
      const principal = requestPrincipal(req);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server: server!, lastSeen: Date.now(), principal });
        },
        onsessionclosed: (id) => closeSession(id),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      server = deps.makeServer(`http-session`); // the session id reaches handlers as extra.sessionId
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    };
    const bySession = async (req: Request, res: Response) => {
      const sid = req.header('mcp-session-id');
      const s = ownSession(req, sid, 'streamable-http');
      if (!s) {
        return jsonRpcError(res, sid ? 404 : 400, sid ? -32001 : -32000, sid ? 'Session not found' : 'Missing Mcp-Session-Id');
      }
      s.lastSeen = Date.now();
      await s.transport.handleRequest(req, res);
    };
    app.get('/mcp', bySession);
    app.delete('/mcp', bySession);
  } else {
    // One server for every stateless request (multiplex.ts); each POST is checked and
    // answered by stateless-post.ts.
    const mux = new MultiplexTransport();
    shared = { transport: mux, server: deps.makeServer((requestId) => String(requestId)) };
    await shared.server.connect(mux);
    handleMcpPost = (req, res) => handleStatelessPost(req, res, mux);
    const notAllowed = (_req: Request, res: Response) => {
      res.setHeader('Allow', 'POST');
      jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; use POST /mcp');
    };
    app.get('/mcp', notAllowed);
    app.delete('/mcp', notAllowed);
  }

  // Legacy HTTP+SSE (protocol 2024-11-05): GET /sse opens the stream and announces
  // /messages?sessionId=…; the session ends when the stream closes.
  app.get('/sse', async (req, res) => {
    if (sessions.size >= opts.maxSessions) {
      res.setHeader('Retry-After', '30');
      return jsonRpcError(res, 503, -32000, 'Too many open sessions; retry later');
    }
    const transport = new SSEServerTransport('/messages', res);
    const server = deps.makeServer('sse');
    sessions.set(transport.sessionId, { transport, server, lastSeen: Date.now(), principal: requestPrincipal(req) });
    res.on('close', () => closeSession(transport.sessionId));
    await server.connect(transport);
  });
  app.post('/messages', async (req, res) => {
    const sid = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const s = ownSession(req, sid, 'sse');
    if (!s) return jsonRpcError(res, 404, -32001, 'Session not found');
    s.lastSeen = Date.now();
    await s.transport.handlePostMessage(req, res, req.body);
  });

  app.post('/mcp', (req, res) => handleMcpPost(req, res));

  app.use((_req, res) => jsonRpcError(res, 404, -32601, 'Not found: the MCP endpoint is POST /mcp (or GET /sse)'));
  // Handler failures as JSON-RPC answers; never a stack.
  const answerError = (err: Error & { status?: number }, res: ServerResponse): void => {
    if (err.status && err.status >= 400 && err.status < 500) return jsonRpcError(res, err.status, -32600, 'Invalid request');
    deps.logger.error({ err }, 'http handler failure');
    jsonRpcError(res, 500, -32603, 'Internal error');
  };
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => answerError(err, res));

  const fastPost = mcpPostHandler({
    allowedHosts, originAllowed, cors, authenticate: authenticateRequest, limiter, maxBodyBytes: opts.maxBodyBytes,
    checkScope: oauth?.checkScope, admit, handle: (req, res) => handleMcpPost(req, res),
    onError: (err, res) => answerError(err as Error & { status?: number }, res),
  });

  // Idle stateful sessions are evicted: clients often never send DELETE.
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - opts.sessionIdleTtlMs;
    for (const [id, s] of sessions) {
      if (s.transport instanceof StreamableHTTPServerTransport && s.lastSeen < cutoff) closeSession(id);
    }
  }, Math.min(60_000, Math.max(1_000, opts.sessionIdleTtlMs / 4)));
  sweeper.unref();

  // POST /mcp takes the fast path; everything else is the Express app's.
  const httpServer: HttpServer = createServer((req, res) => (isMcpPost(req) ? fastPost(req, res) : app(req, res)));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  httpServer.headersTimeout = 15_000;
  httpServer.requestTimeout = Math.max(opts.requestTimeoutMs, 15_000);
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host;
  oauth?.bind(`http://${hostForUrl}:${port}`);
  deps.logger.info({
    transport: 'http', host: opts.host, port, stateful: opts.stateful, auth: opts.authTokens.length > 0 || oauth !== undefined,
    ...(oauth ? { oauth_issuer: opts.oauth!.issuer, oauth_resource: oauth.resource, oauth_audience: oauth.audience } : {}),
  }, 'support-mcp ready');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        draining = true;
        clearInterval(sweeper);
        limiter.close();
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        const deadline = Date.now() + opts.shutdownGraceMs;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const id of [...sessions.keys()]) closeSession(id);
        if (shared) await shared.server.close().catch(() => undefined);
        httpServer.closeIdleConnections();
        const timeout = new Promise<void>((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref());
        await Promise.race([closed, timeout]);
        httpServer.closeAllConnections();
      })()),
  };
}
