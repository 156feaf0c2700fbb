// The `arena` profile through a real MCP client, on a backend seeded with the shipped fixtures
// (arena.fixtures.test.ts, arena.postgres.test.ts). Golden tests: tools/list equals the
// PromptArena tool YAMLs (promptarena.md §3.3), and every scripted call of the example's mock
// provider (§3.4) returns the example's result shape with the data of §3.6 / fixtures/README.md.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SupportRepository } from '../../src/repository/types.js';
import { arenaProfile } from '../../src/tools/arena/index.js';
import { connect, dataOf, textOf, type Connected } from '../server/harness.js';

export interface Backend {
  /** A repository holding exactly the shipped fixtures (state reset). */
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The four tool YAMLs' name, description and input_schema, verbatim (promptarena.md §3.3). */
export const ARENA_CONTRACT_TOOLS = [
  {
    name: 'get_customer_info',
    description: 'Retrieve customer account details by email address',
    inputSchema: {
      type: 'object',
      properties: { email: { type: 'string', description: 'Customer email address' } },
      required: ['email'],
    },
  },
  {
    name: 'get_order_history',
    description: 'Get recent orders for a customer',
    inputSchema: {
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address' },
        limit: { type: 'integer', description: 'Number of recent orders to retrieve', default: 5 },
      },
      required: ['email'],
    },
  },
  {
    name: 'check_subscription_status',
    description: 'Check subscription details and billing information',
    inputSchema: {
      type: 'object',
      properties: { email: { type: 'string', description: 'Customer email address' } },
      required: ['email'],
    },
  },
  {
    name: 'create_support_ticket',
    description: 'Create a support ticket for issues requiring escalation',
    inputSchema: {
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address' },
        issue_type: {
          type: 'string',
          description: 'Type of issue',
          enum: ['billing', 'shipping', 'technical', 'account', 'other'],
        },
        priority: {
          type: 'string',
          description: 'Priority level',
          enum: ['low', 'medium', 'high', 'urgent'],
          default: 'medium',
        },
        description: { type: 'string', description: 'Detailed description of the issue' },
      },
      required: ['email', 'issue_type', 'description'],
    },
  },
];

// The YAMLs' output_schema, as strict shapes (no other fields allowed).
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CustomerShape = z.strictObject({
  customer_id: z.string(), name: z.string(), email: z.string(), account_created: z.string().regex(DATE),
  tier: z.enum(['basic', 'premium', 'enterprise']),
});
const OrdersShape = z.strictObject({
  orders: z.array(z.strictObject({
    order_id: z.string(), date: z.string().regex(DATE), status: z.enum(['pending', 'shipped', 'delivered', 'cancelled']),
    total: z.number(), items: z.array(z.string()),
  })),
});
const SubscriptionShape = z.strictObject({
  subscription_id: z.string(), plan: z.string(), status: z.enum(['active', 'cancelled', 'past_due', 'trial']),
  next_billing_date: z.string().regex(DATE).optional(), amount: z.number(), last_payment_date: z.string().regex(DATE).optional(),
});
const TicketShape = z.strictObject({
  ticket_id: z.string(), status: z.enum(['open', 'assigned', 'resolved', 'closed']),
  created_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
});
const NotFoundShape = z.strictObject({ found: z.literal(false), message: z.string() });

/** A PromptArena success: one text item of pretty-printed JSON, no structuredContent, no isError. */
function resultOf(r: CallToolResult, shape?: z.ZodType): Obj {
  expect(r.isError ?? false, `unexpected error: ${JSON.stringify(r.content)}`).toBe(false);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const text = textOf(r);
  const value = JSON.parse(text) as Obj;
  expect(text).toBe(JSON.stringify(value, null, 2));
  if (shape) shape.parse(value);
  return value;
}

/** A real failure: isError with one short plain-text sentence (not JSON). */
function failureOf(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const text = textOf(r);
  expect(() => JSON.parse(text)).toThrow();
  expect(text.length).toBeLessThan(300);
  return text;
}

