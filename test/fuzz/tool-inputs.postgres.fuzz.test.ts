// The tool-input fuzzing of tool-inputs.fuzz.test.ts on the SQL backend (pg driver + kysely):
// embedded PGlite always, real Postgres when DATABASE_URL is set. Fewer runs than on fixtures
// (each call is a few round trips); what only SQL can get wrong is the point here: NUL bytes,
// lone surrogates, huge strings and numbers reaching queries, jsonb audit entries and CHECKs.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { openPolicy } from '../../src/services/policy.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { onPostgresBackends, type FixtureBackend } from '../support/fixture-backends.js';
import { describeToolInputFuzz, OPEN_MODE, VERIFIED_MODE } from './tool-inputs.suite.js';

const PROFILES = await loadAllProfiles();

onPostgresBackends('tool input fuzz', (name, make) => {
  let backend: FixtureBackend | undefined;

  // Found by the fuzzer: an argument holding NUL or a lone surrogate made Postgres refuse the
  // call's audit entry (jsonb rejects \u0000 and unpaired surrogate escapes, text rejects NUL),
  // and the audit log dropped it: a call could keep itself out of the audit trail. Redaction
  // now replaces such characters with U+FFFD (src/domain/masking.ts storableText).
  describe(`audit trail keeps calls with unstorable characters [${name}]`, () => {
    it('stores one entry per call, with U+FFFD in place of NUL and lone surrogates', async () => {
      const repo = await (backend ??= await make()).fresh();
      const hub = new ServiceHub({ repo, policy: openPolicy() });
      const server = createSupportServer({
        selection: selectTools([PROFILES.support!]), deps: { hub, logger: silentLogger() }, defaultConversationId: 'audit-nul',
      });
      const [a, b] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: 'fuzz', version: '0' });
      await Promise.all([server.connect(a), client.connect(b)]);
      const before = await repo.listAudit({ limit: 10_000 });
      const calls: [string, Record<string, unknown>][] = [
        ['find_customer', { email: 'a\u0000b@example.com' }],
        ['get_subscription', { customer_id: 'x\uD800' }],
        ['get_order', { order_id: '\uDC00\u0000' }],
        ['create_ticket', { customer_id: '1213210', category: 'other', description: 'lone \uD83D half' }],
      ];
      for (const [tool, args] of calls) await client.callTool({ name: tool, arguments: args });
      await client.close();
      await server.close();
      await hub.audit?.close(); // flushes; not hub.close(), which would close the shared pool
      const added = (await repo.listAudit({ limit: 10_000 })).slice(before.length);
      // writes commit with their entry at once, reads are flushed in a batch: compare as sets
      expect(added.map((e) => e.tool).sort()).toEqual(calls.map(([tool]) => tool).sort());
      const stored = JSON.stringify(added.map((e) => [e.args, e.customer_id]));
      expect(stored).not.toMatch(/\\u0000|\\ud[89ab]/i);
      expect(stored).toContain('\uFFFD');
    });
  });

  describeToolInputFuzz({
    backend: name,
    // re-seeded per profile and mode: writing tools change the data
    repo: async () => (backend ??= await make()).fresh(),
    teardown: async () => backend?.teardown(),
    modes: [
      { mode: OPEN_MODE, validRuns: 25, hostileRuns: 25 },
      { mode: VERIFIED_MODE, validRuns: 10, hostileRuns: 10 },
    ],
  });
});
