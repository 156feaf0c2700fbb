// Static bearer tokens (--auth-token / MCP_AUTH_TOKEN) as an OAuthTokenVerifier, so
// authenticate (http-rules.ts, the SDK's requireBearerAuth rules) does the header parsing
// and the RFC 6750 401/WWW-Authenticate answers.
// Each token authenticates its principal (static-tokens.ts), which rides in AuthInfo.extra.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { StaticToken } from './static-tokens.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

// Static tokens do not expire, but the SDK middleware requires an expiry: one year ahead.
const FAR_FUTURE_S = () => Math.floor(Date.now() / 1000) + 365 * 24 * 3600;

export function staticTokenVerifier(tokens: readonly StaticToken[]): OAuthTokenVerifier {
  // Compare fixed-length digests in constant time, and always against every token, so
  // neither the length nor the position of a match leaks through timing.
  const known = tokens.map((t) => digest(t.secret));
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const candidate = digest(token);
      let match = -1;
      known.forEach((k, i) => {
        if (timingSafeEqual(k, candidate) && match === -1) match = i;
      });
      if (match === -1) throw new InvalidTokenError('Invalid access token');
      const principal = tokens[match]!.principal;
      // clientId keys the per-client HTTP rate limit; extra.principal reaches tool calls.
      return { token, clientId: principal.id, scopes: [], expiresAt: FAR_FUTURE_S(), extra: { principal } };
    },
  };
}
