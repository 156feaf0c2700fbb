// --read-only enforced twice (issue 6 item 5): writing tools are not registered, AND the
// Postgres data session is read-only, so a data write refused by the database itself — while
// the control tables (audit trail, rate-limit counters, verifications, outbox) stay writable
// through the repository's second pool.
//
// Real Postgres only (DATABASE_URL): PGlite is ONE session shared by every connection through
// pglite-socket, so a read-only setting on one pool would apply to the other as well.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import { ReadOnlyError, RepositoryError } from '../../src/repository/errors.js';
import {
  createDb, createPostgresRepository, migrateToLatest, seedDataset, type PostgresRepository,
} from '../../src/repository/postgres/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { auditOf, codeOf, JANE, JANE_PROCESSING_ORDER, policy, textOf, waitForAudit } from './kit.js';

const PROFILES = await loadAllProfiles();

const DATABASE_URL = process.env.DATABASE_URL ?? '';

const audit = (conversation: string) => ({
  conversation_id: conversation, tool: 'read_only_check', customer_id: JANE, outcome: 'ok' as const, error_code: null, duration_ms: 1, args: {},
});

describe.skipIf(!DATABASE_URL)(
  DATABASE_URL ? 'read-only mode [postgres]' : 'read-only mode [postgres] — skipped: DATABASE_URL is not set (PGlite has one shared session)',
  () => {
    const schema = `readonly_${Date.now().toString(36)}_${process.pid}`;
    let admin: Kysely<any>;
    let repo: PostgresRepository;

    beforeAll(async () => {
      admin = createDb({ connectionString: DATABASE_URL, schema, max: 2 });
      await migrateToLatest(admin);
      repo = createPostgresRepository({ connectionString: DATABASE_URL, schema, readOnly: true, max: 3 });
    });
    afterAll(async () => {
      await repo?.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
      await admin.destroy();
    });
    beforeEach(async () => {
      await seedDataset(admin, await loadDataset(), { replace: true });
    });

    it('the data session is read-only; every data write fails with a typed ReadOnlyError and changes nothing', async () => {
      const { rows } = await sql<{ ro: string }>`select current_setting('default_transaction_read_only') as ro`.execute(repo.db);
      expect(rows[0]?.ro).toBe('on');
      const attempts: [string, () => Promise<unknown>][] = [
        ['cancelOrder', () => repo.cancelOrder(JANE_PROCESSING_ORDER)],
        ['cancelOrder with its audit entry', () => repo.cancelOrder(JANE_PROCESSING_ORDER, { audit: audit('ro-write-audit') })],
        ['updateContact', () => repo.updateContact(JANE, { email: 'changed@example.com' })],
        ['updatePaymentMethod', () => repo.updatePaymentMethod(JANE, 'Visa ending in 1111')],
        ['createTicket', () => repo.createTicket({
          id: 'TKT-RO-1', number: 'TKT-RO-1', customer_id: JANE, category: 'other', priority: 'low', description: 'x',
          amount: null, currency: null, conversation_id: null, idempotency_key: null,
        })],
        // the support desk (issue 13): customer data, refused by the read-only session
        ['blockCard', () => repo.blockCard('CARD-001-1', 'stolen')],
        ['unblockCard', () => repo.unblockCard('CARD-001-2')],
        ['updatePreferences', () => repo.updatePreferences(JANE, { language: 'es' })],
        ['scheduleCallback', () => repo.scheduleCallback({
          id: 'CB-RO-1', customer_id: JANE, destination: '+14085550176', window_start: new Date(Date.now() + 86_400_000).toISOString(),
          window_end: new Date(Date.now() + 90_000_000).toISOString(), topic: 'x', conversation_id: null, request_key: 'ro',
        }, 3)],
        ['cancelCallback', () => repo.cancelCallback('CB-0002')],
      ];
      for (const [what, attempt] of attempts) {
        const err = await attempt().then(() => null, (e: unknown) => e);
        expect(err, what).toBeInstanceOf(ReadOnlyError);
        expect(err, what).toBeInstanceOf(RepositoryError);
        expect((err as ReadOnlyError).kind).toBe('unavailable'); // services answer DATABASE_ERROR
        expect((err as Error).message).toBe('the data store is read-only: writes are refused');
      }
      // Nothing changed (read through the writable admin connection).
      const order = await admin.selectFrom('orders').select('status').where('id', '=', JANE_PROCESSING_ORDER).executeTakeFirst();
      expect(order?.status).toBe('processing');
      const customer = await admin.selectFrom('customers').select('email').where('id', '=', JANE).executeTakeFirst();
      expect(customer?.email).toBe('jane.smith@acme.com');
      expect(await admin.selectFrom('tickets').select('id').where('id', '=', 'TKT-RO-1').execute()).toEqual([]);
      expect(await auditOf(repo, 'ro-write-audit')).toEqual([]);
      const card = await admin.selectFrom('cards').select('status').where('id', '=', 'CARD-001-1').executeTakeFirst();
      expect(card?.status).toBe('active');
      expect(await admin.selectFrom('callbacks').select('id').where('id', '=', 'CB-RO-1').execute()).toEqual([]);
    });

    it('the handoff queue stays writable (a person must stay reachable in read-only mode)', async () => {
      const opened = await repo.openHandoff({
        id: randomUUID(), conversation_id: 'ro-handoff', principal: 'stdio', customer_id: null, customer_verified: false,
        reason: 'customer_request', summary: 'Wants a person.', priority: 'medium', queue: 'general',
      });
      expect(opened.created).toBe(true);
      expect((await repo.setHandoffStatus(opened.handoff.id, 'accepted')).status).toBe('accepted');
    });

    it('the control tables stay writable: audit appends, rate-limit counters, verifications and the outbox', async () => {
      await repo.appendAudit([audit('ro-control')]);
      expect((await auditOf(repo, 'ro-control')).map((e) => e.tool)).toEqual(['read_only_check']);
      const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
      expect(await repo.hitCounters([{ key: 'ro-check', windowStart }])).toEqual({ 'ro-check': 1 });
      expect(await repo.hitCounters([{ key: 'ro-check', windowStart }])).toEqual({ 'ro-check': 2 });
      const v = await repo.createVerification({
        id: randomUUID(), customer_id: JANE, conversation_id: 'ro-control', principal: 'stdio', method: 'otp', code_hash: 'h', delivered_to: null,
        max_attempts: 5, expires_at: new Date(Date.now() + 600_000).toISOString(),
      });
      expect((await repo.attemptVerification(v.id, { matched: true, verifiedTtlMs: 60_000 })).outcome).toBe('verified');
      const m = await repo.enqueueOutbox({
        id: randomUUID(), channel: 'email', destination: 'jane.smith@acme.com', body: 'Your code: {code}', code: '123456',
        verification_id: v.id, customer_id: JANE, expires_at: v.expires_at,
      });
      expect((await repo.markOutboxSent(m.id)).code).toBeNull();
    });

    it('through MCP: writing tools are not registered, and reads are still rate-limited and audited', async () => {
      const hub = new ServiceHub({ repo: createPostgresRepository({ connectionString: DATABASE_URL, schema, readOnly: true, max: 2 }), policy: policy({ limits: { perConversationPerMinute: 2 } }) });
      const server = createSupportServer({
        selection: selectTools([PROFILES.support!], { readOnly: true }),
        deps: { hub, logger: silentLogger() },
        defaultConversationId: 'ro-mcp',
      });
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: 'read-only-test', version: '0' });
      await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
      try {
        const tools = (await client.listTools()).tools.map((t) => t.name);
        expect(tools).toContain('get_order');
        for (const writer of ['cancel_order', 'update_contact', 'create_ticket']) expect(tools).not.toContain(writer);
        expect(tools).toContain('verify_identity');
        const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
        const first = await call('get_order', { order_id: JANE_PROCESSING_ORDER });
        expect(codeOf(first), textOf(first)).toBe('ok');
        expect(codeOf(await call('get_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('ok');
        expect(codeOf(await call('get_order', { order_id: JANE_PROCESSING_ORDER }))).toBe('RATE_LIMITED');
        const rows = await waitForAudit(repo, 'ro-mcp', 3);
        expect(rows.map((r) => r.error_code ?? 'ok')).toEqual(['ok', 'ok', 'RATE_LIMITED']);
        // a person stays reachable: transfer_to_agent is listed, and its handoff is written
        // through the control pool (not rate-limited here: a new conversation)
        expect(tools).toContain('transfer_to_agent');
        for (const writer of ['block_card', 'unblock_card', 'update_preferences', 'schedule_callback', 'cancel_callback']) expect(tools).not.toContain(writer);
      } finally {
        await client.close();
        await server.close();
        await hub.close();
      }
    });

    it('through MCP: a customer can still verify (only verification records and the outbox are written)', async () => {
      const hub = new ServiceHub({ repo: createPostgresRepository({ connectionString: DATABASE_URL, schema, readOnly: true, max: 2 }), policy: policy({ access: 'verified' }) });
      const server = createSupportServer({
        selection: selectTools([PROFILES.support!], { readOnly: true }),
        deps: { hub, logger: silentLogger() },
        defaultConversationId: 'ro-verify',
      });
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: 'read-only-test', version: '0' });
      await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
      try {
        const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
        expect(codeOf(await call('get_subscription', { customer_id: JANE }))).toBe('AUTH_REQUIRED');
        const started = await call('verify_identity', { customer_id: JANE, method: 'otp' });
        expect(codeOf(started), textOf(started)).toBe('ok');
        const { verification_id: id, status } = started.structuredContent as { verification_id: string; status: string };
        expect(status).toBe('pending');
        const code = (await repo.listOutbox({ pendingOnly: true })).find((m) => m.verification_id === id)?.code;
        expect(code).toMatch(/^\d{6}$/);
        const done = await call('verify_identity', { customer_id: JANE, method: 'otp', verification_id: id, code });
        expect((done.structuredContent as { status: string }).status).toBe('verified');
        expect(codeOf(await call('get_subscription', { customer_id: JANE }))).toBe('ok');
        const handoff = await call('transfer_to_agent', { reason: 'customer_request', summary: 'Wants a person.', customer_id: JANE });
        expect(codeOf(handoff), textOf(handoff)).toBe('ok');
        const handoffId = (handoff.structuredContent as { handoff: { id: string } }).handoff.id;
        expect(await repo.getHandoff(handoffId)).toMatchObject({ conversation_id: 'ro-verify', customer_id: JANE, customer_verified: true, status: 'open' });
      } finally {
        await client.close();
        await server.close();
        await hub.close();
      }
    });
  },
);
