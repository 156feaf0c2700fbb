// The rules in front of the MCP endpoints, as plain functions over node's request/response:
// Host and Origin checks, CORS, bearer authentication, the per-client rate limit and the
// size-capped JSON body. POST /mcp runs them directly (http-fast-path.ts); the Express app
// (http.ts) runs the same functions through thin adapters for its other routes, so each rule
// has one implementation and one rate-limit budget per client.
//
// Why not the Express middlewares (cors, express-rate-limit, body-parser, the SDK's
// hostHeaderValidation/requireBearerAuth): on the hot path they cost about a third of the
// server's CPU per tool call (issue 15). Their answers are kept byte for byte: status, headers
// (including the weak ETag Express puts on JSON answers) and bodies;
// test/server/http-rules.test.ts checks that against those middlewares.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
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

// --- size-capped JSON body ----------------------------------------------------------------

/** A body that could not be read: the status and JSON-RPC error it is answered with. */
export interface BodyRefusal {
  status: number;
  code: number;
  message: string;
}
export type BodyResult = { ok: true; body: unknown } | ({ ok: false } & BodyRefusal);

const MEDIA_TYPE = /^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$/;

/** The media type of a Content-Type header, lower case, if it is a well-formed one (content-type 2 + media-typer). */
function mediaType(header: string): string | undefined {
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
  return MEDIA_TYPE.test(type) ? type : undefined;
}

/** Whether body-parser's json({ type: ['application/json', 'application/*+json'] }) would parse this Content-Type. */
export function isJsonBodyType(header: string | undefined): boolean {
  const type = header ? mediaType(header) : undefined;
  if (type === undefined) return false;
  if (type === 'application/json') return true;
  return type.startsWith('application/') && type.length - 'application/'.length >= 5 && type.endsWith('+json');
}

/** The charset parameter of a Content-Type header, lower case: content-type 2's lenient parameter parser (first one wins). */
function charsetOf(header: string): string | undefined {
  const ows = (i: number): number => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
    return i;
  };
  const trimEnd = (s: string): string => s.replace(/[ \t]+$/, '');
  let i = header.indexOf(';');
  if (i === -1) return undefined;
  while (i < header.length) {
    i = ows(i + 1); // past the ';'
    const keyStart = i;
    while (i < header.length && header[i] !== ';' && header[i] !== '=') i++;
    if (i >= header.length || header[i] === ';') continue;
    const key = trimEnd(header.slice(keyStart, i)).toLowerCase();
    i = ows(i + 1);
    let value: string | undefined = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) value += header[i] === '\\' && i + 1 < header.length ? header[++i] : header[i];
      if (i >= header.length) value = undefined; // unterminated: not a value
      while (i < header.length && header[i] !== ';') i++;
    } else {
      const valueStart = i;
      while (i < header.length && header[i] !== ';') i++;
      value = trimEnd(header.slice(valueStart, i));
    }
    if (key === 'charset' && value !== undefined) return value.toLowerCase();
  }
  return undefined;
}

const refusal = (status: number, code: number, message: string): BodyResult => ({ ok: false, status, code, message });
const invalid = (status: number): BodyResult => refusal(status, -32600, 'Invalid request');

/** Decoders for the charsets body-parser accepts (`utf-*`); UTF-8 is decoded as a Buffer. */
function decoderFor(charset: string): ((bytes: Buffer) => string) | undefined {
  if (charset === 'utf-8') {
    return (bytes) => {
      const text = bytes.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // iconv-lite strips a BOM
    };
  }
  try {
    const decoder = new TextDecoder(charset);
    return (bytes) => decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function decompressor(encoding: string): zlib.Inflate | zlib.Gunzip | zlib.BrotliDecompress | undefined {
  switch (encoding) {
    case 'deflate':
      return zlib.createInflate();
    case 'gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      const z = zlib as unknown as { createZstdDecompress?: () => zlib.Inflate };
      return z.createZstdDecompress?.();
    }
  }
  return undefined;
}

/** Reads the rest of a request and discards it (body-parser answers errors after the body is in). */
const drain = (req: IncomingMessage): Promise<void> =>
  new Promise((resolve) => {
    if (req.complete || req.destroyed) return resolve();
    req.on('end', resolve).on('close', resolve).on('error', resolve);
    req.resume();
  });

/**
 * The JSON body as express.json({ limit, type: ['application/json', 'application/*+json'] })
 * reads it, with the answers our error handler gives its errors. `req.body` is set as body-
 * parser sets it: undefined when the request has no body or another Content-Type (then the
 * stream is left unread), else the parsed value (an empty body is `{}`). Refusals: 413 over
 * the limit, 400 -32700 for invalid JSON (or a top-level value that is not an object/array),
 * 415 for a charset other than UTF-* or an unknown Content-Encoding, 400 for a broken stream.
 */
export async function readJsonBody(req: NodeRequest, limit: number): Promise<BodyResult> {
  req.body = undefined;
  const hasBody = req.headers['transfer-encoding'] !== undefined || !isNaN(req.headers['content-length'] as unknown as number);
  const contentType = req.headers['content-type'];
  if (!hasBody || !isJsonBodyType(contentType)) return { ok: true, body: undefined };

  const charset = charsetOf(contentType!) || 'utf-8';
  if (!charset.startsWith('utf-')) return invalid(415);
  const encoding = (req.headers['content-encoding'] || 'identity').toLowerCase();
  const inflate = encoding === 'identity' ? undefined : decompressor(encoding);
  if (encoding !== 'identity' && inflate === undefined) return invalid(415);

  const declared = encoding === 'identity' && req.headers['content-length'] !== undefined ? parseInt(req.headers['content-length'], 10) : NaN;
  if (declared > limit) {
    await drain(req);
    return refusal(413, -32000, `Request body larger than ${limit} bytes`);
  }
  const decode = decoderFor(charset);
  if (decode === undefined) {
    await drain(req);
    return invalid(415);
  }

  const read = await new Promise<{ bytes: Buffer } | { refused: BodyResult }>((resolve) => {
    const stream = inflate ?? req;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (result: { bytes: Buffer } | { refused: BodyResult }, thenDrain: boolean): void => {
      if (done) return;
      done = true;
      stream.removeListener('data', onData);
      if (inflate) {
        req.unpipe(inflate);
        inflate.on('error', () => undefined);
        inflate.destroy();
      }
      if (thenDrain) void drain(req).then(() => resolve(result));
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) finish({ refused: refusal(413, -32000, `Request body larger than ${limit} bytes`) }, true);
      else chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (!Number.isNaN(declared) && received !== declared) return finish({ refused: invalid(400) }, true);
      finish({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }, false);
    });
    stream.once('error', () => finish({ refused: invalid(400) }, true));
    req.once('aborted', () => finish({ refused: invalid(400) }, false));
    if (inflate) req.pipe(inflate);
  });
  if ('refused' in read) return read.refused;

  const text = decode(read.bytes);
  if (text.length === 0) return { ok: true, body: (req.body = {}) };
  // strict: only an object or an array at the top level
  const first = /^[\x20\x09\x0a\x0d]*(.?)/.exec(text)![1];
  if (first !== '{' && first !== '[') return refusal(400, -32700, 'Parse error: the body is not valid JSON');
  try {
    return { ok: true, body: (req.body = JSON.parse(text)) };
  } catch {
    return refusal(400, -32700, 'Parse error: the body is not valid JSON');
  }
}