export function describeArenaProfile(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`arena profile over MCP [${name}]`, () => {
    let backend: Backend;
    let mcp: Connected;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      // with the support profile alongside, get_ticket can show what was stored
      mcp = await connect(await backend.fresh(), { profiles: [arenaProfile, 'support'] });
    });
    afterEach(async () => {
      await mcp.close();
    });

    const storedTicket = async (ticketId: string): Promise<Obj> =>
      dataOf<Obj>(await mcp.call('get_ticket', { ticket_id: ticketId })).ticket;

    describe('tools/list', () => {
      it('equals the tool YAMLs: name, description and input schema, and no output schema', async () => {
        const only = await connect(await backend.fresh(), { profiles: [arenaProfile] });
        try {
          const { tools } = await only.client.listTools();
          expect(tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })))
            .toEqual(ARENA_CONTRACT_TOOLS);
          for (const t of tools) {
            expect(t.outputSchema, t.name).toBeUndefined();
            // nothing beyond the portable core (Gemini rejects $schema/additionalProperties)
            expect(JSON.stringify(t.inputSchema)).not.toMatch(/\$schema|additionalProperties|\$ref|minimum|maximum/);
          }
          expect(tools.find((t) => t.name === 'create_support_ticket')?.annotations)
            .toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
        } finally {
          await only.close();
        }
      });
    });

    // ---------------------------------------------------------------- the mock-provider script (§3.4)
    describe('scripted calls of providers/mock-tool-scenarios.yaml', () => {
      it('tool-test: jane.smith@acme.com subscription and last 5 orders', async () => {
        const sub = resultOf(await mcp.call('check_subscription_status', { email: 'jane.smith@acme.com' }), SubscriptionShape);
        // §3.6 tool_responses, verbatim
        expect(sub).toEqual({
          subscription_id: 'SUB-7890', plan: 'Pro', status: 'active', next_billing_date: '2024-11-15', amount: 49.99,
          last_payment_date: '2024-10-15',
        });
        const { orders } = resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com', limit: 5 }), OrdersShape);
        // newest first; §3.6's ORD-2024-1100 verbatim, its ORD-2024-1234 is ORD-2024-1235 here (README)
        expect(orders).toEqual([
          { order_id: 'ORD-2024-9999', date: '2025-11-24', status: 'pending', total: 129.99, items: ['Smart Home Hub'] },
          { order_id: 'ORD-2024-1235', date: '2024-10-15', status: 'delivered', total: 99.99, items: ['Wireless Headphones', 'Phone Case'] },
          { order_id: 'ORD-2024-1100', date: '2024-09-20', status: 'delivered', total: 149.99, items: ['Bluetooth Speaker'] },
        ]);
      });

      it('billing-question: customer@email.com info, subscription, then a billing ticket', async () => {
        expect(resultOf(await mcp.call('get_customer_info', { email: 'customer@email.com' }), CustomerShape)).toEqual({
          customer_id: 'CUST-12345', name: 'John Doe', email: 'customer@email.com', account_created: '2023-01-15', tier: 'premium',
        });
        expect(resultOf(await mcp.call('check_subscription_status', { email: 'customer@email.com' }), SubscriptionShape)).toEqual({
          subscription_id: 'SUB-5432', plan: 'Pro', status: 'active', next_billing_date: '2024-11-20', amount: 49.99,
          last_payment_date: '2024-10-20',
        });
        const before = Date.now();
        const ticket = resultOf(await mcp.call('create_support_ticket', {
          email: 'customer@email.com', issue_type: 'billing', priority: 'high',
          description: 'Customer reported duplicate billing charge - needs investigation and potential refund',
        }), TicketShape);
        expect(ticket.ticket_id).toMatch(/^TICKET-[0-9A-Z]{10}$/);
        expect(ticket.status).toBe('open');
        expect(Date.parse(ticket.created_at)).toBeGreaterThanOrEqual(before - 2_000);
        expect(await storedTicket(ticket.ticket_id)).toMatchObject({
          customer_id: 'CUST-12345', category: 'billing', priority: 'high', status: 'open',
          description: 'Customer reported duplicate billing charge - needs investigation and potential refund',
          conversation_id: 'test-conversation',
        });
      });

      it('order-inquiry: user@example.com info, last 3 orders, then a shipping ticket', async () => {
        // §3.6 says tier "standard", which the contract's enum lacks: reported as basic
        expect(resultOf(await mcp.call('get_customer_info', { email: 'user@example.com' }), CustomerShape)).toEqual({
          customer_id: 'CUST-67890', name: 'Jane Smith', email: 'user@example.com', account_created: '2023-03-10', tier: 'basic',
        });
        // §3.6 tool_responses, verbatim
        expect(resultOf(await mcp.call('get_order_history', { email: 'user@example.com', limit: 3 }), OrdersShape)).toEqual({
          orders: [{ order_id: 'ORD-2024-1234', date: '2024-10-15', status: 'delivered', total: 99.99, items: ['Product A', 'Product B'] }],
        });
        const ticket = resultOf(await mcp.call('create_support_ticket', {
          email: 'user@example.com', issue_type: 'shipping', priority: 'medium',
          description: 'Customer reports order ORD-2024-1234 not received despite delivery confirmation',
        }), TicketShape);
        expect(ticket.status).toBe('open');
        expect(await storedTicket(ticket.ticket_id)).toMatchObject({ customer_id: 'CUST-67890', category: 'shipping', priority: 'medium' });
      });

      it('account-info: customer@example.com info and subscription', async () => {
        expect(resultOf(await mcp.call('get_customer_info', { email: 'customer@example.com' }), CustomerShape)).toEqual({
          customer_id: 'CUST-11111', name: 'John Doe', email: 'customer@example.com', account_created: '2023-01-15', tier: 'premium',
        });
        expect(resultOf(await mcp.call('check_subscription_status', { email: 'customer@example.com' }), SubscriptionShape)).toEqual({
          subscription_id: 'SUB-1111', plan: 'Pro', status: 'active', next_billing_date: '2024-11-15', amount: 49.99,
          last_payment_date: '2024-10-15',
        });
      });
    });

    // ---------------------------------------------------------------- the other example data (§3.3, §3.5, §3.9)
    describe('the example\'s other e-mails', () => {
      it('john.doe@example.com is the static mock_result customer (id CUST-12344, see fixtures/README.md)', async () => {
        expect(resultOf(await mcp.call('get_customer_info', { email: 'john.doe@example.com' }), CustomerShape)).toEqual({
          customer_id: 'CUST-12344', name: 'John Doe', email: 'john.doe@example.com', account_created: '2023-01-15', tier: 'premium',
        });
        // the static get_order_history mock's second order, verbatim
        expect(resultOf(await mcp.call('get_order_history', { email: 'john.doe@example.com' }), OrdersShape)).toEqual({
          orders: [{ order_id: 'ORD-2024-0987', date: '2024-09-20', status: 'delivered', total: 149.5, items: ['Product C'] }],
        });
      });

      it('the scenario customers of §3.7 have the legacy table\'s plans and renewal dates', async () => {
        const cases: [string, string, string, string][] = [
          ['sarah.jones@email.com', 'Sarah Jones', 'Premium', '2025-12-01'],
          ['john.smith@email.com', 'John Smith', 'Standard', '2025-11-15'],
          ['mary.wilson@email.com', 'Mary Wilson', 'Basic', '2025-11-20'],
        ];
        for (const [email, name, plan, renews] of cases) {
          expect(resultOf(await mcp.call('get_customer_info', { email }), CustomerShape).name).toBe(name);
          const sub = resultOf(await mcp.call('check_subscription_status', { email }), SubscriptionShape);
          expect(sub).toMatchObject({ plan, status: 'active', next_billing_date: renews });
        }
      });

      it('john.smith@email.com has the shipped and the delivered order of the legacy table', async () => {
        const { orders } = resultOf(await mcp.call('get_order_history', { email: 'john.smith@email.com' }), OrdersShape);
        expect(orders.map((o: Obj) => [o.order_id, o.status])).toEqual([['ORD-2024-4321', 'shipped'], ['ORD-2024-5678', 'delivered']]);
        // quantities above one are kept in the item name
        expect(orders[1].items).toEqual(['USB-C Charging Cable (x2)', 'Laptop Stand']);
      });

      it('e-mails match case-insensitively and with surrounding spaces', async () => {
        expect(resultOf(await mcp.call('get_customer_info', { email: '  Customer@EMAIL.com ' })).customer_id).toBe('CUST-12345');
      });
    });

    // ---------------------------------------------------------------- not found is an answer
    describe('not found is a normal result, never isError', () => {
      it('an unknown e-mail, for every tool', async () => {
        const email = 'nobody@example.com';
        const calls: [string, Obj][] = [
          ['get_customer_info', { email }],
          ['get_order_history', { email, limit: 5 }],
          ['check_subscription_status', { email }],
          ['create_support_ticket', { email, issue_type: 'other', description: 'Hello' }],
        ];
        for (const [tool, args] of calls) {
          expect(resultOf(await mcp.call(tool, args), NotFoundShape), tool).toEqual({
            found: false, message: 'No customer with e-mail nobody@example.com.',
          });
        }
      });

      it('a customer without a subscription', async () => {
        expect(resultOf(await mcp.call('check_subscription_status', { email: 'john.doe@example.com' }), NotFoundShape)).toEqual({
          found: false, message: 'Customer CUST-12344 has no subscription.',
        });
      });

      it('a customer without orders gets an empty list', async () => {
        expect(resultOf(await mcp.call('get_order_history', { email: 'customer@email.com' }), OrdersShape)).toEqual({ orders: [] });
      });
    });

    // ---------------------------------------------------------------- real failures
    describe('invalid arguments are isError with a short plain message', () => {
      it('a malformed or missing e-mail', async () => {
        expect(failureOf(await mcp.call('get_customer_info', { email: 'john smith' }))).toBe("'john smith' is not a valid e-mail address.");
        expect(failureOf(await mcp.call('get_customer_info', { email: '' }))).toMatch(/not a valid e-mail address/);
        expect(failureOf(await mcp.call('get_customer_info', {}))).toMatch(/^Invalid arguments for get_customer_info: email: /);
      });
      it('values outside the enums, and a negative limit', async () => {
        expect(failureOf(await mcp.call('create_support_ticket', { email: 'user@example.com', issue_type: 'refund', description: 'x' })))
          .toMatch(/^Invalid arguments for create_support_ticket: issue_type: /);
        expect(failureOf(await mcp.call('create_support_ticket', { email: 'user@example.com', issue_type: 'other', priority: 'asap', description: 'x' })))
          .toMatch(/priority/);
        expect(failureOf(await mcp.call('create_support_ticket', { email: 'user@example.com', issue_type: 'other', description: '   ' })))
          .toMatch(/description/);
        expect(failureOf(await mcp.call('get_order_history', { email: 'user@example.com', limit: -1 }))).toMatch(/limit/);
        expect(failureOf(await mcp.call('get_order_history', { email: 'user@example.com', limit: 2.5 }))).toMatch(/limit/);
      });
    });

    describe('OpenAI strict mode (every property sent)', () => {
      it('priority "" or null is the default medium', async () => {
        for (const priority of ['', null]) {
          const t = resultOf(await mcp.call('create_support_ticket', {
            email: 'mary.wilson@email.com', issue_type: 'account', priority, description: `Strict mode ${String(priority)}`,
          }), TicketShape);
          expect((await storedTicket(t.ticket_id)).priority).toBe('medium');
        }
      });
      it('limit 0 or null is the default 5; a limit is honoured; above 100 is capped', async () => {
        const all = resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com' }), OrdersShape).orders;
        expect(all).toHaveLength(3);
        expect(resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com', limit: 0 })).orders).toEqual(all);
        expect(resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com', limit: null })).orders).toEqual(all);
        expect(resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com', limit: 1 })).orders).toEqual(all.slice(0, 1));
        expect(resultOf(await mcp.call('get_order_history', { email: 'jane.smith@acme.com', limit: 1000 })).orders).toEqual(all);
      });
    });

    // ---------------------------------------------------------------- retries (§2.6)
    describe('create_support_ticket is safe to repeat', () => {
      const args = {
        email: 'user@example.com', issue_type: 'shipping', priority: 'medium',
        description: 'Customer reports order ORD-2024-1234 not received despite delivery confirmation',
      };

      it('three identical calls return one ticket; a different description opens a new one', async () => {
        const results = [];
        for (let i = 0; i < 3; i++) results.push(resultOf(await mcp.call('create_support_ticket', args), TicketShape));
        expect(new Set(results.map((r) => r.ticket_id)).size).toBe(1);
        expect(results[1]).toEqual(results[0]);
        expect(results[2]).toEqual(results[0]);

        const other = resultOf(await mcp.call('create_support_ticket', { ...args, description: 'Second parcel also missing' }), TicketShape);
        expect(other.ticket_id).not.toBe(results[0]!.ticket_id);
        expect(await storedTicket(other.ticket_id)).toMatchObject({ description: 'Second parcel also missing', customer_id: 'CUST-67890' });
        // and the first request, repeated once more, still finds its own ticket
        expect(resultOf(await mcp.call('create_support_ticket', args)).ticket_id).toBe(results[0]!.ticket_id);
      });

      it('a different priority, issue type or customer is a different request', async () => {
        const base = resultOf(await mcp.call('create_support_ticket', args)).ticket_id;
        const ids = [
          resultOf(await mcp.call('create_support_ticket', { ...args, priority: 'high' })).ticket_id,
          resultOf(await mcp.call('create_support_ticket', { ...args, issue_type: 'other' })).ticket_id,
          resultOf(await mcp.call('create_support_ticket', { ...args, email: 'customer@example.com' })).ticket_id,
        ];
        expect(new Set([base, ...ids]).size).toBe(4);
      });

      it('the same request in other words (e-mail case, omitted default priority) is the same request', async () => {
        const first = resultOf(await mcp.call('create_support_ticket', args)).ticket_id;
        const { priority: _p, ...withoutPriority } = args;
        expect(resultOf(await mcp.call('create_support_ticket', { ...withoutPriority, email: 'USER@example.com' })).ticket_id).toBe(first);
        expect(resultOf(await mcp.call('create_support_ticket', { ...args, description: `  ${args.description}  ` })).ticket_id).toBe(first);
      });

      it('concurrent identical calls collapse into one ticket', async () => {
        const results = await Promise.all(Array.from({ length: 8 }, () => mcp.call('create_support_ticket', args)));
        expect(new Set(results.map((r) => resultOf(r).ticket_id)).size).toBe(1);
      });
    });
  });
}
