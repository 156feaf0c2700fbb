// SQL injection, NUL bytes, type confusion and oversized values in every string argument of
// every support tool: each is answered with a clean, expected error (or handled as plain
// data), never with SQL text, a stack or a driver message, and the server keeps serving.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { codeOf, okOf, openSession, securePolicy, textOf, verifyByOtp, withoutEcho, type BackendRef, type Session } from './kit.js';

const CUSTOMER = '3924156'; // Liam Nguyen: no other suite touches him

const PAYLOADS: [label: string, value: string][] = [
  ['quote-or', "' OR '1'='1"],
  ['quote-or-comment', "x' OR 1=1 --"],
  ['stacked drop', "'; DROP TABLE customers; --"],
  ['stacked delete', "Robert'); DELETE FROM tickets WHERE ('1'='1"],
  ['union', "' UNION SELECT email, phone, date_of_birth FROM customers --"],
  ['sleep', "'; SELECT pg_sleep(20); --"],
  ['like wildcard', '%'],
  ['like wildcard 2', "_%' OR email LIKE '%"],
  ['placeholder', '$1'],
  ['dollar quote', '$$; drop table orders; $$'],
  ['backslash', "\\'; truncate audit_log; --"],
  ['nul byte', 'a\u0000b'],
  ['only nul', '\u0000'],
  ['json operator', '{"$ne": null}'],
  ['path', '../../../../etc/passwd'],
  ['control chars', '\r\n\t\u001b[31m'],
  ['unicode', 'Ｄｒｏｐ 表 🙂 \u202e'],
  ['long 10k', "' OR 1=1 -- ".padEnd(10_000, 'x')],
  // Bigger values are covered out of process (oversized.e2e.test.ts): a value that blocks the
  // event loop would hang this whole file instead of failing one test.
];

/** Valid base arguments per tool; each string argument is replaced by each payload in turn. */
const TOOLS: [tool: string, base: Record<string, unknown>, stringArgs: string[]][] = [
  ['find_customer', {}, ['email', 'phone', 'customer_id', 'username', 'account_number']],
  ['get_order', { order_id: '35791' }, ['order_id']],
  ['list_orders', { customer_id: CUSTOMER }, ['customer_id', 'status', 'cursor']],
  ['cancel_order', { order_id: '35791' }, ['order_id']],
  ['get_subscription', { customer_id: CUSTOMER }, ['customer_id']],
  ['get_billing', { customer_id: CUSTOMER }, ['customer_id']],
  ['update_contact', { customer_id: CUSTOMER, email: 'liam.new@example.org' }, ['customer_id', 'email', 'phone']],
  ['create_ticket', { customer_id: CUSTOMER, category: 'technical', description: 'Tracker will not pair' }, ['customer_id', 'category', 'priority', 'description', 'idempotency_key']],
  ['get_ticket', { ticket_id: 'TICK-1001' }, ['ticket_id']],
  ['verify_identity', { customer_id: CUSTOMER, method: 'kba', date_of_birth: '1995-12-01', postcode: '77002', phone_last4: '4567' },
    // conversation_id is an argument only on stateless HTTP; here it is an unknown key, stripped.
    ['customer_id', 'method', 'channel', 'verification_id', 'code', 'date_of_birth', 'postcode', 'phone_last4']],
];

// Signs of an internal leaking out: SQL, driver and stack text.
const INTERNALS = /syntax error|sqlstate|relation "|column "|violates|invalid byte sequence|pg_|kysely|node_modules|node:internal|\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+|\bstack\b|select .+ from|insert into|delete from|drop table|truncate/i;
// Expected outcomes; INTERNAL_ERROR and DATABASE_ERROR are not a clean rejection.
const CLEAN = ['ok', 'VALIDATION_FAILED', 'NOT_FOUND', 'AUTH_REQUIRED', 'INVALID_STATE', 'CONFLICT'];

