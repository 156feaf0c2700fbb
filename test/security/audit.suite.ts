// The audit trail after a scripted conversation: exactly one row per tool call (successes,
// denials, invalid arguments, writes), and nothing in any row that is a raw e-mail, phone
// number, one-time code or knowledge-based answer.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SupportRepository } from '../../src/repository/types.js';
import {
  codeFor, codeOf, okOf, openSession, securePolicy, settledAudit, verifyStatus, wrongCode, type BackendRef, type Session,
} from './kit.js';

const JOHN = 'CUST-12344'; // john.doe@example.com, +1 (646) 555-0117, 1979-10-02, 10013
const JANE = 'CUST-20003'; // jane.smith@acme.com, +1 (408) 555-0176, 1984-11-05, 95113

export function describeAudit(backend: BackendRef): void {
  describe('audit trail', () => {
    let repo: SupportRepository;
    const sessions: Session[] = [];
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
    });

    it('one row per call, with outcome, error code and customer, and no raw PII, codes or KBA answers', async () => {
      repo = await backend().fresh();
      const conversation = 'sec-audit-conversation'; // no digits: the scan below looks for digit runs
      const s = await openSession(repo, { conversationId: conversation, policy: securePolicy() });
      sessions.push(s);
      const made: { tool: string; code: string }[] = [];
      const call = async (tool: string, args: Record<string, unknown>): Promise<CallToolResult> => {
        const r = await s.call(tool, args);
        made.push({ tool, code: codeOf(r) });
        return r;
      };

      await call('find_customer', { email: 'john.doe@example.com' });
      await call('find_customer', { phone: '+1 (646) 555-0117' });
      await call('find_customer', { email: 'nobody.here@example.net' });
      await call('get_billing', { customer_id: JOHN });
      // OTP by SMS: one wrong code, then the right one.
      const start = okOf(await call('verify_identity', { customer_id: JOHN, method: 'otp', channel: 'sms' }));
      const vid = String(start.verification_id);
      const code = await codeFor(repo, vid);
      const bad = wrongCode(code);
      await call('verify_identity', { customer_id: JOHN, method: 'otp', verification_id: vid, code: bad });
      expect(verifyStatus(await call('verify_identity', { customer_id: JOHN, method: 'otp', verification_id: vid, code }))).toBe('verified');
      await call('get_billing', { customer_id: JOHN });
      await call('list_orders', { customer_id: JOHN });
      await call('get_order', { order_id: 'ORD-2024-0987' });
      await call('update_contact', { customer_id: JOHN, email: 'j.doe.new@example.org', phone: '+1 (646) 555-0199' });
      await call('create_ticket', {
        customer_id: JOHN, category: 'account',
        description: 'Reach me at j.doe.new@example.org or 646-555-0199; my old number was +1 (646) 555-0117; the code was 493817.',
      });
      await call('find_customer', {}); // invalid arguments are audited too
      await call('get_subscription', { customer_id: JANE }); // denied: not verified here
      // KBA for Jane: one wrong set of answers, then the right one.
      await call('verify_identity', { customer_id: JANE, method: 'kba', date_of_birth: '1984-11-06', postcode: '95114', phone_last4: '0177' });
      expect(verifyStatus(await call('verify_identity', {
        customer_id: JANE, method: 'kba', date_of_birth: '1984-11-05', postcode: '95113', phone_last4: '0176',
      }))).toBe('verified');
      await call('cancel_order', { order_id: 'ORD-2024-9999' });
      await call('get_ticket', { ticket_id: 'TICK-1003' });
      await call('verify_identity', { customer_id: JANE, method: 'biometric' });

      expect(made.filter((m) => m.code === 'ok').length).toBeGreaterThanOrEqual(12); // the script really ran
      const rows = await settledAudit(repo, conversation, made.length);

      // Exactly one row per call. Writes are committed with their row while reads may be
      // batched, so compare as multisets, not by order.
      const key = (tool: string, code: string): string => `${tool}:${code}`;
      expect(rows.map((r) => key(r.tool, r.outcome === 'ok' ? 'ok' : String(r.error_code))).sort())
        .toEqual(made.map((m) => key(m.tool, m.code)).sort());
      for (const r of rows) {
        expect(r.outcome === 'ok').toBe(r.error_code === null);
        expect(r.duration_ms).toBeGreaterThanOrEqual(0);
        expect(Number.isNaN(Date.parse(r.at))).toBe(false);
      }
      // The customer is recorded whenever a call acted on one.
      const okRows = rows.filter((r) => r.outcome === 'ok');
      for (const tool of ['get_billing', 'list_orders', 'get_order', 'update_contact', 'create_ticket']) {
        expect(okRows.filter((r) => r.tool === tool).map((r) => r.customer_id), tool).toEqual([JOHN]);
      }
      for (const tool of ['cancel_order', 'get_ticket']) {
        expect(okRows.filter((r) => r.tool === tool).map((r) => r.customer_id), tool).toEqual([JANE]);
      }
      expect(rows.find((r) => r.tool === 'get_subscription')).toMatchObject({ error_code: 'AUTH_REQUIRED' });
      expect((await repo.listAudit({ customerId: JANE, limit: 1000 })).filter((r) => r.conversation_id === conversation).length)
        .toBeGreaterThanOrEqual(4);

      // No raw e-mail, phone, code or KBA answer in any row.
      const forbidden = [
        'john.doe@example.com', 'j.doe.new@example.org', 'nobody.here@example.net', 'jane.smith@acme.com',
        '+1 (646) 555-0117', '(646) 555-0117', '646-555-0117', '6465550117', '555-0117', '5550117',
        '+1 (646) 555-0199', '646-555-0199', '6465550199', '555-0199', '5550199',
        code, bad, '493817',
        '1979-10-02', '1984-11-05', '1984-11-06', '10013', '95113', '95114',
      ];
      for (const r of rows) {
        // Random ids (verification ids) could contain any digit run by chance: not data.
        const json = JSON.stringify(r).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');
        for (const f of forbidden) expect(json, `audit row ${r.tool} contains ${f}`).not.toContain(f);
        if (r.tool === 'verify_identity') {
          // The last four digits are KBA answers here (elsewhere they may appear in a masked phone).
          for (const f of ['0176', '0177']) expect(json, `verify_identity row contains ${f}`).not.toContain(f);
        }
      }
      // Nor in the rows of the whole table (another conversation's rows are not a hiding place).
      const everything = JSON.stringify(await repo.listAudit({ limit: 10_000 }))
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');
      for (const f of [code, bad, '1979-10-02', '1984-11-05', 'john.doe@example.com', '6465550117']) expect(everything).not.toContain(f);
    });

    it('calls refused by the rate limiter are audited once each', async () => {
      repo = await backend().fresh();
      const conversation = 'sec-audit-limited';
      const s = await openSession(repo, {
        conversationId: conversation,
        policy: securePolicy({ rateLimits: { perConversationPerMinute: 2, perCustomerPerHour: 1000, globalPerHour: 1000, verificationPerCustomerPerHour: 1000 } }),
      });
      sessions.push(s);
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) codes.push(codeOf(await s.call('find_customer', { email: 'jane.smith@acme.com' })));
      expect(codes).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
      const rows = await settledAudit(repo, conversation, 4);
      expect(rows.map((r) => r.error_code ?? 'ok').sort()).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'ok', 'ok']);
      expect(JSON.stringify(rows)).not.toContain('jane.smith@acme.com');
    });
  });
}
