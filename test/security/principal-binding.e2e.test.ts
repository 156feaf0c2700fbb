// Issue: a verified conversation must belong to whoever verified it. The built CLI over HTTP
// with several static tokens: token A verifies customer 1213210 by KBA; token B then presents
// A's conversation_id (stateless) or A's Mcp-Session-Id / SSE session id (stateful) and must
// get nothing: AUTH_REQUIRED for the conversation, 404 for the session, on every replica
// sharing the database. A stays unaffected; tokens sharing a name (a rotation) share the
// conversation. Runs on fixtures (one replica), PGlite and Postgres (two replicas each).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFingerprint } from '../../src/domain/principal.js';
import { parseStaticTokens } from '../../src/transports/static-tokens.js';
import {
  bearer, callTool, errorCode, ok, openSse, replicaBackends, request, waitFor, type Obj, type ReplicaBackend,
} from '../support/http-e2e.js';
import { runCli, startHttpServer, type RunningServer } from '../server/cli.js';

const A = 'token-a-0123456789abcdef';
const B = 'token-b-0123456789abcdef';
const R1 = 'rotation-one-0123456789';
const R2 = 'rotation-two-0123456789';
const TOKENS = ['--auth-token', `${A},${B},ops=${R1},ops=${R2}`];
const B_PRINCIPAL = parseStaticTokens([B])[0]!.principal.id;
const JOHN = '1213210';
const KBA = { customer_id: JOHN, method: 'kba', date_of_birth: '1984-02-11', postcode: '94107', phone_last4: '7890' };
const SECRET = ['--verification-secret', 'shared-secret-of-the-replicas'];

const connect = async (url: string, token: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> => {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: bearer(token) } });
  const client = new Client({ name: 'principal-binding', version: '0' });
  await client.connect(transport);
  return { client, transport };
};

const backends = replicaBackends('principal binding');

