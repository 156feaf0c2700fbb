// Shared helpers of the OAuth suites: the HTTP end-to-end kit (../support/http-e2e.ts), the
// fixture customers they use, and an in-memory OAuthClientProvider for the SDK client's
// authorization-code flow.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { expect } from 'vitest';

export * from '../support/http-e2e.js';

export const JOHN = '1213210';
export const JOHN_ORDER = '13579';
export const PRIYA = '2837622';
export const PRIYA_ORDER = '97531';
export const PRIYA_KBA = { customer_id: PRIYA, method: 'kba', date_of_birth: '1991-07-23', postcode: '07302', phone_last4: '3210' };

/** The support profile's tools by the scope each needs (written out: the expectation, not the derivation). */
export const READ_TOOLS = [
  'find_customer', 'get_order', 'list_orders', 'get_return', 'get_subscription', 'get_billing', 'get_statement', 'get_ticket',
  'list_cards', 'list_transactions', 'transfer_to_agent',
];
export const WRITE_TOOLS = [
  'cancel_order', 'request_return', 'set_autopay', 'update_contact', 'create_ticket',
  'block_card', 'unblock_card', 'update_preferences', 'schedule_callback', 'cancel_callback',
];
export const VERIFY_TOOLS = ['verify_identity'];
export const ALL_TOOLS = [...READ_TOOLS, ...WRITE_TOOLS, ...VERIFY_TOOLS];

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
