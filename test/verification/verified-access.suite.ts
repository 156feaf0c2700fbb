// Verified access through a real MCP client (issue 6 items 1 and 2), on each backend seeded
// with the shipped fixtures: find_customer shows only what starting a verification needs; every
// customer-scoped tool answers AUTH_REQUIRED until that customer is verified in the same
// conversation; OTP (code read from the outbox, as a sender would) and KBA complete it; a
// verification never unlocks another conversation or another customer. Also the banking,
// arena and blackbird profiles under --access verified.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { openPolicy, type PolicyConfig } from '../../src/services/policy.js';
import { connect, dataOf, errorOf, textOf, type Connected } from '../server/harness.js';

export interface VerificationBackend {
  /** A repository holding exactly the shipped fixtures (state reset). */
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VERIFIED: PolicyConfig = { ...openPolicy(), access: 'verified' };

// A: Jane Smith. B: John Smith. C: Mary Wilson (a processing order to try to cancel).
const A = { id: 'CUST-20003', email: 'jane.smith@acme.com', phone: '+1 (408) 555-0176', dob: '1984-11-05', postcode: '95113', last4: '0176', order: 'ORD-2024-9999', ticket: 'TICK-1003', sub: 'SUB-7890' };
const B = { id: 'CUST-20002', email: 'john.smith@email.com', order: 'ORD-2024-4321', ticket: 'TICK-1002', sub: 'SUB-2002' };
const C = { id: 'CUST-20004', order: 'ORD-2025-0000' };

/** One call of every support tool that reads or changes the given customer's data. */
const customerScopedCalls = (c: { id: string; order: string; ticket?: string }): [string, Record<string, unknown>][] => [
  ['list_orders', { customer_id: c.id }],
  ['get_order', { order_id: c.order }],
  ['cancel_order', { order_id: c.order }],
  ['get_subscription', { customer_id: c.id }],
  ['get_billing', { customer_id: c.id }],
  ['update_contact', { customer_id: c.id, phone: '415-555-0000' }],
  ['create_ticket', { customer_id: c.id, category: 'other', description: 'Please call me back', idempotency_key: 'locked-probe' }],
  ...(c.ticket ? [['get_ticket', { ticket_id: c.ticket }] as [string, Record<string, unknown>]] : []),
];

/** Nothing of the customer's record in a text: no name, full contact, order/ticket details. */
const expectNoData = (r: CallToolResult, c: { email: string; id: string }, what: string): void => {
  const text = textOf(r);
  expect(text, what).not.toContain(c.email);
  expect(text, what).not.toMatch(/Smith|Wilson|"total"|"items"|"plan"|"balance"|"description"/);
};

export function describeVerifiedAccess(name: string, makeBackend: () => Promise<VerificationBackend>): void {
  describe(`verified access over MCP [${name}]`, () => {
    let backend: VerificationBackend;
    let repo: SupportRepository;
    const open: Connected[] = [];
    const session = async (conversationId: string, profiles: string[] = ['support'], policy: PolicyConfig = VERIFIED): Promise<Connected> => {
      const mcp = await connect(repo, { profiles, conversationId, policy });
      open.push(mcp);
      await mcp.client.listTools(); // the SDK client then validates structuredContent against each outputSchema
      return mcp;
    };
    const codeFor = async (verificationId: string): Promise<string> => {
      const m = (await repo.listOutbox({ pendingOnly: true, limit: 1000 })).find((x) => x.verification_id === verificationId);
      expect(m, `an outbox message for ${verificationId}`).toBeDefined();
      return m!.code!;
    };
    /** Verifies the customer in this session by OTP, as a client would (the code from the outbox). */
    const verifyOtp = async (mcp: Connected, customerId: string): Promise<Obj> => {
      const started = dataOf<Obj>(await mcp.call('verify_identity', { customer_id: customerId, method: 'otp' }));
      expect(started.status).toBe('pending');
      const done = dataOf<Obj>(await mcp.call('verify_identity', {
        customer_id: customerId, method: 'otp', verification_id: started.verification_id, code: await codeFor(started.verification_id),
      }));
      expect(done.status).toBe('verified');
      return done;
    };

    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    afterEach(async () => {
      while (open.length > 0) await open.pop()!.close();
    });

    describe('before verification', () => {
      it('find_customer returns only the id and masked contacts, verification_required: true (valid against its output schema)', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-find');
        for (const args of [{ email: A.email }, { phone: '408-555-0176' }, { customer_id: A.id }]) {
          const r = await mcp.call('find_customer', args);
          expect(dataOf<Obj>(r)).toEqual({
            customer: { id: A.id, email_masked: 'j***@acme.com', phone_masked: '***-***-0176' },
            verification_required: true,
          });
          expectNoData(r, A, JSON.stringify(args));
          expect(textOf(r)).not.toMatch(/Jane|premium|standard|95113|1984/);
        }
        // an unknown customer is still NOT_FOUND (the look-up needs no verification)
        expect(errorOf(await mcp.call('find_customer', { email: 'nobody@nowhere.example' })).code).toBe('NOT_FOUND');
      });

      it('every customer-scoped tool answers AUTH_REQUIRED with the next step, and changes nothing', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-locked');
        const before = await repo.getOrder(C.order);
        for (const [tool, args] of [...customerScopedCalls(A), ...customerScopedCalls({ id: C.id, order: C.order })]) {
          const r = await mcp.call(tool, args);
          const e = errorOf(r);
          expect(e.code, `${tool} ${JSON.stringify(args)}`).toBe('AUTH_REQUIRED');
          expect(e.message).toMatch(/verify_identity/);
          expect(e.next_step).toMatch(/verify_identity/);
          expectNoData(r, A, tool);
        }
        expect(await repo.getOrder(C.order)).toEqual(before); // not cancelled
        expect((await repo.findCustomer({ by: 'id', value: A.id }))!.phone).toBe(A.phone); // not updated
        // the create_ticket probes carried this key: no ticket was stored under it for either customer
        expect(await repo.findTicketByIdempotencyKey(A.id, 'locked-probe')).toBeNull();
        expect(await repo.findTicketByIdempotencyKey(C.id, 'locked-probe')).toBeNull();
      });

      it('an unknown customer id is AUTH_REQUIRED too (no existence oracle); an unknown order is NOT_FOUND', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-unknown');
        expect(errorOf(await mcp.call('list_orders', { customer_id: 'CUST-NOPE' })).code).toBe('AUTH_REQUIRED');
        expect(errorOf(await mcp.call('get_order', { order_id: 'ORD-NOPE' })).code).toBe('NOT_FOUND');
      });
    });