export function describeInjection(backend: BackendRef): void {
  describe('hostile and oversized arguments', () => {
    let repo: SupportRepository;
    const sessions: Session[] = [];
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
    });

    const check = (r: CallToolResult, what: string, args: Record<string, unknown>): void => {
      const code = codeOf(r);
      expect(CLEAN, `${what} → ${textOf(r).slice(0, 300)}`).toContain(code);
      const text = withoutEcho(JSON.stringify(r), args);
      expect(text, what).not.toMatch(INTERNALS);
      expect(text.length, `${what}: answer size`).toBeLessThan(20_000);
    };

    const sweep = async (s: Session): Promise<number> => {
      let calls = 0;
      for (const [tool, base, stringArgs] of TOOLS) {
        for (const arg of stringArgs) {
          for (const [label, value] of PAYLOADS) {
            const args = { ...base, [arg]: value };
            const r = await s.call(tool, args);
            calls++;
            check(r, `${tool}.${arg} = ${label}`, args);
            // Oversized values are rejected, not looked up or stored.
            if (value.length > 5_000) expect(codeOf(r), `${tool}.${arg} = ${label}`).toBe('VALIDATION_FAILED');
          }
        }
        // The server still serves after each tool's batch.
        expect(okOf(await s.call('find_customer', { customer_id: CUSTOMER })).customer.id).toBe(CUSTOMER);
      }
      return calls;
    };

    const intact = async (): Promise<void> => {
      for (const id of ['1213210', 'CUST-12344', 'CUST-20003', CUSTOMER]) expect(await repo.findCustomer({ by: 'id', value: id })).not.toBeNull();
      expect((await repo.listOrders('1213210', { limit: 100 })).orders.length).toBeGreaterThan(0);
      expect(await repo.getTicket('TICK-1001')).not.toBeNull();
      const liam = (await repo.findCustomer({ by: 'id', value: CUSTOMER }))!;
      expect(liam.phone).toBe('555-123-4567'); // no payload became a phone
      expect(liam.email).toMatch(/^(lnguyen@yahoo\.com|liam\.new@example\.org)$/);
    };

    it('under access verified, with the customer verified (payloads reach the queries)', async () => {
      repo = await backend().fresh();
      const s = await openSession(repo, { conversationId: 'sec-inject-verified', policy: securePolicy() });
      sessions.push(s);
      await verifyByOtp(s, repo, CUSTOMER);
      expect(await sweep(s)).toBeGreaterThan(500);
      await intact();
    });

    it('under access open (every tool reaches the repository)', async () => {
      repo = await backend().fresh();
      const s = await openSession(repo, { conversationId: 'sec-inject-open', policy: securePolicy({ access: 'open' }) });
      sessions.push(s);
      await sweep(s);
      await intact();
    });

    it('type confusion and oversized argument objects are rejected; the server keeps serving', async () => {
      repo = await backend().fresh();
      const s = await openSession(repo, { conversationId: 'sec-inject-types', policy: securePolicy() });
      sessions.push(s);
      for (const bad of [12345, true, ['CUST-12344'], { $ne: null }, { toString: 'x' }, 1e308]) {
        for (const [tool, arg] of [['find_customer', 'email'], ['get_billing', 'customer_id'], ['get_order', 'order_id'], ['verify_identity', 'code']] as const) {
          const args = tool === 'verify_identity' ? { customer_id: CUSTOMER, method: 'otp', verification_id: 'v', [arg]: bad } : { [arg]: bad };
          const r = await s.call(tool, args);
          expect(codeOf(r), `${tool}.${arg} = ${JSON.stringify(bad)}`).toBe('VALIDATION_FAILED');
          expect(JSON.stringify(r)).not.toMatch(INTERNALS);
        }
      }
      // Thousands of members / elements: a protocol error or a tool error, never a crash.
      const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'v']));
      const many = { customer_id: CUSTOMER, category: 'other', description: 'x', tags: Array.from({ length: 50_000 }, () => 'x') };
      for (const [tool, args] of [['find_customer', { ...wide, email: 'x@y.co' }], ['create_ticket', many]] as const) {
        const outcome = await s.call(tool, args as Record<string, unknown>).then(
          // The SDK's own argument-size guard answers with a plain-text isError result.
          (r) => (!r.isError ? 'ok' : textOf(r).startsWith('{') ? codeOf(r) : `protocol:${textOf(r)}`),
          (err: unknown) => `protocol:${(err as Error).message}`,
        );
        expect(outcome, tool).not.toMatch(/INTERNAL_ERROR|DATABASE_ERROR/);
        expect(outcome).not.toMatch(INTERNALS);
      }
      expect(okOf(await s.call('find_customer', { customer_id: CUSTOMER })).customer.id).toBe(CUSTOMER);
      await intact();
    });
  });
}
