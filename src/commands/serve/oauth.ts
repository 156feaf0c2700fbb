// `support-mcp serve` OAuth settings (issue 17): --oauth-* flags and MCP_OAUTH_* variables
// (flags win), resolved and checked here so serve.ts only wires them in. Kept free of the SDK
// and jose so configuration stays cheap to load.
import type { SelectedTool } from '../../server/selection.js';
import { ConfigError } from '../errors.js';

export interface OAuthScopeNames {
  read: string;
  write: string;
  verify: string;
}

export interface OAuthConfig {
  issuer: string;
  audience?: string;
  jwksUrl?: string;
  customerClaim: string;
  scopes: OAuthScopeNames;
  publicUrl?: string;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

// RFC 6749 §3.3 scope-token: printable ASCII except space, " and \.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const CLAIM = /^[\x21-\x7E]{1,200}$/;
const isLoopback = (hostname: string): boolean => ['localhost', '127.0.0.1', '::1', '[::1]'].includes(hostname) || hostname.startsWith('127.');

const httpUrl = (flag: string, raw: string, { loopbackHttp }: { loopbackHttp: boolean }): string => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`--${flag} is not a URL: '${raw.slice(0, 200)}'`);
  }
  const ok = u.protocol === 'https:' || (u.protocol === 'http:' && (!loopbackHttp || isLoopback(u.hostname)));
  if (!ok) throw new ConfigError(`--${flag} must be an https URL${loopbackHttp ? ' (http only on loopback)' : ''}, got '${raw.slice(0, 200)}'`);
  if (u.search || u.hash || raw.includes('#')) throw new ConfigError(`--${flag} must not have a query or fragment`);
  return raw;
};

export const DEFAULT_SCOPE_NAMES: OAuthScopeNames = { read: 'support:read', write: 'support:write', verify: 'support:verify' };

/** `read=S,write=S,verify=S` (any subset) over the defaults. */
export const parseScopeNames = (raw: string | undefined): OAuthScopeNames => {
  const names = { ...DEFAULT_SCOPE_NAMES };
  for (const part of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (key !== 'read' && key !== 'write' && key !== 'verify') {
      throw new ConfigError(`--oauth-scopes: expected read=SCOPE,write=SCOPE,verify=SCOPE, got '${part.slice(0, 100)}'`);
    }
    if (!SCOPE_TOKEN.test(value)) throw new ConfigError(`--oauth-scopes: '${value.slice(0, 100)}' is not a valid scope name (no spaces, quotes or backslashes)`);
    names[key] = value;
  }
  return names;
};

/** The OAuth settings, or undefined when --oauth-issuer / MCP_OAUTH_ISSUER is not set. */
export function resolveOAuthConfig(v: Values, env: NodeJS.ProcessEnv, transport: string, host: string): OAuthConfig | undefined {
  const str = (flag: string, envName: string): string | undefined => {
    const raw = (v[flag] as string | undefined) ?? env[envName];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const issuer = str('oauth-issuer', 'MCP_OAUTH_ISSUER');
  const audience = str('oauth-audience', 'MCP_OAUTH_AUDIENCE');
  const jwksUrl = str('oauth-jwks-url', 'MCP_OAUTH_JWKS_URL');
  const customerClaim = str('oauth-customer-claim', 'MCP_OAUTH_CUSTOMER_CLAIM') ?? 'customer_id';
  const scopesRaw = str('oauth-scopes', 'MCP_OAUTH_SCOPES');
  const publicUrl = str('public-url', 'MCP_PUBLIC_URL');
  if (issuer === undefined) {
    const stray = [['oauth-audience', audience], ['oauth-jwks-url', jwksUrl], ['oauth-scopes', scopesRaw]].find(([, val]) => val !== undefined);
    if (stray || v['oauth-customer-claim'] !== undefined) throw new ConfigError(`--${stray?.[0] ?? 'oauth-customer-claim'} needs --oauth-issuer (MCP_OAUTH_ISSUER)`);
    return undefined;
  }
  if (transport !== 'http') throw new ConfigError('--oauth-issuer applies to --transport http only (stdio has no bearer tokens)');
  httpUrl('oauth-issuer', issuer, { loopbackHttp: true });
  if (jwksUrl !== undefined) httpUrl('oauth-jwks-url', jwksUrl, { loopbackHttp: true });
  if (publicUrl !== undefined) httpUrl('public-url', publicUrl, { loopbackHttp: false });
  // Off loopback the address the server binds to is not what clients use (0.0.0.0, a pod IP):
  // the resource in the metadata and the default audience would be wrong.
  if (publicUrl === undefined && !isLoopback(host)) throw new ConfigError(`--oauth-issuer on ${host.slice(0, 100)} needs --public-url (MCP_PUBLIC_URL): the base URL clients use, e.g. https://support.example.com`);
  if (audience !== undefined && audience.length > 500) throw new ConfigError('--oauth-audience is longer than 500 characters');
  if (!CLAIM.test(customerClaim)) throw new ConfigError(`--oauth-customer-claim must be a claim name without spaces, got '${customerClaim.slice(0, 100)}'`);
  return {
    issuer,
    ...(audience !== undefined ? { audience } : {}),
    ...(jwksUrl !== undefined ? { jwksUrl } : {}),
    customerClaim,
    scopes: parseScopeNames(scopesRaw),
    ...(publicUrl !== undefined ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
  };
}

/** The scope each selected tool needs (server/scopes.ts), by tool name. */
export async function toolScopesOf(selection: readonly SelectedTool[], names: OAuthScopeNames): Promise<ReadonlyMap<string, string>> {
  const { requiredScope } = await import('../../server/scopes.js');
  return new Map(selection.map((s) => [s.tool.name, requiredScope(s.tool, names)]));
}
