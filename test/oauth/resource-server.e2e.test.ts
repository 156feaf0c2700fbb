// Issue 17: the built CLI as an OAuth 2.1 resource server in front of a real authorization
// server (oidc-provider, test/support/authorization-server.ts). A client starts from the 401,
// finds the issuer through the protected-resource metadata and signs in the way the SDK
// client's OAuth support does; scopes filter tools/list and a call that needs more answers
// 403 insufficient_scope (step-up, which the SDK client then performs); every token attack
// listed in ATTACKS is refused with 401 and logged without the token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startHttpServer, type RunningServer } from '../server/cli.js';
import { CLIENTS, PORTAL_REDIRECT, startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import {
  bearer, callTool, challengeOf, errorCode, JOHN, JOHN_ORDER, listTools, MemoryOAuthClient, PRIYA, PRIYA_KBA,
  ALL_TOOLS, openSse, READ_TOOLS, request, rpc, VERIFY_TOOLS, waitFor, WRITE_TOOLS, type Obj,
} from './kit.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('OAuth resource server (built CLI, fixtures) against oidc-provider', () => {
  let as: AuthorizationServer;
  let other: AuthorizationServer; // another, equally real issuer
  let server: RunningServer;
  let resource: string;

  beforeAll(async () => {
    [as, other] = await Promise.all([startAuthorizationServer(), startAuthorizationServer()]);
    server = await startHttpServer(['--fixtures', '--outbox-file', '/dev/null', '--limits', 'off', '--oauth-issuer', as.issuer]);
    resource = `${server.url}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([as?.close(), other?.close()]);
  });

  it('without a token: 401 with resource_metadata, whose document names the issuer (RFC 9728)', async () => {
    const r = await rpc(server.url, null, 'tools/list');
    expect(r.status).toBe(401);
    const challenge = challengeOf(r.headers['www-authenticate'] as string);
    expect(challenge.resource_metadata).toBe(`${server.url}/.well-known/oauth-protected-resource/mcp`);
    for (const url of [challenge.resource_metadata!, `${server.url}/.well-known/oauth-protected-resource`]) {
      const doc = await request(url, { method: 'GET' });
      expect(doc.status).toBe(200);
      expect(JSON.parse(doc.body)).toMatchObject({
        resource, authorization_servers: [as.issuer], scopes_supported: ['support:read', 'support:write', 'support:verify'], bearer_methods_supported: ['header'],
      });
      // any origin may read it (browser-based clients)
      const cors = await request(url, { method: 'GET', headers: { origin: 'https://inspector.example' } });
      expect(cors.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('the SDK client: 401 → metadata → dynamic registration → sign-in with PKCE → tools, as the signed-in customer', async () => {
    const oauth = new MemoryOAuthClient();
    const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider: oauth });
    const client = new Client({ name: 'oauth-discovery', version: '0' });
    // No token yet: the SDK follows the 401 to our metadata, the issuer's metadata, registers
    // itself (no 404: registration is the issuer's) and sends the user to sign in.
    await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(oauth.clientInformation()?.client_id).toBeTruthy();
    const authUrl = oauth.authorizationUrl!;
    expect(authUrl.origin).toBe(as.issuer);
    expect(authUrl.searchParams.get('resource')).toBe(resource);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('scope')).toBe('support:read support:write support:verify');
    // The user signs in as John at the portal's authorization server…
    const back = await as.authorize(authUrl, 'john');
    await first.finishAuth(back.searchParams.get('code')!);
    const token = oauth.tokens()!.access_token;
    expect(decodeJwt(token)).toMatchObject({ aud: resource, customer_id: JOHN, sub: 'john' });
    // …and the client connects with the token.
    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: oauth });
    await client.connect(transport);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(tools).toEqual([...READ_TOOLS, ...WRITE_TOOLS, ...VERIFY_TOOLS].sort());
      // Signed in: John's own data, no one-time code.
      const found = (await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } })) as CallToolResult;
      expect(found.structuredContent).toMatchObject({ verification_required: false, customer: { id: JOHN, name: 'John Doe' } });
      const orders = (await client.callTool({ name: 'list_orders', arguments: { customer_id: JOHN } })) as CallToolResult;
      expect(orders.isError).toBeFalsy();
      // Anyone else: AUTH_REQUIRED, and no verifying them either.
      expect(errorCode((await client.callTool({ name: 'list_orders', arguments: { customer_id: PRIYA } })) as CallToolResult)).toBe('AUTH_REQUIRED');
      expect(errorCode((await client.callTool({ name: 'verify_identity', arguments: PRIYA_KBA })) as CallToolResult)).toBe('AUTH_REQUIRED');
    } finally {
      await client.close();
    }
    // The audit principal is the subject and client, never the token. (The log is written
    // asynchronously: wait for the last call's line.)
    const toolCalls = () => server.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'tool_call');
    await waitFor(async () => toolCalls().some((l) => l.tool === 'verify_identity'));
    const calls = toolCalls();
    const clientId = oauth.clientInformation()!.client_id;
    expect(calls.at(-1)!.principal).toBe(`oauth:${new URL(as.issuer).host}#john@${encodeURIComponent(clientId)}`);
    expect(server.logs.join('\n')).not.toContain(token);
  });

  it('client credentials through the SDK (ClientCredentialsProvider): a staff token follows --access (verified: preview until verified)', async () => {
    const [secret] = CLIENTS['staff-console']!;
    // SDK 1.32 sends the provider's own `scope` in client-credentials token requests.
    const provider = new ClientCredentialsProvider({ clientId: 'staff-console', clientSecret: secret, expectedIssuer: as.issuer, scope: 'support:read support:write support:verify' });
    const client = new Client({ name: 'staff', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
    try {
      expect((await client.listTools()).tools).toHaveLength(ALL_TOOLS.length);
      const found = (await client.callTool({ name: 'find_customer', arguments: { customer_id: PRIYA, conversation_id: 'staff-conv-1' } })) as CallToolResult;
      expect(found.structuredContent).toMatchObject({ verification_required: true });
      const verified = (await client.callTool({ name: 'verify_identity', arguments: { ...PRIYA_KBA, conversation_id: 'staff-conv-1' } })) as CallToolResult;
      expect((verified.structuredContent as Obj).status).toBe('verified');
      const orders = (await client.callTool({ name: 'list_orders', arguments: { customer_id: PRIYA, conversation_id: 'staff-conv-1' } })) as CallToolResult;
      expect(orders.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('scopes: tools/list shows only what the token allows; a call needing more is 403 insufficient_scope with the scope to ask for', async () => {
    const reader = await as.clientToken('reporting', { resource });
    expect(await listTools(server.url, reader)).toEqual([...READ_TOOLS].sort());
    const readVerify = await as.clientToken('read-verify', { resource });
    expect(await listTools(server.url, readVerify)).toEqual([...READ_TOOLS, ...VERIFY_TOOLS].sort());
    const writeOnly = await as.clientToken('staff-console', { resource, scope: 'support:write' });
    expect(await listTools(server.url, writeOnly)).toEqual([...WRITE_TOOLS].sort());

    const cases: [string, Obj, string][] = [
      ['cancel_order', { order_id: JOHN_ORDER }, 'support:read support:write'],
      ['update_contact', { customer_id: JOHN, email: 'x@example.com' }, 'support:read support:write'],
      ['verify_identity', PRIYA_KBA, 'support:read support:verify'],
    ];
    for (const [tool, args, scope] of cases) {
      const r = await callTool(server.url, reader, tool, args);
      expect(r.status, tool).toBe(403);
      const c = challengeOf(r.headers['www-authenticate'] as string);
      expect(c).toMatchObject({ error: 'insufficient_scope', scope, resource_metadata: `${server.url}/.well-known/oauth-protected-resource/mcp` });
    }
    // a batch hiding a write behind a read is refused as a whole
    const batch = await request(`${server.url}/mcp`, {
      headers: bearer(reader),
      body: [
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_order', arguments: { order_id: JOHN_ORDER } } },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'cancel_order', arguments: { order_id: JOHN_ORDER } } },
      ],
    });
    expect(batch.status).toBe(403);
    // the write-only token cannot read
    expect((await callTool(server.url, writeOnly, 'get_order', { order_id: JOHN_ORDER })).status).toBe(403);
    // the server's stderr reaches us asynchronously: wait for the last refusal's line
    const refusals = () => server.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'insufficient_scope');
    await waitFor(async () => refusals().length >= 5);
    expect(refusals().length).toBeGreaterThanOrEqual(5);
    expect(server.logs.join('\n')).not.toContain(reader);
  });

  it('step-up: the SDK client answers the 403 by asking the user for the union of scopes; then the call goes through', async () => {
    const oauth = new MemoryOAuthClient(PORTAL_REDIRECT);
    // John signed in at the portal's client and consented to reading only.
    oauth.saveClientInformation({ client_id: 'support-portal', issuer: as.issuer } as never);
    const readOnly = await as.login('john', { resource, scope: 'support:read' });
    oauth.saveTokens({ access_token: readOnly, token_type: 'Bearer', issuer: as.issuer } as never);
    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: oauth });
    const client = new Client({ name: 'step-up', version: '0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
      const ticket = { customer_id: JOHN, category: 'order', description: 'Parcel arrived damaged.', idempotency_key: 'step-up-1' };
      // create_ticket needs support:write: 403 → the SDK starts a new authorization asking for
      // "support:read support:write" (not write alone, which would lose reading).
      await expect(client.callTool({ name: 'create_ticket', arguments: ticket })).rejects.toBeInstanceOf(UnauthorizedError);
      const url = oauth.authorizationUrl!;
      expect(url.searchParams.get('scope')).toBe('support:read support:write');
      const back = await as.authorize(url, 'john');
      await transport.finishAuth(back.searchParams.get('code')!);
      expect(String(decodeJwt(oauth.tokens()!.access_token).scope).split(' ').sort()).toEqual(['support:read', 'support:write']);
      const r = (await client.callTool({ name: 'create_ticket', arguments: ticket })) as CallToolResult;
      expect(r.isError, JSON.stringify(r)).toBeFalsy();
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    } finally {
      await client.close();
    }
  });

  it('legacy SSE: GET /sse without a token is 401 with resource_metadata; POST /messages is gated by scope like /mcp', async () => {
    const anon = await request(`${server.url}/sse`, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(anon.status).toBe(401);
    expect(challengeOf(anon.headers['www-authenticate'] as string).resource_metadata).toBe(`${server.url}/.well-known/oauth-protected-resource/mcp`);
    const reader = await as.clientToken('reporting', { resource });
    const sse = await openSse(server.url, reader);
    try {
      const url = `${server.url}/messages?sessionId=${encodeURIComponent(sse.sessionId)}`;
      const write = await request(url, { headers: bearer(reader), body: { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'cancel_order', arguments: { order_id: JOHN_ORDER } } } });
      expect(write.status).toBe(403);
      expect(challengeOf(write.headers['www-authenticate'] as string)).toMatchObject({ error: 'insufficient_scope', scope: 'support:read support:write' });
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'sse', version: '0' } } };
      expect((await request(url, { headers: bearer(reader), body: init })).status).toBe(202);
      // another valid token (another principal) cannot use the session
      const other = await as.clientToken('staff-console', { resource });
      expect((await request(url, { headers: bearer(other), body: init })).status).toBe(404);
    } finally {
      sse.close();
    }
  });

  describe('token attacks: each is answered 401 invalid_token with resource_metadata, and logged without the token', () => {
    const base = () => ({ iss: as.issuer, aud: resource, sub: 'mallory', client_id: 'support-portal', scope: 'support:read support:write support:verify', iat: now(), exp: now() + 300 });
    const ATTACKS: [string, () => Promise<string | null>, string][] = [
      ['no Authorization header', async () => null, 'missing'],
      ['not a JWT', async () => 'this-is-not-a-jwt-at-all', 'malformed'],
      ['expired (2 minutes ago, beyond the 30 s skew)', () => as.sign({ ...base(), iat: now() - 900, exp: now() - 120 }), 'expired'],
      ['not valid yet (nbf in 5 minutes)', () => as.sign({ ...base(), nbf: now() + 300 }), 'not_yet_valid'],
      ['no exp claim', () => as.sign({ ...base(), exp: undefined }), 'no_expiry'],
      ['another audience (real token from the issuer, for another resource)', () => as.clientToken('staff-console', { resource: 'http://127.0.0.1:1/other-mcp' }), 'wrong_audience'],
      ['audience of this server with a trailing path', () => as.sign({ ...base(), aud: `${resource}/x` }), 'wrong_audience'],
      ['another issuer (real token from a second authorization server, right audience)', () => other.clientToken('staff-console', { resource }), 'unknown_key'],
      ['iss forged under the right key', () => as.sign({ ...base(), iss: other.issuer }), 'wrong_issuer'],
      ['unsigned (alg: none)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(base())}.`, 'algorithm_not_accepted'],
      ['tampered payload: customer_id switched in John\'s real token', async () => {
        const real = await as.login('john', { resource });
        const [h, p, s] = real.split('.');
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
        return `${h}.${b64({ ...claims, customer_id: PRIYA })}.${s}`;
      }, 'bad_signature'],
      ['tampered payload: scope widened in a read-only real token', async () => {
        const real = await as.clientToken('reporting', { resource });
        const [h, p, s] = real.split('.');
        return `${h}.${b64({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), scope: 'support:read support:write' })}.${s}`;
      }, 'bad_signature'],
      ['algorithm confusion: HS256 keyed with the issuer\'s public key', async () => {
        const secret = new TextEncoder().encode(JSON.stringify(as.publicJwk()));
        return new SignJWT(base()).setProtectedHeader({ alg: 'HS256', kid: as.publicJwk().kid! }).sign(secret);
      }, 'algorithm_not_accepted'],
      ['signed by an attacker\'s key under a made-up kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(base()).setProtectedHeader({ alg: 'ES256', kid: 'attacker-1' }).sign(privateKey);
      }, 'unknown_key'],
      ['attacker\'s key under the issuer\'s kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(base()).setProtectedHeader({ alg: 'ES256', kid: as.publicJwk().kid! }).sign(privateKey);
      }, 'bad_signature'],
      ['embedded jwk header (attacker key carried in the token)', async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
        return new SignJWT(base()).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(publicKey) }).sign(privateKey);
      }, 'bad_signature'], // the header's key is ignored: only the issuer's JWKS is used
      ['empty customer claim', () => as.sign({ ...base(), customer_id: '' }), 'bad_customer_claim'],
      ['customer claim of the wrong type', () => as.sign({ ...base(), customer_id: { id: JOHN } }), 'bad_customer_claim'],
    ];
    for (const [name, make, reason] of ATTACKS) {
      it(name, async () => {
        const token = await make();
        const refusals = () => server.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'token_refused');
        const before = refusals().length;
        const r = await rpc(server.url, token, 'tools/call', { name: 'list_orders', arguments: { customer_id: JOHN } });
        expect(r.status, r.body).toBe(401);
        const c = challengeOf(r.headers['www-authenticate'] as string);
        expect(c.error).toBe('invalid_token');
        expect(c.resource_metadata).toBe(`${server.url}/.well-known/oauth-protected-resource/mcp`);
        if (token !== null) {
          // this request's own line (the log is written asynchronously: it may follow the answer)
          await waitFor(async () => refusals().length > before);
          expect(refusals()[before]).toMatchObject({ level: 'warn', reason });
          expect(server.logs.join('\n')).not.toContain(token.split('.').slice(0, 2).join('.'));
        }
      });
    }

    it('the token in the query string or a form body is not accepted (header only)', async () => {
      const token = await as.clientToken('staff-console', { resource });
      const r = await request(`${server.url}/mcp?access_token=${token}`, { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
      expect(r.status).toBe(401);
    });

    it('an expired token within the 30 s clock skew is still accepted (small skew, not none)', async () => {
      const token = await as.sign({ ...base(), exp: now() - 10 });
      expect((await rpc(server.url, token, 'tools/list')).status).toBe(200);
    });

    it('made-up kids do not hammer the issuer: at most one JWKS fetch per cooldown', async () => {
      const before = as.jwksFetches;
      for (let i = 0; i < 10; i++) {
        const { privateKey } = await generateKeyPair('ES256');
        const t = await new SignJWT(base()).setProtectedHeader({ alg: 'ES256', kid: `flood-${i}` }).sign(privateKey);
        expect((await rpc(server.url, t, 'tools/list')).status).toBe(401);
      }
      expect(as.jwksFetches - before).toBeLessThanOrEqual(1);
    });
  });
});

