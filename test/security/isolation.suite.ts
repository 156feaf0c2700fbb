// A verification unlocks exactly one customer in exactly one conversation: never another
// conversation (same process or another replica), never another customer, and not forever.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ServiceHub } from '../../src/services/hub.js';
import {
  codeFor, codeOf, errOf, verifyStatus, leaked, okOf, openSession, secretsOf, securePolicy, sleep, verifyByOtp, withoutEcho,
  type BackendRef, type Session,
} from './kit.js';

const A = 'CUST-20003'; // Jane Smith: orders ORD-2024-1100/1235/9999, SUB-7890, TICK-1003
const B = 'CUST-20002'; // John Smith: ORD-2024-5678 (delivered), ORD-2024-4321 (shipped), SUB-2002, TICK-1002
const B_ORDER = 'ORD-2024-5678';

/** Every customer-scoped call on customer B (reads and writes). */
const CALLS_ON_B: [string, Record<string, unknown>][] = [
  ['get_order', { order_id: B_ORDER }],
  ['get_order', { order_id: 'ORD-2024-4321' }],
  ['list_orders', { customer_id: B }],
  ['cancel_order', { order_id: 'ORD-2024-4321' }],
  ['get_subscription', { customer_id: B }],
  ['get_billing', { customer_id: B }],
  ['update_contact', { customer_id: B, email: 'takeover@attacker.example' }],
  ['create_ticket', { customer_id: B, category: 'account', description: 'close this account' }],
  ['get_ticket', { ticket_id: 'TICK-1002' }],
];

