// Shared helpers of the OAuth suites: raw HTTP requests (so every header is ours to choose),
// JSON-RPC answers, tool calls with a bearer token, and an in-memory OAuthClientProvider
// for the SDK client's authorization-code flow.
import http from 'node:http';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const JOHN = '1213210';
export const JOHN_ORDER = '13579';
export const PRIYA = '2837622';
export const PRIYA_ORDER = '97531';
export const PRIYA_KBA = { customer_id: PRIYA, method: 'kba', date_of_birth: '1991-07-23', postcode: '07302', phone_last4: '3210' };

export const READ_TOOLS = ['find_customer', 'get_order', 'list_orders', 'get_subscription', 'get_billing', 'get_ticket'];
export const WRITE_TOOLS = ['cancel_order', 'update_contact', 'create_ticket'];
export const VERIFY_TOOLS = ['verify_identity'];

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

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
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
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

/** The parameters of a `WWW-Authenticate: Bearer k="v", …` header. */
export const challengeOf = (header: string | undefined): Record<string, string> => {
  expect(header, 'WWW-Authenticate').toBeTruthy();
  expect(header!.startsWith('Bearer ')).toBe(true);
  return Object.fromEntries([...header!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
};

/**
 * What an MCP client application keeps for OAuth (the SDK's OAuthClientProvider): its
 * registration, PKCE verifier and tokens in memory; "redirecting the user" records the URL,
 * which the test then walks through as the user's browser would.
 */
export class MemoryOAuthClient implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  constructor(readonly redirect = 'http://127.0.0.1:9/oauth/callback') {}
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'support-mcp OAuth test client', redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
