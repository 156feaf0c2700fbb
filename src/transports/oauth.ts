// OAuth 2.1 resource server (issue 17), the MCP authorization spec's way: support-mcp accepts
// JWT access tokens issued by the organisation's own authorization server and never issues
// tokens itself.
// - GET /.well-known/oauth-protected-resource[/mcp] (RFC 9728) names the issuer;
// - a request without a valid token is answered 401 with
//   `WWW-Authenticate: Bearer …, resource_metadata="…"` (the SDK's requireBearerAuth, as
//   http-rules.ts authenticate);
// - tokens are JWTs checked with jose against the issuer's JWKS (found by discovery unless
//   --oauth-jwks-url says where): signature with an asymmetric algorithm, `iss`, `aud`
//   (RFC 8707: this server's resource), `exp` (required) and `nbf` with 30 s of clock skew;
//   keys are cached and re-fetched when a token names an unknown `kid` (key rotation), at
//   most once per cooldown so made-up kids cannot hammer the authorization server;
// - scopes gate tools (server/scopes.ts): a tools/call the token's scopes do not allow is
//   answered 403 `insufficient_scope` with the scope to ask for (step-up);
// - the principal is the token's subject and client (domain/principal.ts oauthPrincipal),
//   and a customer claim binds the conversation to that customer (services/customer-bound-access.ts).
import type { RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import express from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { oauthPrincipal, type Principal } from '../domain/principal.js';
import type { Logger } from '../logging/logger.js';
import { stepUpScope, type ScopeGate, type ScopeNames } from '../server/scopes.js';
import { authenticate, sendJson, type NodeRequest } from './http-rules.js';

export interface OAuthOptions {
  /** The authorization server's issuer identifier, exactly as its tokens' `iss` spell it. */
  issuer: string;
  /** Accepted `aud` (RFC 8707 resource); default: the server's public /mcp URL. */
  audience?: string;
  /** Where the issuer's keys are; default: from its discovery document. */
  jwksUrl?: string;
  /** Claim naming the customer a token speaks for (default customer_id). */
  customerClaim: string;
  scopes: ScopeNames;
  /** The server's base URL as clients see it (default: the address it listens on). */
  publicUrl?: string;
  /** Clock skew allowed on exp/nbf, seconds (30). */
  clockToleranceS?: number;
  /** Least time between two JWKS fetches for an unknown kid, ms (30000). */
  jwksCooldownMs?: number;
}

/** The scope each tool needs, by tool name (server/scopes.ts requiredScope over the selection). */
export type ToolScopes = ReadonlyMap<string, string>;

/** Asymmetric algorithms only: HS* against a published key would be an algorithm-confusion hole, `none` is never accepted. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const MAX_ID_LENGTH = 256;
/** Verified tokens remembered (by SHA-256 of the token), and for how long at most. */
const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

/** A refusal for the 401 answer: the description goes into WWW-Authenticate (no quotes, no token content). */
const refused = (reason: string, description: string): InvalidTokenError & { reason: string } =>
  Object.assign(new InvalidTokenError(description), { reason });

const describeJoseError = (err: unknown): InvalidTokenError & { reason: string } => {
  if (err instanceof joseErrors.JWTExpired) return refused('expired', 'The access token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'aud':
        return refused('wrong_audience', 'The access token was not issued for this resource');
      case 'iss':
        return refused('wrong_issuer', 'The access token was not issued by the expected authorization server');
      case 'nbf':
        return refused('not_yet_valid', 'The access token is not valid yet');
      case 'exp':
        return refused('no_expiry', 'The access token has no expiry');
      default:
        return refused(`bad_claim_${err.claim.replace(/[^a-z_]/gi, '').slice(0, 20)}`, 'The access token has an invalid claim');
    }
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return refused('bad_signature', 'The access token signature is invalid');
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported) return refused('algorithm_not_accepted', 'The access token algorithm is not accepted');
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) return refused('unknown_key', 'The access token is signed with an unknown key');
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JOSEError) return refused('malformed', 'The access token is malformed');
  return refused('malformed', 'The access token is malformed');
};

/** Whether an error means "the issuer could not be asked" (network, timeout, bad JWKS document), not "the token is bad". */
const isUpstreamFailure = (err: unknown): boolean =>
  err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid
  || (err instanceof Error && !(err instanceof joseErrors.JOSEError));

/** The issuer's metadata document (OIDC discovery, then RFC 8414), checked to name this issuer. */
async function discoverJwksUri(issuer: string): Promise<string> {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, '');
  const candidates = [
    `${u.origin}${path}/.well-known/openid-configuration`,
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}/.well-known/openid-configuration${path}`,
  ];
  let last = 'no metadata document';
  for (const url of candidates) {
    let res: globalThis.Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    } catch (err) {
      last = `${url}: ${(err as Error).message}`;
      continue;
    }
    if (!res.ok) {
      last = `${url}: HTTP ${res.status}`;
      await res.body?.cancel();
      continue;
    }
    const doc = (await res.json().catch(() => null)) as { issuer?: unknown; jwks_uri?: unknown } | null;
    // RFC 8414 §3.3 / OIDC discovery §4.3: the document must name exactly this issuer (mix-up defence).
    if (!doc || doc.issuer !== issuer) throw new Error(`${url} names issuer '${String(doc?.issuer).slice(0, 200)}', not '${issuer}': set --oauth-issuer to exactly the issuer the tokens carry`);
    if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    return doc.jwks_uri;
  }
  throw new Error(`could not discover the issuer's keys (${last}); set --oauth-jwks-url`);
}

