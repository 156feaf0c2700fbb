// Who is calling: the authenticated party behind a request, as opposed to the customer the
// conversation is about. Conversations (and the verifications in them) belong to the
// principal that started them; a conversation or session id presented by anyone else is
// worthless. Static tokens, the stdio process and (later) OAuth subjects are all principals.
import { createHash } from 'node:crypto';

export type PrincipalKind = 'token' | 'process' | 'anonymous' | 'oauth';

export interface Principal {
  /**
   * Stable, secret-free identifier, the key conversations are bound to and what the audit
   * trail records: `token:<name>` for a static token, `stdio` for the stdio process,
   * `anonymous` for unauthenticated loopback HTTP.
   */
  readonly id: string;
  readonly kind: PrincipalKind;
  /**
   * OAuth customer-bound token (issue 17): the customer the token speaks for, and until when
   * (the token's `exp`, ms since the epoch). The conversation is verified for that customer
   * only (services/customer-bound-access.ts). Absent for every other principal.
   */
  readonly customer?: { readonly id: string; readonly until: number };
}

/** The stdio server has one caller: the process that started it. */
export const STDIO_PRINCIPAL: Principal = Object.freeze({ id: 'stdio', kind: 'process' });

/** HTTP without tokens (loopback only): every caller is the same nobody. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', kind: 'anonymous' });

/** The principal of a static bearer token, by its configured (or derived) name. */
export const tokenPrincipal = (name: string): Principal => Object.freeze({ id: `token:${name}`, kind: 'token' });

/**
 * A short, stable stand-in for a session or conversation id in logs and audit entries about
 * refused replays: enough to correlate attempts, useless for presenting the id again.
 */
export const idFingerprint = (id: string): string => `sha256:${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16)}`;

/**
 * The principal of an OAuth access token: its subject and client at its issuer, as
 * `oauth:<issuer host and path>#<sub>` plus `@<client>` when the client differs from the
 * subject (sub and client percent-encoded, so neither can forge the separators). Never the
 * token. The same user through another client is another principal: conversations do not
 * cross clients.
 */
export const oauthPrincipal = (
  issuer: URL, sub: string, client: string | undefined, customer?: { id: string; until: number },
): Principal => {
  const where = `${issuer.host}${issuer.pathname.replace(/\/+$/, '')}`;
  const enc = encodeURIComponent;
  const id = `oauth:${where}#${enc(sub)}${client !== undefined && client !== sub ? `@${enc(client)}` : ''}`;
  return Object.freeze({ id, kind: 'oauth' as const, ...(customer ? { customer: Object.freeze({ ...customer }) } : {}) });
};
