// Issue 17, customer-bound tokens: a token whose `customer_id` claim says John (he signed in
// at the portal's authorization server, oidc-provider here) reads John's data without a
// one-time code and never Priya's, on stateless HTTP and in sessions, on every replica
// sharing the database. A staff token (no claim) follows --access as before, and a staff
// conversation in which Priya was verified unlocks nothing for John's token. The audit trail
// records the token's subject and client, never the token. Runs on fixtures (one replica),
// PGlite and Postgres (two replicas each).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startHttpServer, type RunningServer } from '../server/cli.js';
import { PORTAL_CLIENT, startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import {
  bearer, callTool, errorCode, JOHN, JOHN_ORDER, ok, PRIYA, PRIYA_KBA, PRIYA_ORDER, type Obj, replicaBackends, type ReplicaBackend, waitFor,
} from './kit.js';

const backends = replicaBackends('customer-bound tokens');

/** Every way John's token could reach Priya: each must answer AUTH_REQUIRED and show nothing of hers. */
const PRIYA_PROBES: [string, Obj][] = [
  ['find_customer', { email: 'priya@candy.com' }],
  ['find_customer', { customer_id: PRIYA }],
  ['list_orders', { customer_id: PRIYA }],
  ['get_order', { order_id: PRIYA_ORDER }],
  ['get_billing', { customer_id: PRIYA }],
  ['update_contact', { customer_id: PRIYA, email: 'owned@example.com' }],
  ['cancel_order', { order_id: PRIYA_ORDER }],
  ['create_ticket', { customer_id: PRIYA, category: 'other', description: 'x' }],
  ['verify_identity', PRIYA_KBA],
  ['verify_identity', { customer_id: PRIYA, method: 'otp' }],
];

backends.forEach(({ name: backendName, make }) => {
  describe(`customer-bound OAuth tokens [${backendName}]`, () => {
    let backend: ReplicaBackend;
    let as: AuthorizationServer;
    const servers: RunningServer[] = [];
    let replicas: RunningServer[] = [];
    let stateful: RunningServer;
    const start = async (extra: string[]): Promise<RunningServer> => {
      const db = backend.url === null
        ? ['--fixtures', '--outbox-file', '/dev/null']
        : ['--database-url', backend.url, '--db-pool-size', backend.name === 'pglite' ? '1' : '4'];
      // One audience for every replica (they are one service behind a load balancer).
      const s = await startHttpServer([...db, '--limits', 'off', '--oauth-issuer', as.issuer, '--oauth-audience', 'https://support.example.com/mcp', '--public-url', 'https://support.example.com', ...extra]);
      servers.push(s);
      return s;
    };
    const RESOURCE = 'https://support.example.com/mcp';
    let john: string;
    let priya: string;
    let agent: string;

    beforeAll(async () => {
      backend = await make();
      as = await startAuthorizationServer();
      if (backend.url !== null) expect((await runCli(['db', 'seed', '--database-url', backend.url])).code).toBe(0);
      replicas = [];
      for (let r = 0; r < backend.replicas; r++) replicas.push(await start([]));
      stateful = await start(['--stateful']);
      [john, priya, agent] = await Promise.all([
        as.login('john', { resource: RESOURCE }), as.login('priya', { resource: RESOURCE }), as.login('agent', { resource: RESOURCE }),
      ]);
    });
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await as?.close();
      await backend?.teardown();
    });

    it('stateless: John\'s token reads John without a code, on every replica; every probe of Priya is AUTH_REQUIRED', async () => {
      for (const replica of replicas) {
        const found = ok(await callTool(replica.url, john, 'find_customer', { email: 'john@gmail.com' }));
        expect(found).toMatchObject({ verification_required: false, customer: { id: JOHN, name: 'John Doe' } });
        expect(ok(await callTool(replica.url, john, 'list_orders', { customer_id: JOHN })).orders.length).toBeGreaterThan(0);
        expect(ok(await callTool(replica.url, john, 'get_order', { order_id: JOHN_ORDER })).order.id).toBe(JOHN_ORDER);
        // verify_identity for himself: verified at once, nothing sent
        const v = ok(await callTool(replica.url, john, 'verify_identity', { customer_id: JOHN, method: 'otp' }));
        expect(v).toMatchObject({ status: 'verified' });
        expect(v.delivered_to).toBeUndefined();
        for (const [tool, args] of PRIYA_PROBES) {
          const r = await callTool(replica.url, john, tool, args);
          expect(r.status, `${tool} ${r.body}`).toBe(200);
          expect(errorCode(r.result), `${tool} ${JSON.stringify(r.result)}`).toBe('AUTH_REQUIRED');
          expect(JSON.stringify(r.result)).not.toMatch(/Priya|priya@|candy|3210|"orders"/);
        }
        // …and the other way round
        expect(ok(await callTool(replica.url, priya, 'list_orders', { customer_id: PRIYA })).orders.length).toBeGreaterThan(0);
        expect(errorCode((await callTool(replica.url, priya, 'get_order', { order_id: JOHN_ORDER })).result)).toBe('AUTH_REQUIRED');
      }
    });

    it('a staff token follows --access (verified): Priya verified in a staff conversation; that conversation_id unlocks nothing for John', async () => {
      const first = replicas[0]!;
      const before = ok(await callTool(first.url, agent, 'find_customer', { customer_id: PRIYA, conversation_id: 'staff-conversation-1' }));
      expect(before.verification_required).toBe(true);
      expect(errorCode((await callTool(first.url, agent, 'list_orders', { customer_id: PRIYA, conversation_id: 'staff-conversation-1' })).result)).toBe('AUTH_REQUIRED');
      expect(ok(await callTool(first.url, agent, 'verify_identity', { ...PRIYA_KBA, conversation_id: 'staff-conversation-1' })).status).toBe('verified');
      for (const replica of backend.url === null ? [first] : replicas) {
        expect(ok(await callTool(replica.url, agent, 'list_orders', { customer_id: PRIYA, conversation_id: 'staff-conversation-1' })).orders.length).toBeGreaterThan(0);
        const r = await callTool(replica.url, john, 'list_orders', { customer_id: PRIYA, conversation_id: 'staff-conversation-1' });
        expect(errorCode(r.result)).toBe('AUTH_REQUIRED');
      }
    });

    it('sessions: John\'s session reads John and not Priya; Priya\'s token presenting John\'s session id gets 404', async () => {
      const transport = new StreamableHTTPClientTransport(new URL(`${stateful.url}/mcp`), { requestInit: { headers: bearer(john) } });
      const client = new Client({ name: 'john', version: '0' });
      await client.connect(transport);
      try {
        const mine = (await client.callTool({ name: 'list_orders', arguments: { customer_id: JOHN } })) as CallToolResult;
        expect(mine.isError).toBeFalsy();
        for (const [tool, args] of PRIYA_PROBES) {
          const r = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
          expect(errorCode(r), tool).toBe('AUTH_REQUIRED');
        }
        const sid = transport.sessionId!;
        expect((await callTool(stateful.url, priya, 'list_orders', { customer_id: JOHN }, sid)).status).toBe(404);
        expect((await callTool(stateful.url, agent, 'list_orders', { customer_id: JOHN }, sid)).status).toBe(404);
        expect((await client.callTool({ name: 'get_order', arguments: { order_id: JOHN_ORDER } }) as CallToolResult).isError).toBeFalsy();
      } finally {
        await client.close();
      }
    });

    it('logs and the audit trail name the token\'s subject and client, never the token', async () => {
      const host = new URL(as.issuer).host;
      const johnPrincipal = `oauth:${host}#john@${PORTAL_CLIENT}`;
      const johnCalls = () => servers.flatMap((s) => s.logs).map((l) => JSON.parse(l) as Obj)
        .filter((l) => l.event === 'tool_call' && l.principal === johnPrincipal);
      // the log is written asynchronously: the last calls' lines may still be on their way
      await waitFor(async () => johnCalls().length > PRIYA_PROBES.length);
      const all = servers.flatMap((s) => s.logs);
      expect(johnCalls().length).toBeGreaterThan(PRIYA_PROBES.length);
      for (const token of [john, priya, agent]) {
        expect(all.join('\n')).not.toContain(token);
        expect(all.join('\n')).not.toContain(token.split('.')[2]);
      }
      if (backend.url === null) return;
      const rows = async () => {
        const c = new pg.Client({ connectionString: backend.url! });
        await c.connect();
        try {
          return (await c.query(`select tool, customer_id, principal, outcome, error_code, args::text as args from audit_log where principal like 'oauth:%'`)).rows as Obj[];
        } finally {
          await c.end();
        }
      };
      await waitFor(async () => (await rows()).filter((r) => r.principal === johnPrincipal && r.error_code === 'AUTH_REQUIRED').length >= PRIYA_PROBES.length * (replicas.length + 1));
      const audit = await rows();
      expect(new Set(audit.map((r) => r.principal))).toEqual(new Set([johnPrincipal, `oauth:${host}#priya@${PORTAL_CLIENT}`, `oauth:${host}#agent@${PORTAL_CLIENT}`]));
      const refusedPriya = audit.filter((r) => r.principal === johnPrincipal && r.customer_id === PRIYA);
      expect(refusedPriya.length).toBeGreaterThan(0);
      for (const r of refusedPriya) expect(r).toMatchObject({ outcome: 'error', error_code: 'AUTH_REQUIRED' });
      const text = JSON.stringify(audit);
      for (const token of [john, priya, agent]) expect(text).not.toContain(token.split('.')[2]);
    });
  });
});