describe('OAuth configuration (built CLI)', () => {
  it('bad settings stop start-up with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--transport', 'http', '--oauth-issuer', 'http://auth.example.com'], /must be an https URL/],
      [['--transport', 'http', '--oauth-issuer', 'not a url'], /not a URL/],
      [['--transport', 'http', '--oauth-issuer', 'https://auth.example.com?x=1'], /query or fragment/],
      [['--transport', 'http', '--oauth-audience', 'https://x.example/mcp'], /needs --oauth-issuer/],
      [['--transport', 'http', '--oauth-issuer', 'https://auth.example.com', '--oauth-scopes', 'read=a b'], /not a valid scope name/],
      [['--transport', 'http', '--oauth-issuer', 'https://auth.example.com', '--oauth-scopes', 'admin=x'], /expected read=SCOPE/],
      [['--oauth-issuer', 'https://auth.example.com'], /--transport http only/],
      [['--transport', 'http', '--oauth-issuer', 'https://auth.example.com', '--public-url', 'ftp://x'], /--public-url must be an https URL/],
      [['--transport', 'http', '--host', '0.0.0.0', '--oauth-issuer', 'https://auth.example.com'], /needs --public-url/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['--fixtures', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const env = await runCli(['--fixtures', '--transport', 'http'], { MCP_OAUTH_ISSUER: 'http://auth.example.com' });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/must be an https URL/);
  });

  it('off loopback, an issuer is authentication enough; --public-url and --oauth-audience shape the metadata and the accepted aud', async () => {
    const as = await startAuthorizationServer();
    const server = await startHttpServer([
      '--fixtures', '--outbox-file', '/dev/null', '--host', '0.0.0.0', '--allowed-hosts', '127.0.0.1,support.example.com',
      '--oauth-issuer', as.issuer, '--public-url', 'https://support.example.com/', '--oauth-audience', 'api://support-mcp',
      '--oauth-scopes', 'read=support.read,write=support.write,verify=support.verify',
    ]);
    try {
      const doc = JSON.parse((await request(`${server.url}/.well-known/oauth-protected-resource/mcp`, { method: 'GET' })).body) as Obj;
      expect(doc).toMatchObject({ resource: 'https://support.example.com/mcp', scopes_supported: ['support.read', 'support.write', 'support.verify'] });
      const r = await rpc(server.url, null, 'tools/list');
      expect(challengeOf(r.headers['www-authenticate'] as string).resource_metadata).toBe('https://support.example.com/.well-known/oauth-protected-resource/mcp');
      // aud must be the configured audience, not the URL
      const good = await as.sign({ iss: as.issuer, aud: 'api://support-mcp', sub: 'svc', scp: ['support.read'], exp: now() + 300 });
      expect(await listTools(server.url, good)).toEqual([...READ_TOOLS].sort());
      const byUrl = await as.sign({ iss: as.issuer, aud: 'https://support.example.com/mcp', sub: 'svc', scope: 'support.read', exp: now() + 300 });
      expect((await rpc(server.url, byUrl, 'tools/list')).status).toBe(401);
    } finally {
      await server.stop();
      await as.close();
    }
  });

  it('static tokens keep working next to OAuth: they keep every tool', async () => {
    const as = await startAuthorizationServer();
    const STATIC = 'ops=static-token-0123456789abcdef';
    const server = await startHttpServer(['--fixtures', '--outbox-file', '/dev/null', '--oauth-issuer', as.issuer, '--auth-token', STATIC]);
    try {
      expect(await listTools(server.url, 'static-token-0123456789abcdef')).toHaveLength(ALL_TOOLS.length);
      const reader = await as.clientToken('reporting', { resource: `${server.url}/mcp` });
      expect(await listTools(server.url, reader)).toEqual([...READ_TOOLS].sort());
      expect((await rpc(server.url, 'static-token-0123456789abcdeX', 'tools/list')).status).toBe(401);
    } finally {
      await server.stop();
      await as.close();
    }
  });
});