export interface JwtVerifierOptions extends OAuthOptions {
  /** The audience tokens must carry (resolved: --oauth-audience or the public /mcp URL). */
  audience: string;
}

/**
 * Verifies JWT access tokens from the issuer (the OAuthTokenVerifier http-rules.ts authenticate calls).
 * Refusals are InvalidTokenError (401); an issuer that cannot be reached is ServerError (500).
 */
export function jwtAccessTokenVerifier(opts: JwtVerifierOptions, logger: Logger): OAuthTokenVerifier {
  const issuerUrl = new URL(opts.issuer);
  const resource = (() => {
    try {
      return new URL(opts.audience);
    } catch {
      return undefined; // e.g. an Entra application id: no URL, no AuthInfo.resource
    }
  })();
  let keys: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = 0;
  const getKeys = (): Promise<JWTVerifyGetKey> => {
    if (keys === undefined) {
      if (Date.now() - failedAt < 5_000) return Promise.reject(new Error('the issuer\'s keys could not be loaded a moment ago'));
      keys = (opts.jwksUrl ? Promise.resolve(opts.jwksUrl) : discoverJwksUri(opts.issuer)).then((uri) =>
        createRemoteJWKSet(new URL(uri), {
          cooldownDuration: opts.jwksCooldownMs ?? 30_000,
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: FETCH_TIMEOUT_MS,
        }),
      );
      keys.catch((err: unknown) => {
        failedAt = Date.now();
        keys = undefined;
        logger.warn({ event: 'oauth_discovery_failed', issuer: opts.issuer, err: (err as Error).message }, 'could not load the authorization server\'s keys');
      });
    }
    return keys;
  };
  // Warm up (and report a misconfigured issuer at start-up); failures are retried on use.
  void getKeys().catch(() => undefined);

  const refuse = (err: InvalidTokenError & { reason: string }): never => {
    logger.warn({ event: 'token_refused', reason: err.reason }, 'refused an access token');
    throw err;
  };

  // A client sends the same token until it expires: its verification is remembered (keyed by
  // a digest, not the token) for at most a minute and never past the token's expiry, so a
  // busy client costs one signature check per minute instead of one per call.
  const verified = new Map<string, { info: AuthInfo; until: number }>();
  const remembered = (key: string): AuthInfo | undefined => {
    const hit = verified.get(key);
    if (hit === undefined) return undefined;
    if (hit.until > Date.now()) return hit.info;
    verified.delete(key);
    return undefined;
  };
  const remember = (key: string, info: AuthInfo): void => {
    if (verified.size >= CACHE_ENTRIES) verified.delete(verified.keys().next().value!);
    verified.set(key, { info, until: Math.min(Date.now() + CACHE_TTL_MS, (info.expiresAt ?? 0) * 1000) });
  };

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = createHash('sha256').update(token).digest('base64url');
      const known = remembered(key);
      if (known) return known;
      const info = await verify(token);
      remember(key, info);
      return info;
    },
  };

  async function verify(token: string): Promise<AuthInfo> {
    let payload: JWTPayload;
    try {
      const getKey = await getKeys();
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: opts.clockToleranceS ?? 30,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (isUpstreamFailure(err)) {
        logger.warn({ event: 'oauth_keys_unavailable', issuer: opts.issuer, err: (err as Error).message }, 'could not check an access token: the authorization server\'s keys are unavailable');
        throw new ServerError('The authorization server\'s keys are unavailable; try again shortly');
      }
      return refuse(describeJoseError(err));
    }
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    // RFC 9068: client_id; Auth0/Keycloak/Entra v2: azp; Okta: cid; Entra v1: appid.
    const client = str(payload['client_id']) ?? str(payload['azp']) ?? str(payload['cid']) ?? str(payload['appid']);
    const sub = str(payload.sub) ?? client;
    if (sub === undefined) return refuse(refused('no_subject', 'The access token names no subject'));
    if (sub.length > MAX_ID_LENGTH || (client?.length ?? 0) > MAX_ID_LENGTH) return refuse(refused('malformed', 'The access token is malformed'));
    const scopeClaim = (v: unknown): string[] => (typeof v === 'string' ? v.split(' ') : Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    const scopes = [...new Set([...scopeClaim(payload['scope']), ...scopeClaim(payload['scp'])].filter(Boolean))];
    // The SDK middleware refuses anything past expiresAt without skew: give it the same
    // tolerance jose applied, and bind the customer for exactly that long.
    const exp = payload.exp! + (opts.clockToleranceS ?? 30);
    // A customer claim that is present but unusable fails closed: never read as a staff token.
    let customer: { id: string; until: number } | undefined;
    const raw = payload[opts.customerClaim];
    if (raw !== undefined && raw !== null) {
      const id = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (id === '' || id.length > 128) return refuse(refused('bad_customer_claim', 'The access token customer claim is malformed'));
      customer = { id, until: exp * 1000 };
    }
    const principal: Principal = oauthPrincipal(issuerUrl, sub, client, customer);
    const gate: ScopeGate = { names: opts.scopes };
    return {
      token,
      clientId: principal.id, // keys the per-client HTTP rate limit
      scopes,
      expiresAt: exp,
      ...(resource ? { resource } : {}),
      extra: { principal, scopeGate: gate },
    };
  }
}

