// A real OAuth 2.1 / OpenID authorization server inside the test: oidc-provider (a certified
// OpenID provider) on a loopback port, issuing RFC 9068 JWT access tokens for a resource
// (RFC 8707 resource indicators), with dynamic client registration, PKCE authorization code
// (its development login and consent pages, driven by `login()` as a browser would) and
// client credentials. Accounts map to customers through a `customer_id` claim, as a portal's
// authorization server would put it in a signed-in customer's token.
//
// Key rotation: rotateKeys() publishes a new signing key (first, so it signs) next to the
// old one; retireOldKeys() drops the old one. The JWKS endpoint counts its fetches.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const SCOPES = ['support:read', 'support:write', 'support:verify'];

/** Accounts of the portal and the customer each one is (fixtures data). */
export const ACCOUNTS: Record<string, string | undefined> = {
  john: '1213210', // John Doe
  priya: '2837622', // Priya Patel
  agent: undefined, // staff: no customer claim
};

export const PORTAL_CLIENT = 'support-portal';
export const PORTAL_REDIRECT = 'http://127.0.0.1:9/callback';
/** Client-credentials clients: id → [secret, allowed scopes]. */
export const CLIENTS: Record<string, [string, string]> = {
  'staff-console': ['staff-console-secret-0123456789', SCOPES.join(' ')],
  reporting: ['reporting-secret-0123456789', 'support:read'],
  'read-verify': ['read-verify-secret-0123456789', 'support:read support:verify'],
};

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

const newKey = async (kid: string): Promise<SigningKey> => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateJwk, privateKey };
};

export interface AuthorizationServer {
  /** The issuer identifier (no trailing slash). */
  readonly issuer: string;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  /** A client-credentials token from the token endpoint. */
  clientToken(client: string, opts: { resource: string; scope?: string }): Promise<string>;
  /** The authorization-code flow with PKCE for an account, as a browser would go through it. */
  login(account: string, opts: { resource: string; scope?: string }): Promise<string>;
  /** Drives the login and consent pages from an authorization URL to the redirect's code. */
  authorize(authorizationUrl: URL, account: string): Promise<URL>;
  /**
   * Signs arbitrary claims with the server's current key, or (`previous`) the key it signed
   * with before the last rotation, published or retired (tests: this is the issuer's own key).
   */
  sign(claims: JWTPayload, header?: Record<string, unknown>, key?: 'current' | 'previous'): Promise<string>;
  /** The current signing key's public JWK. */
  publicJwk(): JWK;
  rotateKeys(): Promise<void>;
  retireOldKeys(): Promise<void>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(opts: { accessTokenTtlS?: number } = {}): Promise<AuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let keys: SigningKey[] = [await newKey(`key-1-${Math.random().toString(36).slice(2, 8)}`)];
  let jwksFetches = 0;
  let previous: SigningKey | undefined;
  let provider: Provider;