export function describeIsolation(backend: BackendRef): void {
  describe('isolation between conversations and customers', () => {
    let ds: Dataset;
    let repo: SupportRepository;
    const sessions: Session[] = [];
    beforeAll(async () => {
      ds = await loadDataset();
    });
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
    });
    const open = async (conversationId: string, opts: { hub?: ServiceHub; verifiedTtlMs?: number } = {}): Promise<Session> => {
      const policy = securePolicy(opts.verifiedTtlMs ? { verification: { verifiedTtlMs: opts.verifiedTtlMs } } : {});
      const s = await openSession(repo, { conversationId, policy, ...(opts.hub ? { hub: opts.hub } : {}) });
      sessions.push(s);
      return s;
    };
    const denied = (r: CallToolResult, what: string, secrets: readonly string[], args: Record<string, unknown>): void => {
      expect(codeOf(r), what).toBe('AUTH_REQUIRED');
      expect(leaked(withoutEcho(JSON.stringify(r), args), secrets), what).toEqual([]);
    };
    const readsA = async (s: Session): Promise<CallToolResult> => s.call('get_billing', { customer_id: A });

    it('a verification in conversation X does not unlock conversation Y (same process)', async () => {
      repo = await backend().fresh();
      const x = await open('sec-iso-x');
      const y = await open('sec-iso-y', { hub: x.hub });
      await verifyByOtp(x, repo, A);
      expect(okOf(await readsA(x)).customer_id).toBe(A);
      const secrets = secretsOf(ds, A);
      for (const [tool, args] of [
        ['get_billing', { customer_id: A }], ['get_subscription', { customer_id: A }], ['list_orders', { customer_id: A }],
        ['get_order', { order_id: 'ORD-2024-1100' }], ['get_ticket', { ticket_id: 'TICK-1003' }],
        ['cancel_order', { order_id: 'ORD-2024-9999' }],
        ['update_contact', { customer_id: A, phone: '+1 (408) 555-0000' }],
        ['create_ticket', { customer_id: A, category: 'other', description: 'from Y' }],
      ] as [string, Record<string, unknown>][]) {
        denied(await y.call(tool, args), `Y ${tool}`, secrets, args);
      }
      // Y's look-up still shows only the masked contacts.
      const found = okOf(await y.call('find_customer', { email: 'jane.smith@acme.com' }));
      expect(found).toMatchObject({ verification_required: true });
      expect(found.customer.name).toBeUndefined();
      // And X is still fine afterwards; nothing Y tried changed anything.
      expect(okOf(await x.call('get_order', { order_id: 'ORD-2024-9999' })).order.status).toBe('processing');
    });

    it('... nor on another replica (another hub on the same repository), which does see X\'s own verification', async () => {
      repo = await backend().fresh();
      const x = await open('sec-iso-rx');
      await verifyByOtp(x, repo, A);
      const xOnReplica = await open('sec-iso-rx'); // same conversation, new hub: verifications live in the repository
      expect(okOf(await readsA(xOnReplica)).customer_id).toBe(A);
      const yOnReplica = await open('sec-iso-ry');
      denied(await readsA(yOnReplica), 'Y on a replica', secretsOf(ds, A), { customer_id: A });
    });

    it('verifying customer A never unlocks customer B, for every customer-scoped tool', async () => {
      repo = await backend().fresh();
      const x = await open('sec-iso-ab');
      await verifyByOtp(x, repo, A);
      const secrets = secretsOf(ds, B);
      for (const [tool, args] of CALLS_ON_B) denied(await x.call(tool, args), `A-verified ${tool}`, secrets, args);
      // B's data is untouched.
      expect((await repo.getOrder('ORD-2024-4321'))!.status).toBe('shipped');
      expect((await repo.findCustomer({ by: 'id', value: B }))!.email).toBe('john.smith@email.com');
      // A's own data is reachable (the denials above were not a general outage).
      expect(okOf(await x.call('list_orders', { customer_id: A })).orders.map((o: { id: string }) => o.id).sort())
        .toEqual(['ORD-2024-1100', 'ORD-2024-1235', 'ORD-2024-9999']);
      expect(okOf(await x.call('get_ticket', { ticket_id: 'TICK-1003' })).ticket.customer_id).toBe(A);
    });

    it('an unverified conversation gets AUTH_REQUIRED from every customer-scoped tool', async () => {
      repo = await backend().fresh();
      const z = await open('sec-iso-none');
      const secrets = secretsOf(ds, B);
      for (const [tool, args] of CALLS_ON_B) denied(await z.call(tool, args), `unverified ${tool}`, secrets, args);
      expect((await repo.getOrder('ORD-2024-4321'))!.status).toBe('shipped');
    });

    it('a conversation_id argument does not move a verification between MCP sessions', async () => {
      repo = await backend().fresh();
      const x = await open('sec-iso-arg-x');
      const y = await open('sec-iso-arg-y', { hub: x.hub });
      await verifyByOtp(x, repo, A);
      // Y names X's conversation in verify_identity; whatever the answer, Y's own tools stay closed.
      const r = await y.call('verify_identity', { customer_id: A, method: 'otp', conversation_id: 'sec-iso-arg-x' });
      expect(leaked(withoutEcho(JSON.stringify(r), {}), secretsOf(ds, A).filter((s) => !s.includes('@') && !/^\+/.test(s)))).toEqual([]);
      denied(await readsA(y), 'Y after naming X', secretsOf(ds, A), { customer_id: A });
    });

    it('stateless HTTP: only the conversation_id the verification returned unlocks, and only for that customer', async () => {
      repo = await backend().fresh();
      // As stateless HTTP serves it: a fresh server per request, whose default conversation (used
      // when no conversation_id is given) is random; one hub for the process.
      const hub = new ServiceHub({ repo, policy: securePolicy(), conversationArgument: true });
      const s = {
        call: async (tool: string, args: Record<string, unknown>): Promise<CallToolResult> => {
          const one = await openSession(repo, { conversationId: `http-${crypto.randomUUID()}`, policy: hub.policy, hub, stateless: true });
          try {
            return await one.call(tool, args);
          } finally {
            await one.close();
          }
        },
      };
      const start = okOf(await s.call('verify_identity', { customer_id: A, method: 'otp' }));
      const conversation = String(start.conversation_id);
      expect(conversation.length).toBeGreaterThan(0);
      const code = await codeFor(repo, String(start.verification_id));
      // Answering without the conversation_id is another conversation: it cannot use this challenge.
      expect(verifyStatus(await s.call('verify_identity', { customer_id: A, method: 'otp', verification_id: start.verification_id, code, conversation_id: 'someone-else' })))
        .not.toBe('verified');
      const done = okOf(await s.call('verify_identity', {
        customer_id: A, method: 'otp', verification_id: start.verification_id, code, conversation_id: conversation,
      }));
      expect(done).toMatchObject({ status: 'verified', conversation_id: conversation });
      expect(okOf(await s.call('get_billing', { customer_id: A, conversation_id: conversation })).customer_id).toBe(A);
      const secrets = secretsOf(ds, A);
      denied(await s.call('get_billing', { customer_id: A }), 'no conversation_id', secrets, { customer_id: A });
      denied(await s.call('get_billing', { customer_id: A, conversation_id: `${conversation}x` }), 'another conversation_id', secrets, { customer_id: A });
      denied(await s.call('get_billing', { customer_id: B, conversation_id: conversation }), 'customer B', secretsOf(ds, B), { customer_id: B });
      for (const bad of ["' OR '1'='1", 'a'.repeat(129), `${conversation} `, '*']) {
        expect(codeOf(await s.call('get_billing', { customer_id: A, conversation_id: bad })), JSON.stringify(bad)).toBe('VALIDATION_FAILED');
      }
    });

    it('a verification expires after verifiedTtlMs', async () => {
      repo = await backend().fresh();
      const x = await open('sec-iso-ttl', { verifiedTtlMs: 800 });
      await verifyByOtp(x, repo, A);
      expect(okOf(await readsA(x)).customer_id).toBe(A);
      await sleep(1_200);
      expect(errOf(await readsA(x)).code).toBe('AUTH_REQUIRED');
    });
  });
}
