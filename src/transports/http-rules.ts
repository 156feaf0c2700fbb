// The rules in front of the MCP endpoints, as plain functions over node's request/response:
// Host and Origin checks, CORS, bearer authentication, the per-client rate limit and the
// size-capped JSON body. POST /mcp runs them directly (http-fast-path.ts); the Express app
// (http.ts) runs the same functions through thin adapters for its other routes, so each rule
// has one implementation and one rate-limit budget per client. The JSON body reader is in
// http-body.ts.
//
// Why not the Express middlewares (cors, express-rate-limit, body-parser, the SDK's
// hostHeaderValidation/requireBearerAuth): on the hot path they cost about a third of the
// server's CPU per tool call (issue 15). Their answers are kept byte for byte: status, headers
// (including the weak ETag Express puts on JSON answers) and bodies;
// test/server/http-rules.test.ts checks that against those middlewares.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ipKeyGenerator } from 'express-rate-limit';
import { InsufficientScopeError, InvalidTokenError, OAuthError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { telemetry } from '../logging/telemetry.js';

/** A request as the rules leave it: `auth` once authenticated, `body` once read (the SDK's conventions). */
export type NodeRequest = IncomingMessage & { auth?: AuthInfo; body?: unknown };

// --- answers ------------------------------------------------------------------------------

/** Express's weak ETag (the `etag` package): byte length and SHA-1 of the body. */
const weakEtag = (text: string): string =>
  `W/"${Buffer.byteLength(text).toString(16)}-${createHash('sha1').update(text, 'utf8').digest('base64').slice(0, 27)}"`;

/** A JSON answer with exactly the headers Express's `res.status(s).json(body)` writes. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('ETag', weakEtag(text));
  res.end(text);
}

export const jsonRpcError = (res: ServerResponse, status: number, code: number, message: string): void =>
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });

// --- Host and Origin (DNS rebinding) ------------------------------------------------------

/** The SDK's hostHeaderValidation: true if the Host header names an allowed hostname, else answered 403. */
export function checkHost(req: IncomingMessage, res: ServerResponse, allowedHostnames: readonly string[]): boolean {
  const host = req.headers.host;
  if (!host) {
    jsonRpcError(res, 403, -32000, 'Missing Host header');
    return false;
  }
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    jsonRpcError(res, 403, -32000, `Invalid Host header: ${host}`);
    return false;
  }
  if (!allowedHostnames.includes(hostname)) {
    jsonRpcError(res, 403, -32000, `Invalid Host: ${hostname}`);
    return false;
  }
  return true;
}

/** Origins accepted from browsers: the configured list, else loopback origins. */
export const originPolicy = (allowedOrigins: readonly string[] | undefined) => (origin: string): boolean => {
  if (allowedOrigins) return allowedOrigins.includes(origin);
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(origin).hostname);
  } catch {
    return false;
  }
};

/** True if the request carries no Origin or an allowed one, else answered 403. */
export function checkOrigin(req: IncomingMessage, res: ServerResponse, allowed: (origin: string) => boolean): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed(origin)) {
    jsonRpcError(res, 403, -32000, `Origin not allowed: ${origin}`);
    return false;
  }
  return true;
}

// --- CORS (the `cors` package's headers for our options; origins were checked above) -------

export interface CorsPolicy {
  /** Response headers browsers may read ('' for none). */
  exposedHeaders: string;
}
const CORS_METHODS = 'GET,POST,DELETE,OPTIONS';
const CORS_ALLOWED_HEADERS = 'Content-Type,Authorization,Mcp-Session-Id,Mcp-Protocol-Version,Last-Event-ID';

export const corsPolicy = (exposed: readonly string[]): CorsPolicy => ({ exposedHeaders: exposed.join(',') });

/** The `vary` package: adds a field to Vary unless it is there already (or Vary is `*`). */
function vary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  const value = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (value === '') return void res.setHeader('Vary', field);
  const fields = value.split(',').map((f) => f.trim().toLowerCase());
  if (fields.includes('*') || fields.includes(field.toLowerCase())) return;
  res.setHeader('Vary', `${value}, ${field}`);
}

function corsOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
  vary(res, 'Origin');
}

/** CORS headers for an actual (non-preflight) request. */
export function corsActual(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): void {
  corsOrigin(req, res);
  if (policy.exposedHeaders) res.setHeader('Access-Control-Expose-Headers', policy.exposedHeaders);
}

/** Answers a preflight (OPTIONS) request: 204 with the allowed methods and headers. */
export function corsPreflight(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): void {
  corsOrigin(req, res);
  res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
  res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
  if (policy.exposedHeaders) res.setHeader('Access-Control-Expose-Headers', policy.exposedHeaders);
  res.statusCode = 204;
  res.setHeader('Content-Length', '0');
  res.end();
}