backends.forEach(({ name: backendName, make }) => {
  describe(`principal binding over HTTP [${backendName}]`, () => {
    let backend: ReplicaBackend;
    const servers: RunningServer[] = [];
    const start = async (extra: string[]): Promise<RunningServer> => {
      const db = backend.url === null
        ? ['--fixtures', '--outbox-file', '/dev/null']
        : ['--database-url', backend.url, '--db-pool-size', backend.name === 'pglite' ? '1' : '4'];
      const s = await startHttpServer([...db, ...TOKENS, ...SECRET, '--limits', 'off', ...extra]);
      servers.push(s);
      return s;
    };
    const auditRows = async (): Promise<Obj[]> => {
      const c = new pg.Client({ connectionString: backend.url! });
      await c.connect();
      try {
        return (await c.query(`select tool, conversation_id, principal, error_code, outcome from audit_log where error_code = 'PRINCIPAL_MISMATCH' order by id`)).rows;
      } finally {
        await c.end();
      }
    };

    beforeAll(async () => {
      backend = await make();
      if (backend.url !== null) expect((await runCli(['db', 'seed', '--database-url', backend.url])).code).toBe(0);
    });
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await backend?.teardown();
    });

    describe('stateless: conversation_id', () => {
      let replicas: RunningServer[] = [];
      beforeAll(async () => {
        replicas = [];
        for (let r = 0; r < backend.replicas; r++) replicas.push(await start([]));
      });

      it('token B presenting token A\'s conversation_id gets AUTH_REQUIRED on every replica; A is unaffected', async () => {
        const verified = ok(await callTool(replicas[0]!.url, A, 'verify_identity', KBA));
        expect(verified.status).toBe('verified');
        const conversation = verified.conversation_id as string;
        for (const replica of replicas) {
          expect(ok(await callTool(replica.url, A, 'list_orders', { customer_id: JOHN, conversation_id: conversation })).orders.length).toBeGreaterThan(0);
          // the replay: every customer-scoped read is refused as if nothing were verified
          for (const [tool, args] of [['list_orders', { customer_id: JOHN }], ['get_subscription', { customer_id: JOHN }], ['get_order', { order_id: '13579' }]] as const) {
            const r = await callTool(replica.url, B, tool, { ...args, conversation_id: conversation });
            expect(r.status).toBe(200);
            expect(errorCode(r.result), `${tool} ${JSON.stringify(r.result)}`).toBe('AUTH_REQUIRED');
            expect(JSON.stringify(r.result)).not.toMatch(/John|john@gmail|SUB-|"orders"/);
          }
          // …and B cannot verify (or answer a challenge) inside A's conversation either
          expect(errorCode((await callTool(replica.url, B, 'verify_identity', { ...KBA, conversation_id: conversation })).result)).toBe('AUTH_REQUIRED');
          // the look-up shows B only the preview an unverified conversation gets
          expect(ok(await callTool(replica.url, B, 'find_customer', { customer_id: JOHN, conversation_id: conversation })).verification_required).toBe(true);
        }
        // A's conversation still works after the attempts
        for (const replica of replicas) {
          expect(ok(await callTool(replica.url, A, 'list_orders', { customer_id: JOHN, conversation_id: conversation })).orders.length).toBeGreaterThan(0);
        }
        // logged at warn without the id in clear, on the replica that refused
        for (const replica of replicas) {
          const logs = replica.logs.join('\n');
          const refusals = replica.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'principal_mismatch');
          expect(refusals.length).toBeGreaterThan(0);
          for (const l of refusals) {
            expect(l).toMatchObject({ level: 'warn', principal: B_PRINCIPAL, conversation: idFingerprint(conversation) });
          }
          expect(logs).not.toContain(conversation);
          expect(logs).not.toContain(B);
          expect(logs).not.toContain(A);
        }
        if (backend.url !== null) {
          // audit entries of calls without a write are appended in batches: wait for the flush
          await waitFor(async () => (await auditRows()).filter((r) => r.conversation_id === idFingerprint(conversation)).length >= 5 * replicas.length);
          const rows = (await auditRows()).filter((r) => r.conversation_id === idFingerprint(conversation));
          // 3 reads + verify + find_customer, per replica
          expect(rows.length).toBe(5 * replicas.length);
          // refused calls, and the look-up that answered with the unverified preview
          for (const row of rows) expect(row).toMatchObject({ principal: B_PRINCIPAL, outcome: row.tool === 'find_customer' ? 'ok' : 'error' });
          const c = new pg.Client({ connectionString: backend.url });
          await c.connect();
          try {
            // A's own calls are audited under A's principal, and no refused entry holds the id in clear
            const own = await c.query(`select distinct principal from audit_log where conversation_id = $1`, [conversation]);
            expect(own.rows.map((r) => r.principal)).toEqual([parseStaticTokens([A])[0]!.principal.id]);
          } finally {
            await c.end();
          }
        }
      });

      it('tokens sharing a name are one principal: a rotation keeps the conversation, another name does not', async () => {
        const verified = ok(await callTool(replicas[0]!.url, R1, 'verify_identity', KBA));
        const conversation = verified.conversation_id as string;
        const last = replicas[replicas.length - 1]!;
        expect(ok(await callTool(last.url, R2, 'list_orders', { customer_id: JOHN, conversation_id: conversation })).orders.length).toBeGreaterThan(0);
        expect(errorCode((await callTool(last.url, A, 'list_orders', { customer_id: JOHN, conversation_id: conversation })).result)).toBe('AUTH_REQUIRED');
        expect(ok(await callTool(replicas[0]!.url, R1, 'list_orders', { customer_id: JOHN, conversation_id: conversation })).orders.length).toBeGreaterThan(0);
      });
    });

    describe('stateful: Mcp-Session-Id, and legacy SSE sessions', () => {
      let server: RunningServer;
      let other: RunningServer | undefined;
      beforeAll(async () => {
        server = await start(['--stateful']);
        if (backend.replicas > 1) other = await start(['--stateful']);
      });

      it('token B presenting token A\'s session id gets 404, for POST, GET and DELETE; A\'s session goes on', async () => {
        const a = await connect(server.url, A);
        try {
          const v = (await a.client.callTool({ name: 'verify_identity', arguments: KBA })) as CallToolResult;
          expect((v.structuredContent as Obj).status).toBe('verified');
          const sid = a.transport.sessionId!;
          expect(sid).toBeTruthy();
          const replay = await callTool(server.url, B, 'list_orders', { customer_id: JOHN }, sid);
          expect(replay.status).toBe(404);
          for (const method of ['GET', 'DELETE']) {
            const r = await request(`${server.url}/mcp`, { method, headers: { ...bearer(B), 'mcp-session-id': sid } });
            expect(r.status, method).toBe(404);
          }
          // the same id on another replica is unknown there
          if (other) expect((await callTool(other.url, A, 'list_orders', { customer_id: JOHN }, sid)).status).toBe(404);
          // A (and only A) still has the session, with the customer verified
          const orders = (await a.client.callTool({ name: 'list_orders', arguments: { customer_id: JOHN } })) as CallToolResult;
          expect(orders.isError).toBeFalsy();
          expect(ok(await callTool(server.url, A, 'list_orders', { customer_id: JOHN }, sid)).orders.length).toBeGreaterThan(0);
          // the server's stderr reaches us asynchronously: wait for the third refusal's line
          const mismatches = () => server.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'principal_mismatch');
          await waitFor(async () => mismatches().length >= 3);
          const refusals = mismatches();
          expect(refusals.map((l) => l.transport)).toEqual(['streamable-http', 'streamable-http', 'streamable-http']);
          for (const l of refusals) expect(l).toMatchObject({ level: 'warn', principal: B_PRINCIPAL, session: idFingerprint(sid) });
          expect(server.logs.join('\n')).not.toContain(sid);
          if (backend.url !== null) {
            await waitFor(async () => (await auditRows()).filter((r) => r.conversation_id === idFingerprint(sid)).length === 3);
            for (const row of (await auditRows()).filter((r) => r.conversation_id === idFingerprint(sid))) {
              expect(row).toMatchObject({ tool: 'session:streamable-http', principal: B_PRINCIPAL });
            }
          }
        } finally {
          await a.client.close();
        }
      });

      it('a named rotation keeps the session: a session opened with one ops token answers the other', async () => {
        const a = await connect(server.url, R1);
        try {
          await a.client.callTool({ name: 'verify_identity', arguments: KBA });
          const sid = a.transport.sessionId!;
          expect(ok(await callTool(server.url, R2, 'list_orders', { customer_id: JOHN }, sid)).orders.length).toBeGreaterThan(0);
          expect((await callTool(server.url, A, 'list_orders', { customer_id: JOHN }, sid)).status).toBe(404);
        } finally {
          await a.client.close();
        }
      });

      it('SSE: /messages with another principal\'s session id gets 404; the owner and its rotation are accepted', async () => {
        const sse = await openSse(server.url, A);
        try {
          const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'sse', version: '0' } } };
          const url = `${server.url}/messages?sessionId=${encodeURIComponent(sse.sessionId)}`;
          expect((await request(url, { headers: bearer(B), body: init })).status).toBe(404);
          expect((await request(url, { headers: bearer(A), body: init })).status).toBe(202);
          const sseRefusals = () => server.logs.map((l) => JSON.parse(l) as Obj).filter((l) => l.event === 'principal_mismatch' && l.transport === 'sse');
          await waitFor(async () => sseRefusals().length >= 1);
          const logs = sseRefusals();
          expect(logs).toHaveLength(1);
          expect(logs[0]).toMatchObject({ principal: B_PRINCIPAL, session: idFingerprint(sse.sessionId) });
        } finally {
          sse.close();
        }
        const rotated = await openSse(server.url, R1);
        try {
          const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
          const url = `${server.url}/messages?sessionId=${encodeURIComponent(rotated.sessionId)}`;
          expect((await request(url, { headers: bearer(R2), body: ping })).status).toBe(202);
          expect((await request(url, { headers: bearer(A), body: ping })).status).toBe(404);
        } finally {
          rotated.close();
        }
      });
    });
  });
});