    describe('OTP end to end', () => {
      it('start → masked destination, code only in the outbox → the code unlocks A in this conversation', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-otp');
        const started = dataOf<Obj>(await mcp.call('verify_identity', { customer_id: A.id, method: 'otp', channel: 'sms' }));
        expect(started).toMatchObject({ status: 'pending', method: 'otp', delivered_to: '***-***-0176', attempts_left: 5 });
        expect(started.conversation_id).toBeUndefined(); // sessions need no explicit conversation
        expect(started.message).toMatch(/code/);
        const code = await codeFor(started.verification_id);
        expect(JSON.stringify(started)).not.toContain(code);
        const [msg] = (await repo.listOutbox({ limit: 1000 })).filter((m) => m.verification_id === started.verification_id);
        expect(msg).toMatchObject({ channel: 'sms', destination: A.phone, customer_id: A.id });
        // still locked while pending
        expect(errorOf(await mcp.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
        const wrong = dataOf<Obj>(await mcp.call('verify_identity', {
          customer_id: A.id, method: 'otp', verification_id: started.verification_id, code: code === '000000' ? '000001' : '000000',
        }));
        expect(wrong).toMatchObject({ status: 'failed', attempts_left: 4 });
        const done = dataOf<Obj>(await mcp.call('verify_identity', {
          customer_id: A.id, method: 'otp', verification_id: started.verification_id, code,
        }));
        expect(done).toMatchObject({ status: 'verified', verification_id: started.verification_id });
        expect(Date.parse(done.expires_at) - Date.now()).toBeGreaterThan(25 * 60_000); // verifiedTtlMs: 30 min

        // now everything of A works ...
        expect(dataOf<Obj>(await mcp.call('find_customer', { email: A.email }))).toMatchObject({
          customer: { id: A.id, name: 'Jane Smith', email: A.email }, verification_required: false,
        });
        expect(dataOf<Obj>(await mcp.call('get_subscription', { customer_id: A.id })).subscription.id).toBe(A.sub);
        expect(dataOf<Obj>(await mcp.call('get_order', { order_id: A.order })).order.customer_id).toBe(A.id);
        expect(dataOf<Obj>(await mcp.call('list_orders', { customer_id: A.id })).orders.length).toBe(3);
        expect(dataOf<Obj>(await mcp.call('get_billing', { customer_id: A.id })).customer_id).toBe(A.id);
        expect(dataOf<Obj>(await mcp.call('get_ticket', { ticket_id: A.ticket })).ticket.customer_id).toBe(A.id);
        expect(dataOf<Obj>(await mcp.call('create_ticket', { customer_id: A.id, category: 'other', description: 'Verified request' })).ticket.customer_id).toBe(A.id);
        expect(dataOf<Obj>(await mcp.call('cancel_order', { order_id: A.order })).order.status).toBe('cancelled');
        expect(dataOf<Obj>(await mcp.call('update_contact', { customer_id: A.id, phone: '408-555-9999' })).updated_fields).toEqual(['phone']);
        // ... and asking to verify again returns the active verification without sending a code
        const outboxBefore = (await repo.listOutbox({ limit: 1000 })).length;
        expect(dataOf<Obj>(await mcp.call('verify_identity', { customer_id: A.id, method: 'otp' }))).toMatchObject({
          status: 'verified', verification_id: started.verification_id,
        });
        expect((await repo.listOutbox({ limit: 1000 })).length).toBe(outboxBefore);
      });

      it('biometric is VALIDATION_FAILED with a clear message, never pretended', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-bio');
        const e = errorOf(await mcp.call('verify_identity', { customer_id: A.id, method: 'biometric' }));
        expect(e.code).toBe('VALIDATION_FAILED');
        expect(e.message).toMatch(/[Bb]iometric .*not supported.*otp.*kba/);
        expect(errorOf(await mcp.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
      });
    });

    describe('KBA', () => {
      it('right answers (as a customer says them) verify; a wrong one fails without saying which', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-kba');
        const pending = dataOf<Obj>(await mcp.call('verify_identity', { customer_id: A.id, method: 'kba' }));
        expect(pending).toMatchObject({ status: 'pending', method: 'kba', questions: ['date_of_birth', 'postcode', 'phone_last4'], attempts_left: 5 });
        expect(pending.delivered_to).toBeUndefined();
        const wrong = await mcp.call('verify_identity', { customer_id: A.id, method: 'kba', date_of_birth: A.dob, postcode: A.postcode, phone_last4: '0177' });
        expect(dataOf<Obj>(wrong)).toMatchObject({ status: 'failed', attempts_left: 4, verification_id: pending.verification_id });
        expect(dataOf<Obj>(wrong).message).not.toMatch(/phone|postcode|birth/i);
        expect(errorOf(await mcp.call('get_billing', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
        const right = dataOf<Obj>(await mcp.call('verify_identity', {
          customer_id: A.id, method: 'kba', date_of_birth: '1984/11/5', postcode: ' 95113 ', phone_last4: '0176',
        }));
        expect(right).toMatchObject({ status: 'verified', verification_id: pending.verification_id });
        expect(dataOf<Obj>(await mcp.call('get_billing', { customer_id: A.id })).customer_id).toBe(A.id);
      });

      it('five wrong answers lock the check; the right answers then fail too', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-kba-lock');
        const statuses: string[] = [];
        for (let i = 0; i < 5; i++) {
          statuses.push(dataOf<Obj>(await mcp.call('verify_identity', { customer_id: A.id, method: 'kba', date_of_birth: '1990-01-01', postcode: A.postcode, phone_last4: A.last4 })).status);
        }
        expect(statuses).toEqual(['failed', 'failed', 'failed', 'failed', 'locked']);
        const after = dataOf<Obj>(await mcp.call('verify_identity', { customer_id: A.id, method: 'kba', date_of_birth: A.dob, postcode: A.postcode, phone_last4: A.last4 }));
        expect(after).toMatchObject({ status: 'locked', attempts_left: 0 });
        expect(errorOf(await mcp.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
      });
    });

    describe('scope: one customer, one conversation', () => {
      it('a verification in conversation X does not unlock conversation Y (same customer)', async () => {
        repo = await backend.fresh();
        const x = await session('conv-X');
        const y = await session('conv-Y');
        const done = await verifyOtp(x, A.id);
        expect(dataOf<Obj>(await x.call('get_subscription', { customer_id: A.id })).subscription.id).toBe(A.sub);
        expect(errorOf(await y.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
        expect(dataOf<Obj>(await y.call('find_customer', { customer_id: A.id })).verification_required).toBe(true);
        // Y cannot use X's verification id either
        const e = errorOf(await y.call('verify_identity', { customer_id: A.id, method: 'otp', verification_id: done.verification_id, code: '123456' }));
        expect(e.code).toBe('NOT_FOUND');
        expect(errorOf(await y.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
      });

      it('verifying A never unlocks B: B\'s orders, tickets, subscription and writes stay locked', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-A-not-B');
        await verifyOtp(mcp, A.id);
        const cBefore = await repo.getOrder(C.order);
        for (const [tool, args] of [...customerScopedCalls(B), ...customerScopedCalls({ id: C.id, order: C.order })]) {
          const r = await mcp.call(tool, args);
          expect(errorOf(r).code, `${tool} ${JSON.stringify(args)}`).toBe('AUTH_REQUIRED');
          expectNoData(r, B, tool);
        }
        expect(await repo.getOrder(C.order)).toEqual(cBefore);
        // B via find_customer: still only the preview
        expect(dataOf<Obj>(await mcp.call('find_customer', { email: B.email }))).toEqual({
          customer: { id: B.id, email_masked: 'j***@email.com', phone_masked: '***-***-0134' }, verification_required: true,
        });
        // A's own data is there
        expect(dataOf<Obj>(await mcp.call('get_ticket', { ticket_id: A.ticket })).ticket.id).toBe(A.ticket);
      });

      it('an expired verification locks the data again', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-expired', ['support'], { ...VERIFIED, verification: { ...VERIFIED.verification, verifiedTtlMs: 1_000 } });
        await verifyOtp(mcp, A.id);
        expect(dataOf<Obj>(await mcp.call('get_subscription', { customer_id: A.id })).subscription.id).toBe(A.sub);
        await new Promise((r) => setTimeout(r, 1_100));
        expect(errorOf(await mcp.call('get_subscription', { customer_id: A.id })).code).toBe('AUTH_REQUIRED');
      });
    });

    describe('other profiles under --access verified', () => {
      const env = (r: CallToolResult): Obj => JSON.parse(textOf(r)) as Obj;

      it('banking: lookup_customer is limited, cases and balances need verification; verify_customer_identity unlocks them', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-bank', ['banking']);
        const lookup = env(await mcp.call('lookup_customer', { customerId: 'CUST-001' }));
        expect(lookup).toMatchObject({ success: true, data: { id: 'CUST-001', emailMasked: 's***@email.com', phoneMasked: '***-***-1234', verificationRequired: true } });
        expect(JSON.stringify(lookup)).not.toMatch(/Sarah|sarah\.johnson|ACC-001|premium/);
        expect(env(await mcp.call('create_support_ticket', { type: 'fraud', priority: 'high', description: 'x', customerId: 'CUST-001' }))).toMatchObject({
          success: false, error: { code: 'AUTH_REQUIRED', details: { nextStep: expect.stringMatching(/verify_customer_identity/) } },
        });
        expect(env(await mcp.call('check_account_balance', { customerId: 'CUST-001' })).error.code).toBe('AUTH_REQUIRED');
        const started = env(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'otp', conversationId: 'ignored' })).data;
        expect(started).toMatchObject({ status: 'pending', deliveredTo: 's***@email.com' });
        const done = env(await mcp.call('verify_customer_identity', {
          customerId: 'CUST-001', method: 'otp', conversationId: 'ignored', authSessionId: started.authSessionId, code: await codeFor(started.authSessionId),
        }));
        expect(done).toMatchObject({ success: true, data: { status: 'verified' } });
        expect(env(await mcp.call('lookup_customer', { customerId: 'CUST-001' })).data).toMatchObject({ name: 'Sarah Johnson', tier: 'premium' });
        expect(env(await mcp.call('check_account_balance', { customerId: 'CUST-001' })).data).toMatchObject({ balance: 12450.32 });
        expect(env(await mcp.call('check_account_balance', { customerId: 'CUST-002' })).error.code).toBe('AUTH_REQUIRED');
      });

      it('arena and blackbird (no verify tool) answer AUTH_REQUIRED in their own formats', async () => {
        repo = await backend.fresh();
        const arena = await session('conv-arena', ['arena']);
        const a = await arena.call('get_order_history', { email: A.email });
        expect(a.isError).toBe(true);
        expect(textOf(a)).toMatch(/AUTH_REQUIRED|verif/i);
        expectNoData(a, A, 'arena');
        const blackbird = await session('conv-blackbird', ['blackbird']);
        const b = await blackbird.call('get_order_by_id', { order_id: '13579' }); // John Doe's (1213210)
        expect(b.isError).toBe(true);
        expect(textOf(b)).toMatch(/AUTH_REQUIRED|verif/i);
        expect(textOf(b)).not.toMatch(/john@gmail\.com|39\.98|processing/);
      });

      it('open access (the other profiles\' default) changes nothing: full records, no verification', async () => {
        repo = await backend.fresh();
        const mcp = await session('conv-open', ['support'], openPolicy());
        expect(dataOf<Obj>(await mcp.call('find_customer', { email: A.email }))).toMatchObject({ customer: { name: 'Jane Smith' }, verification_required: false });
        expect(dataOf<Obj>(await mcp.call('get_order', { order_id: B.order })).order.customer_id).toBe(B.id);
      });
    });
  });
}