// --- bearer authentication ------------------------------------------------------------------

/**
 * The SDK's requireBearerAuth (server/auth/middleware/bearerAuth.js, no required scopes or
 * expected resource, which we do not use): sets `req.auth` and returns it, or answers
 * 401 invalid_token / 403 insufficient_scope with WWW-Authenticate, 500 server_error, or 400
 * for other OAuth errors, and returns undefined.
 */
export async function authenticate(req: NodeRequest, res: ServerResponse, verifier: OAuthTokenVerifier, resourceMetadataUrl?: string): Promise<AuthInfo | undefined> {
  try {
    const header = req.headers.authorization;
    if (!header) throw new InvalidTokenError('Missing Authorization header');
    const [type, token] = header.split(' ');
    if (type!.toLowerCase() !== 'bearer' || !token) throw new InvalidTokenError("Invalid Authorization header format, expected 'Bearer TOKEN'");
    const info = await verifier.verifyAccessToken(token);
    if (typeof info.expiresAt !== 'number' || isNaN(info.expiresAt)) throw new InvalidTokenError('Token has no expiration time');
    if (info.expiresAt < Date.now() / 1000) throw new InvalidTokenError('Token has expired');
    req.auth = info;
    return info;
  } catch (error) {
    const challenge = (e: OAuthError): string =>
      `Bearer error="${e.errorCode}", error_description="${e.message}"${resourceMetadataUrl ? `, resource_metadata="${resourceMetadataUrl}"` : ''}`;
    if (error instanceof InvalidTokenError || error instanceof InsufficientScopeError) {
      res.setHeader('WWW-Authenticate', challenge(error));
      sendJson(res, error instanceof InvalidTokenError ? 401 : 403, error.toResponseObject());
    } else if (error instanceof ServerError) {
      sendJson(res, 500, error.toResponseObject());
    } else if (error instanceof OAuthError) {
      sendJson(res, 400, error.toResponseObject());
    } else {
      sendJson(res, 500, new ServerError('Internal Server Error').toResponseObject());
    }
    return undefined;
  }
}

// --- per-client rate limit ----------------------------------------------------------------

interface Window {
  hits: number;
  resetAt: number;
}

/** The rate-limit key of an unauthenticated client: its address, IPv6 by /56 subnet (express-rate-limit's ipKeyGenerator). */
const ipKeys = new WeakMap<Socket, string>();
const ipKey = (socket: Socket): string => {
  let key = ipKeys.get(socket);
  if (key === undefined) ipKeys.set(socket, (key = `ip:${ipKeyGenerator(socket.remoteAddress ?? '0.0.0.0')}`));
  return key;
};

/**
 * A fixed window per client, counted like express-rate-limit's MemoryStore (the window starts
 * at a client's first request; idle clients are dropped in bulk), with its draft-7 headers.
 * One instance serves every route, so a client has one budget.
 */
export class RateLimiter {
  #current = new Map<string, Window>();
  #previous = new Map<string, Window>();
  readonly #sweep: NodeJS.Timeout;

  constructor(readonly limit: number, readonly windowMs = 60_000) {
    this.#sweep = setInterval(() => {
      this.#previous = this.#current;
      this.#current = new Map();
    }, windowMs);
    this.#sweep.unref();
  }

  /**
   * Counts one request (after authentication: an authenticated client is its clientId, anyone
   * else its address), sets the RateLimit headers, and answers 429 with Retry-After when the
   * client is over its budget. True if the request may go on.
   */
  admit(req: NodeRequest, res: ServerResponse): boolean {
    const clientId = req.auth?.clientId;
    const key = clientId ? `client:${clientId}` : ipKey(req.socket);
    let w = this.#current.get(key);
    if (w === undefined) {
      w = this.#previous.get(key) ?? { hits: 0, resetAt: 0 };
      this.#previous.delete(key);
      this.#current.set(key, w);
    }
    const now = Date.now();
    if (w.resetAt <= now) {
      w.hits = 0;
      w.resetAt = now + this.windowMs;
    }
    w.hits++;
    if (!res.headersSent) {
      const reset = Math.max(0, Math.ceil((w.resetAt - Date.now()) / 1000));
      res.setHeader('RateLimit-Policy', `${this.limit};w=${Math.ceil(this.windowMs / 1000)}`);
      res.setHeader('RateLimit', `limit=${this.limit}, remaining=${Math.max(this.limit - w.hits, 0)}, reset=${reset}`);
    }
    if (w.hits <= this.limit) return true;
    telemetry.rateLimited?.('http');
    res.setHeader('Retry-After', String(Math.ceil(this.windowMs / 1000)));
    jsonRpcError(res, 429, -32000, 'Too many requests: slow down and retry after the Retry-After delay');
    return false;
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}
