// Issue 17, key rotation: the issuer (oidc-provider) starts signing with a new key. The
// server (in process, so the JWKS cooldown can be short; the CLI's is 30 s) re-fetches the
// JWKS when a token names a kid it has not seen, keeps accepting the old key while the
// issuer still publishes it, and a server that loads the keys after the old one is retired
// refuses tokens signed with it. (A server that fetched the keys before the retirement keeps
// the old key until its JWKS cache ages out, 10 minutes, or a new kid forces a re-fetch.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { ANONYMOUS_PRINCIPAL } from '../../src/domain/principal.js';
import { createLogger } from '../../src/logging/logger.js';
import { FixtureRepository } from '../../src/repository/fixtures/repository.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { DEFAULT_SCOPES, requiredScope } from '../../src/server/scopes.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { startHttpServer, type RunningHttpServer } from '../../src/transports/http.js';
import { startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import { rpc } from './kit.js';

const PROFILES = await loadAllProfiles();

const COOLDOWN_MS = 300;

async function startServer(issuer: string): Promise<RunningHttpServer> {
  const selection = selectTools([PROFILES.support!]);
  const hub = new ServiceHub({ repo: await FixtureRepository.load() });
  const logger = createLogger('silent');
  return startHttpServer({
    host: '127.0.0.1', port: 0, stateful: false, authTokens: [], maxBodyBytes: 1_000_000, rateLimitPerMinute: 10_000,
    requestTimeoutMs: 10_000, sessionIdleTtlMs: 60_000, maxSessions: 10, shutdownGraceMs: 100,
    oauth: {
      issuer, customerClaim: 'customer_id', scopes: DEFAULT_SCOPES, jwksCooldownMs: COOLDOWN_MS,
      toolScopes: new Map(selection.map((s) => [s.tool.name, requiredScope(s.tool, DEFAULT_SCOPES)])),
    },
  }, {
    makeServer: (conversationId) => createSupportServer({ selection, deps: { hub, logger }, defaultConversationId: conversationId, principal: ANONYMOUS_PRINCIPAL }),
    ready: async () => undefined,
    logger,
  });
}

describe('JWKS key rotation (oidc-provider)', () => {
  let as: AuthorizationServer;
  let server: RunningHttpServer;
  const status = async (token: string) => (await rpc(server.url, token, 'tools/list')).status;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    server = await startServer(as.issuer);
  });
  afterAll(async () => {
    await server?.close();
    await as?.close();
  });

  it('a new signing key is picked up by kid; the old key keeps working while published; a retired key is refused by a fresh server', async () => {
    const resource = `${server.url}/mcp`;
    const oldToken = await as.clientToken('reporting', { resource });
    expect(await status(oldToken)).toBe(200);
    const fetchesAfterFirst = as.jwksFetches;

    await as.rotateKeys();
    const newToken = await as.clientToken('reporting', { resource });
    expect(decodeProtectedHeader(newToken).kid).not.toBe(decodeProtectedHeader(oldToken).kid);
    // Right after the first fetch the cooldown may still hold: wait it out, as time would.
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    expect(await status(newToken)).toBe(200);
    expect(as.jwksFetches).toBe(fetchesAfterFirst + 1);
    // A token the server has never seen, signed with the old key (still published): accepted.
    const claims = () => ({ iss: as.issuer, aud: resource, sub: 's', scope: 'support:read', exp: Math.floor(Date.now() / 1000) + 60 });
    expect(await status(await as.sign(claims(), {}, 'previous'))).toBe(200);
    expect(await status(await as.sign(claims()))).toBe(200);
    expect(as.jwksFetches).toBe(fetchesAfterFirst + 1); // keys cached: no fetch per token

    await as.retireOldKeys();
    // A server that loads the keys now no longer knows the old one.
    const fresh = await startServer(as.issuer);
    try {
      const freshResource = `${fresh.url}/mcp`;
      const byOldKey = await as.sign({ ...claims(), aud: freshResource }, {}, 'previous');
      expect((await rpc(fresh.url, byOldKey, 'tools/list')).status).toBe(401);
      expect((await rpc(fresh.url, await as.clientToken('reporting', { resource: freshResource }), 'tools/list')).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