/** Static tokens and JWTs side by side (both configured): the static list first, then the issuer. */
export const eitherVerifier = (first: OAuthTokenVerifier, second: OAuthTokenVerifier): OAuthTokenVerifier => ({
  async verifyAccessToken(token) {
    try {
      return await first.verifyAccessToken(token);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      return second.verifyAccessToken(token);
    }
  },
});

export interface OAuthHttp {
  /** Sets the public base URL once the port is known (before the first request is answered). */
  bind(baseUrl: string): void;
  /** The resource (the public /mcp URL) and the accepted audience, once bound. */
  readonly resource: string | undefined;
  readonly audience: string | undefined;
  /** Protected-resource metadata (mount at the root, before auth). */
  metadata: RequestHandler;
  /** Bearer auth on the MCP routes: sets req.auth, or answers 401 with resource_metadata (false). */
  authenticate(req: NodeRequest, res: ServerResponse): Promise<boolean>;
  /** After the body is read: answers 403 insufficient_scope (false) for a tools/call the token's scopes do not allow. */
  checkScope(req: NodeRequest, res: ServerResponse): boolean;
}

/**
 * The HTTP side of the resource server. `staticTokens`: the static-token verifier when
 * --auth-token is configured as well (those tokens keep every tool).
 */
export function oauthHttp(opts: OAuthOptions, toolScopes: ToolScopes, logger: Logger, staticTokens?: OAuthTokenVerifier): OAuthHttp {
  let bound: { resource: string; audience: string; metadataUrl: string; prm: RequestHandler; verifier: OAuthTokenVerifier } | undefined;
  return {
    bind(baseUrl) {
      const base = (opts.publicUrl ?? baseUrl).replace(/\/+$/, '');
      const resource = `${base}/mcp`;
      const audience = opts.audience ?? resource;
      const metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(resource));
      const jwt = jwtAccessTokenVerifier({ ...opts, audience }, logger);
      const prm = express.Router();
      const doc = metadataHandler({
        resource,
        authorization_servers: [opts.issuer],
        scopes_supported: [opts.scopes.read, opts.scopes.write, opts.scopes.verify],
        bearer_methods_supported: ['header'],
        resource_name: 'support-mcp',
      });
      // RFC 9728 §3.1: the well-known suffix goes before the resource's path; the root
      // document too, for clients that look there.
      const paths = [...new Set([new URL(metadataUrl).pathname, '/.well-known/oauth-protected-resource'])];
      for (const p of paths) prm.use(p, doc);
      bound = { resource, audience, metadataUrl, prm, verifier: staticTokens ? eitherVerifier(staticTokens, jwt) : jwt };
    },
    get resource() {
      return bound?.resource;
    },
    get audience() {
      return bound?.audience;
    },
    metadata: (req, res, next) => (bound ? bound.prm(req, res, next) : next()),
    async authenticate(req, res) {
      if (!bound) {
        sendJson(res, 503, { jsonrpc: '2.0', error: { code: -32000, message: 'Server is starting' }, id: null });
        return false;
      }
      return (await authenticate(req, res, bound.verifier, bound.metadataUrl)) !== undefined;
    },
    checkScope(req, res) {
      const auth = req.auth;
      if (!bound || !auth || auth.extra?.['scopeGate'] === undefined) return true;
      const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
      for (const m of messages) {
        if (!m || typeof m !== 'object' || (m as { method?: unknown }).method !== 'tools/call') continue;
        const name = (m as { params?: { name?: unknown } }).params?.name;
        const needed = typeof name === 'string' ? toolScopes.get(name) : undefined;
        if (needed === undefined || auth.scopes.includes(needed)) continue;
        const principal = (auth.extra?.['principal'] as Principal | undefined)?.id;
        logger.warn({ event: 'insufficient_scope', principal, tool: name, scope: needed }, 'refused a tool call: the token lacks its scope');
        res.setHeader('WWW-Authenticate',
          `Bearer error="insufficient_scope", scope="${stepUpScope(auth.scopes, needed, opts.scopes)}", resource_metadata="${bound.metadataUrl}", error_description="${name} needs the ${needed} scope"`);
        sendJson(res, 403, { jsonrpc: '2.0', error: { code: -32000, message: `insufficient_scope: ${name} needs the ${needed} scope` }, id: (m as { id?: unknown }).id ?? null });
        return false;
      }
      return true;
    },
  };
}
