// Parsing of static bearer tokens (--auth-token / MCP_AUTH_TOKEN), kept free of the SDK so
// configuration stays cheap to load.
//
// Each token authenticates a principal (domain/principal.ts). `name=SECRET` entries name it:
// tokens sharing a name are one principal (a rotation keeps its conversations), tokens of
// different names never share anything. An unnamed token is its own principal, named by a
// digest of the secret (stable across replicas and restarts, whatever the order of the list).
import { createHash } from 'node:crypto';
import { tokenPrincipal, type Principal } from '../domain/principal.js';

export const MIN_TOKEN_LENGTH = 16;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export interface StaticToken {
  secret: string;
  principal: Principal;
}

/**
 * Parses `--auth-token` entries: `name=SECRET` or a bare `SECRET`. An entry is named only
 * when what precedes the first `=` is a valid name and what follows is not just `=` padding,
 * so base64 secrets ending in `==` stay whole. Throws Error with a message fit for the user
 * (never echoing a secret).
 */
export function parseStaticTokens(entries: readonly string[]): StaticToken[] {
  const tokens: StaticToken[] = [];
  const nameOf = new Map<string, string>();
  entries.forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq) : '';
    const rest = eq > 0 ? entry.slice(eq + 1) : '';
    const named = NAME.test(name) && rest !== '' && !/^=*$/.test(rest);
    if (eq === 0) throw new Error(`auth token #${i + 1} starts with '=': write a named token as name=SECRET (name: letters, digits, . _ -)`);
    const secret = named ? rest : entry;
    if (secret.length < MIN_TOKEN_LENGTH) throw new Error(`auth tokens must be at least ${MIN_TOKEN_LENGTH} characters (use a random secret)`);
    const principalName = named ? name : `sha256-${digest(`support-mcp principal\0${secret}`).toString('hex').slice(0, 16)}`;
    const key = digest(secret).toString('hex');
    const earlier = nameOf.get(key);
    if (earlier !== undefined && earlier !== principalName) {
      throw new Error(`auth token #${i + 1} is also given under another name: one secret can authenticate only one principal`);
    }
    nameOf.set(key, principalName);
    tokens.push({ secret, principal: tokenPrincipal(principalName) });
  });
  return tokens;
}
