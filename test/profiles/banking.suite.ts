// Golden tests of the `banking` legacy-contract profile (seed 002, shared/reference/banking.md)
// through a real MCP client, run against each backend seeded with the shipped fixtures (see
// banking.{fixtures,postgres}.test.ts). The contract's tool list is written out below verbatim
// as JSON; every tool's example call must return the contract's envelope and data shape.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STDIO_PRINCIPAL } from '../../src/domain/principal.js';
import type { Dataset } from '../../src/repository/dataset.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { bankingProfile } from '../../src/tools/banking/index.js';
import { connect, textOf, type Connected } from '../server/harness.js';

export interface BankingBackend {
  /** A repository holding exactly `dataset` (state reset). */
  fresh(dataset: Dataset): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONVERSATION = 'conv-banking-golden';
const OTHER_CONVERSATION = 'conv-someone-else';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * verify_customer_identity's optional extension properties (not in the contract): the contract
 * starts a check but has no way to complete it. Every contract property stays as it is and
 * stays required; only these optional ones are added.
 */
export const VERIFY_EXTENSION_PROPERTIES = {
  authSessionId: { type: 'string', description: 'Extension: the authSessionId of the check being answered.' },
  code: { type: 'string', description: 'Extension, otp: the 6-digit code the customer received.' },
  channel: { type: 'string', enum: ['email', 'sms'], description: 'Extension, otp: where to send the code (default email).' },
  dateOfBirth: { type: 'string', description: 'Extension, kba: the date of birth the customer states, as YYYY-MM-DD.' },
  postcode: { type: 'string', description: 'Extension, kba: the postcode the customer states.' },
  phoneLast4: { type: 'string', description: 'Extension, kba: the last four digits of the phone number the customer states.' },
};

/** The contract's tools (seed 002 "Available Tools") as MCP tools/list entries (+ VERIFY_EXTENSION_PROPERTIES). */
export const BANKING_CONTRACT_TOOLS = [
  {
    name: 'lookup_customer',
    description: "Look up customer information by phone, email, or customer ID. Give at least one of them; when you give several they must all belong to the same customer. The result's id is the customerId the other tools need. Do not search by name. Before the customer has verified their identity in this conversation the result may hold only id, emailMasked, phoneMasked and verificationRequired: true; then call verify_customer_identity.",
    inputSchema: {
      type: 'object',
      properties: {
        phone: { type: 'string', description: 'Phone number in any common format, e.g. +14155551234 or (415) 555-1234.' },
        email: { type: 'string', description: 'E-mail address (case-insensitive).' },
        customerId: { type: 'string', description: 'Customer ID, e.g. CUST-001.' },
      },
    },
  },
  {
    name: 'create_support_ticket',
    description: 'Create a support ticket or case. Use it for fraud reports, disputes, chargebacks, account problems and transaction questions that need follow-up by the bank; describe what happened and, when money is involved, give the amount and currency. Every call opens a new case: do not repeat a call that succeeded.',
    inputSchema: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['fraud', 'dispute', 'chargeback', 'account_issue', 'transaction_inquiry', 'other'], description: 'Kind of case.' },
        priority: { type: 'string', enum: ['low', 'medium', 'high', 'urgent'], description: 'How urgent the case is; use urgent for suspected fraud in progress.' },
        description: { type: 'string', description: 'What happened, relevant dates and transactions, and what the customer is asking for.' },
        customerId: { type: 'string', description: 'Customer ID as returned by lookup_customer (field id), e.g. CUST-001.' },
        amount: { type: 'number', description: 'Amount involved, e.g. the disputed charge, in major units such as 89.99.' },
        currency: { type: 'string', description: 'ISO 4217 code of the amount, e.g. USD.' },
      },
      required: ['type', 'priority', 'description', 'customerId'],
    },
  },
  {
    name: 'check_account_balance',
    description: 'Check customer account balance (banking-specific). Works only after the customer has verified their identity in this conversation with verify_customer_identity; until then it answers AUTH_REQUIRED. Without accountType it returns the checking account, else savings, else credit; the result says which. For credit accounts the balance is the amount owed.',
    inputSchema: {
      type: 'object',
      properties: {
        customerId: { type: 'string', description: 'Customer ID as returned by lookup_customer (field id), e.g. CUST-001.' },
        accountType: { type: 'string', enum: ['checking', 'savings', 'credit'], description: "Which account; leave out for the customer's main account (checking, else savings, else credit)." },
      },
      required: ['customerId'],
    },
  },
  {
    name: 'verify_customer_identity',
    description: "Verify customer identity using OTP or KBA. otp: the first call sends a one-time code to the customer (channel email by default, or sms) and returns an authSessionId with status pending (open for 10 minutes); ask the customer for the code and call again with authSessionId and code. kba: call with the customer's dateOfBirth, postcode and phoneLast4 as the customer states them. Returns status verified when the check succeeds or the customer is already verified in this conversation; a wrong answer is AUTH_FAILED, an expired check AUTH_EXPIRED. Account data (check_account_balance) stays locked until the status is verified. Never fill in codes or answers yourself. biometric is not supported.",
    inputSchema: {
      type: 'object',
      properties: {
        // the contract's request type, unchanged ...
        customerId: { type: 'string', description: 'Customer ID as returned by lookup_customer (field id), e.g. CUST-001.' },
        method: { type: 'string', enum: ['otp', 'kba', 'biometric'], description: 'otp (one-time code) or kba (knowledge-based questions); biometric is not supported by this server.' },
        conversationId: { type: 'string', description: 'ID of this conversation. The check is always bound to the conversation the server is serving (this MCP session), whatever value is given.' },
        // ... plus these OPTIONAL extension properties (issue 6), which complete the check the
        // contract only starts. A client written against the contract never sends them.
        ...VERIFY_EXTENSION_PROPERTIES,
      },
      required: ['customerId', 'method', 'conversationId'],
    },
  },
];

