// The `billing` profile through a real MCP client, on a backend seeded with the shipped fixtures
// (billing.fixtures.test.ts, billing.postgres.test.ts). Golden tests: tools/list equals the
// workshop's tool definitions (solution/agents/billing.py; realtime-billing.md), and each tool's
// sample call returns the workshop's sample result for TEL-1001 (fixtures/README.md).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import { billingProfile } from '../../src/tools/billing/index.js';
import { connect, dataOf, textOf, type Connected } from '../server/harness.js';

export interface Backend {
  /** A repository holding exactly the shipped fixtures (state reset). */
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The solution file's three tools: name, description and parameters, verbatim (no `required`). */
export const BILLING_CONTRACT_TOOLS = [
  {
    name: 'fetch_billing_details',
    description: "Retrieve the customer's current billing details (balance, due date, latest charges).",
    inputSchema: {
      type: 'object',
      properties: {
        customerCode: { type: 'string', description: 'Unique identifier for the customer to fetch billing info.' },
      },
    },
  },
  {
    name: 'fetch_payment_history',
    description: "Retrieve the customer's recent payment history.",
    inputSchema: {
      type: 'object',
      properties: {
        customerCode: { type: 'string', description: 'Unique identifier for the customer to fetch their payment history.' },
      },
    },
  },
  {
    name: 'update_payment_method',
    description: "Updates the customer's stored payment method (e.g., new credit card).",
    inputSchema: {
      type: 'object',
      properties: {
        customerCode: { type: 'string', description: 'Unique identifier for the customer to update payment method.' },
        paymentMethod: { type: 'string', description: "New payment method details (e.g., 'Visa ending in 1234')." },
      },
    },
  },
];

/** The workshop's challenge list, built here in the workshop's style (camelCase, nothing required). */
export const BILLING_CHALLENGE_TOOLS = ['setup_autopay', 'generate_billing_statement'];

/** A success: one text item, no structuredContent, no isError. */
function textResult(r: CallToolResult): string {
  expect(r.isError ?? false, `unexpected error: ${JSON.stringify(r.content)}`).toBe(false);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  return textOf(r);
}

/** A JSON success: the text is the compact JSON of the value. */
function jsonResult(r: CallToolResult): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const text = textResult(r);
  const value = JSON.parse(text);
  expect(text).toBe(JSON.stringify(value));
  return value;
}

/** An error: isError with one plain-text item (not JSON). */
function errorText(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const text = textOf(r);
  expect(() => JSON.parse(text)).toThrow();
  return text;
}