  const build = (): Provider => {
    const clients: ClientMetadata[] = [
      {
        client_id: PORTAL_CLIENT,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        redirect_uris: [PORTAL_REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: SCOPES.join(' '),
      },
      ...Object.entries(CLIENTS).map(([client_id, [client_secret, scope]]): ClientMetadata => ({
        client_id, client_secret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope,
        token_endpoint_auth_method: 'client_secret_basic',
      })),
    ];
    const config: Configuration = {
      clients,
      jwks: { keys: keys.map((k) => k.privateJwk) as never },
      scopes: ['openid', 'offline_access', ...SCOPES],
      pkce: { required: () => true },
      clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none', application_type: 'native', id_token_signed_response_alg: 'ES256' } as never,
      features: {
        devInteractions: { enabled: true },
        clientCredentials: { enabled: true },
        registration: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: async (_ctx, _client, oneOf) => oneOf ?? 'urn:support-mcp:unspecified',
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx, resourceIndicator) => ({
            scope: SCOPES.join(' '),
            audience: resourceIndicator,
            accessTokenTTL: opts.accessTokenTtlS ?? 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          }),
        },
      },
      findAccount: async (_ctx, sub) => (sub in ACCOUNTS ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
      extraTokenClaims: async (_ctx, token) => {
        const accountId = (token as { accountId?: string }).accountId;
        const customer = accountId ? ACCOUNTS[accountId] : undefined;
        return customer ? { customer_id: customer } : undefined;
      },
      clientBasedCORS: () => true,
      ttl: {
        AccessToken: opts.accessTokenTtlS ?? 600, AuthorizationCode: 60, ClientCredentials: opts.accessTokenTtlS ?? 600,
        Grant: 3600, Interaction: 600, Session: 3600, RefreshToken: 3600, IdToken: 600,
      },
      // Loopback test server: no TLS; oidc-provider's dev defaults accept http here.
    };
    const p = new Provider(issuer, config);
    p.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
    return p;
  };
  provider = build();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/jwks')) jwksFetches++;
    provider.callback()(req, res);
  });

  const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

  const tokenRequest = async (body: Record<string, string>, basic?: [string, string]): Promise<string> => {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(basic ? { authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}` } : {}),
      },
      body: form(body),
    });
    const json = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!res.ok || !json.access_token) throw new Error(`token request failed: ${res.status} ${json.error} ${json.error_description}`);
    return json.access_token;
  };

  /** A tiny browser: follows redirects by hand on the issuer, keeps cookies, submits the dev login/consent forms. */
  const authorize = async (authorizationUrl: URL, account: string): Promise<URL> => {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const go = async (url: string, init: RequestInit = {}): Promise<globalThis.Response> => {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      return res;
    };
    let url = authorizationUrl.href;
    let res = await go(url);
    for (let step = 0; step < 12; step++) {
      if (res.status >= 300 && res.status < 400) {
        const next = new URL(res.headers.get('location')!, url);
        await res.body?.cancel();
        if (next.href.startsWith(PORTAL_REDIRECT) || next.origin !== issuer) return next;
        url = next.href;
        res = await go(url);
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`authorization server page without a form (${res.status}): ${html.slice(0, 300)}`);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      url = new URL(action, url).href;
      res = await go(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form(prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt: prompt ?? 'consent' }),
      });
    }
    throw new Error('authorization flow did not end at the redirect URI');
  };

  return {
    issuer,
    get jwksFetches() {
      return jwksFetches;
    },
    clientToken: (client, { resource, scope }) => {
      const [secret, allowed] = CLIENTS[client]!;
      return tokenRequest({ grant_type: 'client_credentials', resource, scope: scope ?? allowed }, [client, secret]);
    },
    async login(account, { resource, scope }) {
      const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
      const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
      const auth = new URL(`${issuer}/auth`);
      auth.search = form({
        client_id: PORTAL_CLIENT, response_type: 'code', redirect_uri: PORTAL_REDIRECT, scope: scope ?? SCOPES.join(' '),
        code_challenge: challenge, code_challenge_method: 'S256', resource, state: 'st',
      });
      const back = await authorize(auth, account);
      const code = back.searchParams.get('code');
      if (!code) throw new Error(`no code in ${back.href}`);
      return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: PORTAL_REDIRECT, code_verifier: verifier, client_id: PORTAL_CLIENT, resource });
    },
    authorize,
    sign: (claims, header = {}, which = 'current') => {
      const k = which === 'previous' ? previous! : keys[0]!;
      return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: k.kid, typ: 'at+jwt', ...header }).sign(k.privateKey);
    },
    publicJwk: () => {
      const { d: _d, ...pub } = keys[0]!.privateJwk;
      return pub;
    },
    async rotateKeys() {
      previous = keys[0];
      keys = [await newKey(`key-${keys.length + 1}-${Date.now()}`), ...keys];
      provider = build();
    },
    async retireOldKeys() {
      keys = [keys[0]!];
      provider = build();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