/** The contract's "Future Tools" this server implements (issue 13), after its four tools. */
export const BANKING_FUTURE_TOOLS = ['transfer_to_agent', 'schedule_callback', 'update_customer_preferences', 'check_transaction_history', 'block_card', 'unblock_card'];

/** A success in the contract's envelope; returns `data`. */
const ok = (r: CallToolResult): Obj => {
  expect(r.isError ?? false, textOf(r)).toBe(false);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const env = JSON.parse(textOf(r)) as Obj;
  expect(Object.keys(env).sort()).toEqual(['data', 'executionTime', 'success', 'toolCallId']);
  expect(env.success).toBe(true);
  expect(env.toolCallId).toMatch(UUID);
  expect(env.executionTime).toEqual(expect.any(Number));
  expect(env.executionTime).toBeGreaterThanOrEqual(0);
  return env.data as Obj;
};

/** An error in the contract's envelope; returns `error`. */
const fail = (r: CallToolResult): { code: string; message: string; details?: Obj } => {
  expect(r.isError, textOf(r)).toBe(true);
  expect(r.structuredContent).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const env = JSON.parse(textOf(r)) as Obj;
  expect(Object.keys(env).sort()).toEqual(['error', 'success', 'toolCallId']);
  expect(env.success).toBe(false);
  expect(env.toolCallId).toMatch(UUID);
  expect(env.error).toEqual({ code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
  expect(env.error.message.length).toBeGreaterThan(5);
  expect(env.error.details.nextStep.length).toBeGreaterThan(10);
  return env.error;
};

const codeOf = (r: CallToolResult): string => fail(r).code;

export function describeBankingTools(name: string, makeBackend: () => Promise<{ backend: BankingBackend; dataset: Dataset }>): void {
  describe(`banking profile over MCP [${name}]`, () => {
    let backend: BankingBackend;
    let dataset: Dataset;
    let repo: SupportRepository;
    let mcp: Connected;
    const open: Connected[] = [];
    const start = async (ds: Dataset = dataset, conversationId = CONVERSATION): Promise<Connected> => {
      repo = await backend.fresh(ds);
      mcp = await connect(repo, { profiles: [bankingProfile], conversationId });
      open.push(mcp);
      return mcp;
    };
    /** A verified verification of `customerId` in `conversationId`, made through the repository. */
    const verifyInRepo = async (customerId: string, conversationId: string, opts: { now?: Date; ttlMs?: number } = {}) => {
      const id = `test-${conversationId}-${customerId}-${Math.random().toString(36).slice(2)}`;
      await repo.createVerification({
        id, customer_id: customerId, conversation_id: conversationId, principal: STDIO_PRINCIPAL.id, method: 'otp', code_hash: null, delivered_to: null,
        max_attempts: 3, expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
      });
      const a = await repo.attemptVerification(id, { matched: true, verifiedTtlMs: opts.ttlMs ?? 15 * 60_000, ...(opts.now ? { now: opts.now } : {}) });
      expect(a.outcome).toBe('verified');
      return id;
    };

    beforeAll(async () => {
      ({ backend, dataset } = await makeBackend());
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    afterEach(async () => {
      while (open.length > 0) await open.pop()!.close();
    });

    describe('tools/list', () => {
      it('equals the contract (name, description, inputSchema) plus verify_customer_identity\'s optional extension properties, in the contract\'s order', async () => {
        await start();
        const { tools } = await mcp.client.listTools();
        // the contract's four tools first, byte for byte; then its "Future Tools" (issue 13)
        expect(tools.slice(0, 4).map(({ name: n, description, inputSchema }) => ({ name: n, description, inputSchema }))).toEqual(BANKING_CONTRACT_TOOLS);
        expect(tools.slice(4).map((t) => t.name)).toEqual(BANKING_FUTURE_TOOLS);
      });
      it('advertises no output schema (the contract\'s envelope is a text block) and all four hints', async () => {
        await start();
        const { tools } = await mcp.client.listTools();
        for (const t of tools) {
          expect(t.outputSchema).toBeUndefined();
          expect(t.annotations).toMatchObject({
            readOnlyHint: expect.any(Boolean), destructiveHint: t.name === 'block_card', idempotentHint: expect.any(Boolean), openWorldHint: false,
          });
        }
        const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name).sort();
        expect(readOnly).toEqual(['check_account_balance', 'check_transaction_history', 'lookup_customer']);
      });
    });

    describe('lookup_customer', () => {
      const SARAH = {
        id: 'CUST-001', name: 'Sarah Johnson', email: 'sarah.johnson@email.com', phone: '+14155551234',
        accountNumber: 'ACC-001-2024', tier: 'premium', riskLevel: 'low', kycStatus: 'verified',
      };
      it('example call: by phone, email or customerId → the contract\'s customer shape', async () => {
        await start();
        expect(ok(await mcp.call('lookup_customer', { phone: '+14155551234' }))).toEqual(SARAH);
        expect(ok(await mcp.call('lookup_customer', { email: 'Sarah.Johnson@email.com' }))).toEqual(SARAH);
        expect(ok(await mcp.call('lookup_customer', { customerId: 'CUST-001' }))).toEqual(SARAH);
        expect(ok(await mcp.call('lookup_customer', { phone: '(415) 555-1234' }))).toEqual(SARAH);
      });
      it('several identifiers must name the same customer', async () => {
        await start();
        expect(ok(await mcp.call('lookup_customer', { customerId: 'CUST-001', email: 'sarah.johnson@email.com', phone: '+14155551234' }))).toEqual(SARAH);
        expect(codeOf(await mcp.call('lookup_customer', { customerId: 'CUST-001', email: 'michael.chen@email.com' }))).toBe('CUSTOMER_NOT_FOUND');
      });
      it('maps the data: tier basic → standard, kyc pending, high risk, no secrets', async () => {
        await start();
        expect(ok(await mcp.call('lookup_customer', { email: 'mary.wilson@email.com' }))).toMatchObject({ id: 'CUST-20004', tier: 'standard' });
        expect(ok(await mcp.call('lookup_customer', { customerId: 'CUST-010' }))).toMatchObject({
          name: 'Christopher Taylor', tier: 'standard', riskLevel: 'high', kycStatus: 'pending', accountNumber: 'ACC-010-2024',
        });
        const text = textOf(await mcp.call('lookup_customer', { customerId: 'CUST-001' }));
        expect(text).not.toMatch(/1985-03-15|10001|date_of_birth|postcode|status/);
      });
      it('CUSTOMER_NOT_FOUND for an unknown customer; INVALID_PARAMETERS without an identifier', async () => {
        await start();
        expect(codeOf(await mcp.call('lookup_customer', { customerId: 'CUST-999' }))).toBe('CUSTOMER_NOT_FOUND');
        expect(codeOf(await mcp.call('lookup_customer', { email: 'nobody@email.com' }))).toBe('CUSTOMER_NOT_FOUND');
        expect(codeOf(await mcp.call('lookup_customer', {}))).toBe('INVALID_PARAMETERS');
        expect(codeOf(await mcp.call('lookup_customer', { phone: '', email: null, customerId: '  ' }))).toBe('INVALID_PARAMETERS');
        expect(codeOf(await mcp.call('lookup_customer', { customerId: 42 }))).toBe('INVALID_PARAMETERS');
      });
    });

    describe('create_support_ticket', () => {
      it('example call: opens a CASE-… case with the contract\'s shape; amount and currency are stored', async () => {
        await start();
        const data = ok(await mcp.call('create_support_ticket', {
          type: 'dispute', priority: 'high', description: 'Unauthorized subscription charge', customerId: 'CUST-004', amount: 89.99, currency: 'USD',
        }));
        expect(Object.keys(data).sort()).toEqual(['caseId', 'caseNumber', 'createdAt', 'status']);
        expect(data.caseNumber).toMatch(/^CASE-DSP-[0-9A-Z]{10}$/);
        expect(data.status).toBe('open');
        expect(data.createdAt).toMatch(ISO);
        const stored = await repo.getTicket(data.caseId);
        expect(stored).toMatchObject({
          number: data.caseNumber, customer_id: 'CUST-004', category: 'dispute', priority: 'high', status: 'open',
          amount: 89.99, currency: 'USD', conversation_id: CONVERSATION, description: 'Unauthorized subscription charge',
        });
      });
      it('each type gets its own reference code; amount and currency are optional', async () => {
        await start();
        const codes = { fraud: 'FRD', dispute: 'DSP', chargeback: 'CHB', account_issue: 'ACC', transaction_inquiry: 'TXN', other: 'OTH' };
        for (const [type, code] of Object.entries(codes)) {
          const data = ok(await mcp.call('create_support_ticket', { type, priority: 'low', description: `A ${type} case`, customerId: 'CUST-002' }));
          expect(data.caseNumber.startsWith(`CASE-${code}-`)).toBe(true);
          expect(await repo.getTicket(data.caseId)).toMatchObject({ amount: null, currency: null });
        }
        const lower = ok(await mcp.call('create_support_ticket', { type: 'fraud', priority: 'urgent', description: 'Card used abroad', customerId: 'CUST-001', amount: 500, currency: 'usd' }));
        expect(await repo.getTicket(lower.caseId)).toMatchObject({ amount: 500, currency: 'USD' });
      });
      it('a suspended customer can still open a case', async () => {
        await start();
        expect(ok(await mcp.call('create_support_ticket', { type: 'account_issue', priority: 'medium', description: 'Why is my account frozen?', customerId: 'CUST-010' })).status).toBe('open');
      });
      it('contract errors: INVALID_CUSTOMER, INVALID_TYPE, MISSING_DESCRIPTION', async () => {
        await start();
        const base = { type: 'fraud', priority: 'high', description: 'Suspicious transaction', customerId: 'CUST-001' };
        expect(codeOf(await mcp.call('create_support_ticket', { ...base, customerId: 'CUST-999' }))).toBe('INVALID_CUSTOMER');
        expect(codeOf(await mcp.call('create_support_ticket', { ...base, type: 'loan' }))).toBe('INVALID_TYPE');
        const { type: _t, ...noType } = base;
        expect(codeOf(await mcp.call('create_support_ticket', noType))).toBe('INVALID_TYPE');
        expect(codeOf(await mcp.call('create_support_ticket', { ...base, description: '' }))).toBe('MISSING_DESCRIPTION');
        expect(codeOf(await mcp.call('create_support_ticket', { ...base, description: '   ' }))).toBe('MISSING_DESCRIPTION');
        const { description: _d, ...noDescription } = base;
        expect(codeOf(await mcp.call('create_support_ticket', noDescription))).toBe('MISSING_DESCRIPTION');
      });
      it('other bad parameters are INVALID_PARAMETERS, with the field in details.issues', async () => {
        await start();
        const base = { type: 'fraud', priority: 'high', description: 'Suspicious transaction', customerId: 'CUST-001' };
        for (const bad of [
          { priority: 'critical' }, { currency: 'dollars' }, { amount: -5 }, { amount: 10.001 }, { amount: '12' }, { customerId: '' },
        ]) {
          const e = fail(await mcp.call('create_support_ticket', { ...base, ...bad }));
          expect(e.code, JSON.stringify(bad)).toBe('INVALID_PARAMETERS');
          expect(e.details?.issues?.[0]?.field).toBe(Object.keys(bad)[0]);
        }
        const { priority: _p, ...noPriority } = base;
        expect(codeOf(await mcp.call('create_support_ticket', noPriority))).toBe('INVALID_PARAMETERS');
      });
    });

    describe('verify_customer_identity', () => {
      it('example call: starts a pending otp/kba check bound to THIS conversation (10 minutes)', async () => {
        await start();
        const before = Date.now();
        const data = ok(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'otp', conversationId: 'whatever-the-model-says' }));
        // The contract's fields, plus the extensions deliveredTo (masked) and attemptsLeft.
        expect(Object.keys(data).sort()).toEqual(['attemptsLeft', 'authSessionId', 'deliveredTo', 'expiresAt', 'method', 'status']);
        expect(data).toMatchObject({ status: 'pending', method: 'otp', deliveredTo: 's***@email.com', attemptsLeft: 5 });
        expect(data.authSessionId).toMatch(UUID);
        expect(data.expiresAt).toMatch(ISO);
        const ttl = Date.parse(data.expiresAt) - before;
        expect(ttl).toBeGreaterThan(9 * 60_000);
        expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 5_000);
        const stored = await repo.getVerification(data.authSessionId);
        expect(stored).toMatchObject({ customer_id: 'CUST-001', conversation_id: CONVERSATION, method: 'otp', status: 'pending', max_attempts: 5, attempts: 0 });
        // The code went to the outbox, in full, for a sender; the verification keeps only a keyed hash.
        const [message] = (await repo.listOutbox({ pendingOnly: true })).filter((m) => m.verification_id === data.authSessionId);
        expect(message).toMatchObject({ channel: 'email', destination: 'sarah.johnson@email.com', customer_id: 'CUST-001' });
        expect(message!.code).toMatch(/^\d{6}$/);
        expect(stored!.code_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(stored)).not.toContain(message!.code);
        expect(JSON.stringify(data)).not.toContain(message!.code);
        const kba = ok(await mcp.call('verify_customer_identity', { customerId: 'CUST-010', method: 'kba', conversationId: CONVERSATION }));
        expect(kba).toMatchObject({ status: 'pending', method: 'kba', questions: ['dateOfBirth', 'postcode', 'phoneLast4'] });
      });
      it('a pending check does not unlock the balance; the code completes it, and verify then answers verified', async () => {
        await start();
        const pending = ok(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'otp', conversationId: CONVERSATION }));
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toBe('AUTH_REQUIRED');
        const [message] = (await repo.listOutbox({ pendingOnly: true })).filter((m) => m.verification_id === pending.authSessionId);
        const done = ok(await mcp.call('verify_customer_identity', {
          customerId: 'CUST-001', method: 'otp', conversationId: CONVERSATION, authSessionId: pending.authSessionId, code: message!.code,
        }));
        expect(done).toMatchObject({ authSessionId: pending.authSessionId, status: 'verified', method: 'otp' });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toMatchObject({ balance: 12450.32 });
        const again = ok(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'kba', conversationId: CONVERSATION }));
        expect(again).toMatchObject({ authSessionId: pending.authSessionId, status: 'verified', method: 'otp' });
      });
      it('a wrong code is AUTH_FAILED with the attempts left, then the check locks; an expired check is AUTH_EXPIRED', async () => {
        await start();
        const pending = ok(await mcp.call('verify_customer_identity', { customerId: 'CUST-002', method: 'otp', conversationId: CONVERSATION }));
        const [message] = (await repo.listOutbox({ pendingOnly: true })).filter((m) => m.verification_id === pending.authSessionId);
        const wrong = message!.code === '000000' ? '000001' : '000000';
        const answer = (code: string) => mcp.call('verify_customer_identity', {
          customerId: 'CUST-002', method: 'otp', conversationId: CONVERSATION, authSessionId: pending.authSessionId, code,
        });
        const first = fail(await answer(wrong));
        expect(first.code).toBe('AUTH_FAILED');
        expect(first.message).toMatch(/4 attempts left/);
        for (let i = 0; i < 4; i++) expect(codeOf(await answer(wrong))).toBe('AUTH_FAILED');
        // locked: even the right code fails now
        expect(codeOf(await answer(message!.code!))).toBe('AUTH_FAILED');
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-002' }))).toBe('AUTH_REQUIRED');
        // expired: a check whose expiry has passed
        const old = await repo.createVerification({
          id: `expired-${Math.random().toString(36).slice(2)}`, customer_id: 'CUST-003', conversation_id: CONVERSATION, principal: STDIO_PRINCIPAL.id, method: 'otp',
          code_hash: null, delivered_to: null, max_attempts: 5, expires_at: new Date(Date.now() - 1000).toISOString(),
        });
        expect(codeOf(await mcp.call('verify_customer_identity', {
          customerId: 'CUST-003', method: 'otp', conversationId: CONVERSATION, authSessionId: old.id, code: '123456',
        }))).toBe('AUTH_EXPIRED');
      });
      it('kba with the customer\'s answers verifies (normalised); a wrong answer is AUTH_FAILED without saying which', async () => {
        await start();
        const base = { customerId: 'CUST-001', method: 'kba', conversationId: CONVERSATION };
        const wrong = fail(await mcp.call('verify_customer_identity', { ...base, dateOfBirth: '1985-03-15', postcode: '10001', phoneLast4: '9999' }));
        expect(wrong.code).toBe('AUTH_FAILED');
        expect(wrong.message).not.toMatch(/phone|postcode|birth/i);
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toBe('AUTH_REQUIRED');
        const right = ok(await mcp.call('verify_customer_identity', { ...base, dateOfBirth: ' 1985-3-15 ', postcode: ' 10001 ', phoneLast4: '1234' }));
        expect(right).toMatchObject({ status: 'verified', method: 'kba' });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toMatchObject({ balance: 12450.32 });
      });
      it('biometric and unknown methods are INVALID_METHOD (never pretended)', async () => {
        await start();
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'biometric', conversationId: CONVERSATION }))).toBe('INVALID_METHOD');
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'sms', conversationId: CONVERSATION }))).toBe('INVALID_METHOD');
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', conversationId: CONVERSATION }))).toBe('INVALID_METHOD');
      });
      it('CUSTOMER_NOT_FOUND for an unknown customer; INVALID_PARAMETERS without conversationId', async () => {
        await start();
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-999', method: 'otp', conversationId: CONVERSATION }))).toBe('CUSTOMER_NOT_FOUND');
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-001', method: 'otp' }))).toBe('INVALID_PARAMETERS');
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: '', method: 'otp', conversationId: CONVERSATION }))).toBe('INVALID_PARAMETERS');
      });
      it('a blocked customer cannot start a verification: CUSTOMER_BLOCKED', async () => {
        const blocked = structuredClone(dataset);
        blocked.customers.find((c) => c.id === 'CUST-007')!.status = 'blocked';
        await start(blocked);
        expect(codeOf(await mcp.call('verify_customer_identity', { customerId: 'CUST-007', method: 'otp', conversationId: CONVERSATION }))).toBe('CUSTOMER_BLOCKED');
        // Lookup and cases stay available: a blocked customer must still be able to report fraud.
        expect(ok(await mcp.call('lookup_customer', { customerId: 'CUST-007' })).name).toBe('Amanda Davis');
        expect(ok(await mcp.call('create_support_ticket', { type: 'fraud', priority: 'urgent', description: 'Account blocked after fraud', customerId: 'CUST-007' })).status).toBe('open');
        // And if a verification predates the block, the balance is still refused.
        await verifyInRepo('CUST-007', CONVERSATION);
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-007' }))).toBe('CUSTOMER_BLOCKED');
      });
    });

    describe('check_account_balance', () => {
      it('AUTH_REQUIRED before the customer is verified in this conversation', async () => {
        await start();
        const e = fail(await mcp.call('check_account_balance', { customerId: 'CUST-001', accountType: 'checking' }));
        expect(e.code).toBe('AUTH_REQUIRED');
        expect(e.details?.nextStep).toMatch(/verify_customer_identity/);
        expect(JSON.stringify(e)).not.toMatch(/12450|12,450/);
      });
      it('example call after verification: Sarah Johnson\'s checking balance 12450.32', async () => {
        await start();
        await verifyInRepo('CUST-001', CONVERSATION);
        const data = ok(await mcp.call('check_account_balance', { customerId: 'CUST-001', accountType: 'checking' }));
        // the contract's four fields unchanged, plus the customer's cards (issue 13, additive)
        expect(data).toEqual({
          balance: 12450.32, currency: 'USD', accountType: 'checking', lastUpdated: '2024-12-02T08:55:00.000Z',
          cards: [
            { id: 'CARD-001-1', brand: 'visa', last4: '4821', status: 'active' },
            { id: 'CARD-001-2', brand: 'mastercard', last4: '7730', status: 'blocked' },
          ],
        });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toMatchObject({ balance: 12450.32, accountType: 'checking' });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-001', accountType: 'savings' }))).toMatchObject({ balance: 25300, accountType: 'savings' });
      });
      it('a verification in ANOTHER conversation, or of another customer, does not unlock it', async () => {
        await start();
        await verifyInRepo('CUST-001', OTHER_CONVERSATION);
        await verifyInRepo('CUST-002', CONVERSATION);
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toBe('AUTH_REQUIRED');
        // ...while the other conversation's own session sees it.
        const other = await connect(repo, { profiles: [bankingProfile], conversationId: OTHER_CONVERSATION });
        open.push(other);
        expect(ok(await other.call('check_account_balance', { customerId: 'CUST-001' }))).toMatchObject({ balance: 12450.32 });
        // CUST-002 is verified here: its own balance is given (checking before savings).
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-002' }))).toMatchObject({ balance: 3120.4, accountType: 'checking' });
      });
      it('an expired verification does not unlock it', async () => {
        await start();
        await verifyInRepo('CUST-001', CONVERSATION, { now: new Date(Date.now() - 30 * 60_000), ttlMs: 15 * 60_000 });
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001' }))).toBe('AUTH_REQUIRED');
      });
      it('without accountType: checking, else savings, else credit', async () => {
        await start();
        for (const id of ['CUST-003', 'CUST-005', 'CUST-010']) await verifyInRepo(id, CONVERSATION);
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-003' }))).toMatchObject({ accountType: 'checking', balance: 1875.6 });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-005' }))).toMatchObject({ accountType: 'savings', balance: 15780 });
        expect(ok(await mcp.call('check_account_balance', { customerId: 'CUST-005', accountType: 'credit' }))).toMatchObject({ accountType: 'credit', balance: 430.25 });
      });
      it('ACCOUNT_NOT_FOUND, CUSTOMER_NOT_FOUND, CUSTOMER_SUSPENDED, INVALID_PARAMETERS', async () => {
        await start();
        await verifyInRepo('CUST-001', CONVERSATION);
        await verifyInRepo('CUST-010', CONVERSATION);
        await verifyInRepo('2837622', CONVERSATION); // a TechNova customer: no bank accounts at all
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001', accountType: 'credit' }))).toBe('ACCOUNT_NOT_FOUND');
        expect(codeOf(await mcp.call('check_account_balance', { customerId: '2837622' }))).toBe('ACCOUNT_NOT_FOUND');
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-999' }))).toBe('CUSTOMER_NOT_FOUND');
        const suspended = fail(await mcp.call('check_account_balance', { customerId: 'CUST-010' }));
        expect(suspended.code).toBe('CUSTOMER_SUSPENDED');
        expect(JSON.stringify(suspended)).not.toMatch(/4875/);
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-001', accountType: 'loan' }))).toBe('INVALID_PARAMETERS');
        expect(codeOf(await mcp.call('check_account_balance', {}))).toBe('INVALID_PARAMETERS');
      });
      it('a suspended customer who is not verified gets AUTH_REQUIRED (the state is not revealed)', async () => {
        await start();
        expect(codeOf(await mcp.call('check_account_balance', { customerId: 'CUST-010' }))).toBe('AUTH_REQUIRED');
      });
    });
  });
}