export function describeBillingProfile(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`billing profile over MCP [${name}]`, () => {
    let backend: Backend;
    let mcp: Connected;
    let repo: SupportRepository;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      // with the support profile alongside, get_billing can show what was stored
      repo = await backend.fresh();
      mcp = await connect(repo, { profiles: [billingProfile, 'support'] });
    });
    afterEach(async () => {
      await mcp.close();
    });

    const storedMethod = async (customerId: string): Promise<string> =>
      dataOf<Obj>(await mcp.call('get_billing', { customer_id: customerId })).payment_method;

    it('tools/list equals the workshop\'s tool definitions, with no required and no output schema', async () => {
      const only = await connect(await backend.fresh(), { profiles: [billingProfile] });
      try {
        const { tools } = await only.client.listTools();
        // the workshop's three tools verbatim, then the challenge tools (autopay, statements)
        expect(tools.slice(0, 3).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })))
          .toEqual(BILLING_CONTRACT_TOOLS);
        expect(tools.slice(3).map((t) => t.name)).toEqual(BILLING_CHALLENGE_TOOLS);
        for (const t of tools) {
          expect('required' in t.inputSchema, t.name).toBe(false);
          expect(t.outputSchema, t.name).toBeUndefined();
        }
      } finally {
        await only.close();
      }
    });

    describe('the workshop\'s sample results (TEL-1001)', () => {
      it('fetch_billing_details', async () => {
        const value = jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1001' }));
        expect(value).toStrictEqual({
          balance: 45.75,
          due_date: '2025-02-01',
          latest_charges: 'Monthly service fee of €30, plus a €15 phone accessory charge, plus taxes and fees.',
          currency: 'EUR',
          autopay: false,
        });
        // the workshop's fields first and unchanged; currency and autopay are added after them
        expect(Object.keys(value)).toEqual(['balance', 'due_date', 'latest_charges', 'currency', 'autopay']);
      });

      it('fetch_payment_history is a bare array, newest first', async () => {
        expect(jsonResult(await mcp.call('fetch_payment_history', { customerCode: 'TEL-1001' }))).toStrictEqual([
          { date: '2024-12-20', amount: 50, method: 'Credit Card', currency: 'EUR' },
          { date: '2024-11-20', amount: 30, method: 'Credit Card', currency: 'EUR' },
        ]);
      });

      it('update_payment_method answers with the workshop\'s sentence and stores the method', async () => {
        const text = textResult(await mcp.call('update_payment_method', { customerCode: 'TEL-1001', paymentMethod: 'Visa ending in 1234' }));
        expect(text).toBe('Payment method updated to Visa ending in 1234 for customer TEL-1001');
        expect(await storedMethod('TEL-1001')).toBe('Visa ending in 1234');
      });
    });

    describe('other customers', () => {
      it('a zero balance with nothing due has due_date null; a past-due account shows its balance', async () => {
        expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1003' })))
          .toMatchObject({ balance: 0, due_date: null });
        expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1004' })))
          .toMatchObject({ balance: 90, due_date: '2025-01-15' });
      });
      it('any customer id with a billing account is a code', async () => {
        const history = jsonResult(await mcp.call('fetch_payment_history', { customerCode: 'CUST-12345' }));
        expect(history).toHaveLength(3);
        expect(history[0]).toStrictEqual({ date: '2024-10-20', amount: 49.99, method: 'Visa ending in 4242', currency: 'USD' });
      });
      it('money is exact in every currency: JPY (0 decimals), GBP/USD (2), KWD (3), byte for byte', async () => {
        const details = async (customerCode: string) => textResult(await mcp.call('fetch_billing_details', { customerCode }));
        expect(await details('TEL-1006')).toMatch(/^\{"balance":5480,"due_date":"\d{4}-\d{2}-27",.*"currency":"JPY","autopay":false\}$/);
        expect(await details('TEL-1007')).toMatch(/^\{"balance":12.345,.*"currency":"KWD","autopay":true,"autopay_day":25\}$/);
        expect(await details('TEL-1005')).toMatch(/^\{"balance":25.5,.*"currency":"GBP","autopay":false\}$/);
        expect(await details('2837622')).toMatch(/^\{"balance":159.98,.*"currency":"USD","autopay":true\}$/);
        expect(jsonResult(await mcp.call('fetch_payment_history', { customerCode: 'TEL-1006' })))
          .toEqual([expect.objectContaining({ amount: 4980, currency: 'JPY' })]);
        expect(jsonResult(await mcp.call('fetch_payment_history', { customerCode: 'TEL-1007' })))
          .toEqual([expect.objectContaining({ amount: 9.75, currency: 'KWD' })]);
      });
      it('codes may be given as spoken: "tel 1001", "TEL1001", " tel-1001 "', async () => {
        for (const customerCode of ['tel 1001', 'TEL1001', ' tel-1001 ', 'tel one zero zero one', 'Tel One Oh Oh One']) {
          expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode })).balance).toBe(45.75);
        }
        expect(textResult(await mcp.call('update_payment_method', { customerCode: 'tel 1002', paymentMethod: 'Mastercard ending in 9999' })))
          .toBe('Payment method updated to Mastercard ending in 9999 for customer TEL-1002');
      });
    });

    describe('setup_autopay (challenge: automatic payments)', () => {
      it('needs a payment method on file: INVALID_STATE with update_payment_method as the next step, nothing written', async () => {
        const text = errorText(await mcp.call('setup_autopay', { customerCode: 'TEL-1005', enabled: true }));
        expect(text).toMatch(/^Customer TEL-1005 has no payment method on file.* call update_payment_method first/);
        expect(text).toMatch(/update_payment_method first/);
        expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1005' }))).toMatchObject({ autopay: false });
        // after adding a method it works
        textResult(await mcp.call('update_payment_method', { customerCode: 'TEL-1005', paymentMethod: 'Visa 4111 1111 1111 1111' }));
        expect(textResult(await mcp.call('setup_autopay', { customerCode: 'tel 1005', enabled: true })))
          .toBe('Automatic payments enabled for customer TEL-1005: the balance is charged to Visa ending in 1111 on the due date');
      });
      it('switches on with a day, is idempotent, is audited, and shows in fetch_billing_details and get_billing', async () => {
        expect(textResult(await mcp.call('setup_autopay', { customerCode: 'TEL-1001', enabled: true, paymentDay: 15 })))
          .toBe('Automatic payments enabled for customer TEL-1001: the balance is charged to Visa ending in 4242 on day 15 of each month');
        expect(textResult(await mcp.call('setup_autopay', { customerCode: 'TEL-1001', enabled: true, paymentDay: 15 })))
          .toMatch(/\(no change: it was already set up this way\)$/);
        expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1001' }))).toMatchObject({ autopay: true, autopay_day: 15 });
        expect(dataOf<Obj>(await mcp.call('get_billing', { customer_id: 'TEL-1001' }))).toMatchObject({ autopay: true, autopay_day: 15 });
        const audit = (await repo.listAudit({ customerId: 'TEL-1001' })).filter((e) => e.tool === 'setup_autopay');
        expect(audit.length).toBeGreaterThanOrEqual(2);
        expect(textResult(await mcp.call('setup_autopay', { customerCode: 'TEL-1001', enabled: false })))
          .toBe('Automatic payments disabled for customer TEL-1001');
        const after = jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1001' }));
        expect(after).toMatchObject({ autopay: false });
        expect(after).not.toHaveProperty('autopay_day');
      });
      it('refuses a day outside 1-28, a day with enabled false, and a missing enabled', async () => {
        for (const args of [{ enabled: true, paymentDay: 31 }, { enabled: true, paymentDay: 0 }, { enabled: false, paymentDay: 3 }, {}]) {
          expect(errorText(await mcp.call('setup_autopay', { customerCode: 'TEL-1001', ...args })), JSON.stringify(args))
            .toMatch(/Ask the customer for their customer code/);
        }
        expect(jsonResult(await mcp.call('fetch_billing_details', { customerCode: 'TEL-1001' }))).toMatchObject({ autopay: false });
      });
      it('set_autopay (support profile) answers the same rules in its own shape', async () => {
        const refused = JSON.parse(textOf(await mcp.call('set_autopay', { customer_id: 'TEL-1005', enabled: true }))) as Obj;
        expect(refused.error).toMatchObject({ code: 'INVALID_STATE' });
        expect(refused.error.next_step).toMatch(/update_payment_method/);
        const on = dataOf<Obj>(await mcp.call('set_autopay', { customer_id: 'TEL-1002', enabled: true, payment_day: 3 }));
        expect(on).toMatchObject({ changed: true, billing_account: { autopay: true, autopay_day: 3, currency: 'EUR' } });
        expect(dataOf<Obj>(await mcp.call('set_autopay', { customer_id: 'TEL-1002', enabled: true, payment_day: 3 }))).toMatchObject({ changed: false });
      });
    });

    describe('payment methods are stored masked', () => {
      it('a full card number becomes "ending in" its last four digits, in the answer and in storage', async () => {
        const text = textResult(await mcp.call('update_payment_method', { customerCode: 'TEL-1001', paymentMethod: 'Visa 4111 1111 1111 1111' }));
        expect(text).toBe('Payment method updated to Visa ending in 1111 for customer TEL-1001');
        expect(await storedMethod('TEL-1001')).toBe('Visa ending in 1111');
      });
      it('security codes and expiry dates are dropped; a bare number gets a noun', async () => {
        expect(textResult(await mcp.call('update_payment_method', {
          customerCode: 'TEL-1002', paymentMethod: 'Mastercard 5555-5555-5555-4444, exp 12/27, CVV 123',
        }))).toBe('Payment method updated to Mastercard ending in 4444 for customer TEL-1002');
        expect(await storedMethod('TEL-1002')).toBe('Mastercard ending in 4444');
        expect(textResult(await mcp.call('update_payment_method', { customerCode: 'TEL-1003', paymentMethod: '4000056655665556 cvc: 999' })))
          .toBe('Payment method updated to Card ending in 5556 for customer TEL-1003');
      });
    });

    describe('errors are isError with a plain message and a next step', () => {
      it('a missing, empty or null code', async () => {
        for (const args of [{}, { customerCode: '' }, { customerCode: null }, { customerCode: '   ' }]) {
          expect(errorText(await mcp.call('fetch_billing_details', args))).toBe(
            'A customerCode is required. Ask the customer for their customer code (for example TEL-1001) and call the tool again.',
          );
        }
      });
      it('a malformed code is refused before any lookup', async () => {
        for (const customerCode of ['TEL 10 01!', "' OR 1=1 --", 'x'.repeat(65), '-TEL-1001', 'TEL–1001']) {
          const text = errorText(await mcp.call('fetch_payment_history', { customerCode }));
          expect(text, customerCode).toMatch(/is not a valid customer code: codes are letters, digits and hyphens, e\.g\. TEL-1001\./);
          expect(text.length).toBeLessThan(300);
        }
        expect(errorText(await mcp.call('fetch_billing_details', { customerCode: 1001 })))
          .toMatch(/^Invalid arguments for fetch_billing_details: customerCode: /);
      });
      it('an unknown code is a clear not-found answer', async () => {
        for (const tool of ['fetch_billing_details', 'fetch_payment_history']) {
          expect(errorText(await mcp.call(tool, { customerCode: 'TEL-9999' }))).toBe(
            'No customer with code TEL-9999. Ask the customer to confirm their customer code (for example TEL-1001); do not guess another one.',
          );
        }
        expect(errorText(await mcp.call('update_payment_method', { customerCode: 'TEL-9999', paymentMethod: 'Visa ending in 1234' })))
          .toMatch(/^No customer with code TEL-9999\./);
      });
      it('a customer without a billing account', async () => {
        expect(errorText(await mcp.call('fetch_billing_details', { customerCode: 'CUST-001' }))).toMatch(/^Customer CUST-001 has no billing account\./);
        expect(errorText(await mcp.call('fetch_payment_history', { customerCode: 'CUST-001' }))).toMatch(/^Customer CUST-001 has no billing account\./);
        expect(errorText(await mcp.call('update_payment_method', { customerCode: 'CUST-001', paymentMethod: 'Visa ending in 1234' })))
          .toMatch(/^Customer CUST-001 has no billing account\./);
      });
      it('update_payment_method without a payment method changes nothing', async () => {
        for (const paymentMethod of [undefined, '', '  ', 'CVV 123']) {
          expect(errorText(await mcp.call('update_payment_method', { customerCode: 'TEL-1001', paymentMethod })))
            .toMatch(/^A paymentMethod is required\. Ask the customer/);
        }
        expect(await storedMethod('TEL-1001')).toBe('Visa ending in 4242');
      });
    });
  });
}
