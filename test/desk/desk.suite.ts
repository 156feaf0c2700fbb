// The support desk's tools (issue 13) through a real MCP client, in both profiles (support:
// snake_case + structuredContent; banking: the contract's camelCase and envelope), under
// verified access, on each backend seeded with the shipped fixtures (desk.{fixtures,postgres}.test.ts).
import { writeFile } from 'node:fs/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STDIO_PRINCIPAL } from '../../src/domain/principal.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { openPolicy, type PolicyConfig } from '../../src/services/policy.js';
import { connect, dataOf, errorOf, textOf, type Connected } from '../server/harness.js';
import { waitForAudit } from '../policy/kit.js';
import type { FixtureBackend } from '../support/fixture-backends.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const VERIFIED: PolicyConfig = { ...openPolicy(), access: 'verified' };

/** The first calendar day at least `from` days ahead whose weekday is in `weekdays` (0 = Sunday). */
const dayAhead = (from: number, weekdays: number[] = [1, 2, 3, 4, 5]): string => {
  for (let d = from; ; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    if (weekdays.includes(day.getUTCDay())) return day.toISOString().slice(0, 10);
  }
};
/** The instant of a wall-clock time in a time zone (checked by formatting it back). */
const zoned = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** A success in the banking envelope; returns `data`. */
export const bankOk = (r: CallToolResult): Obj => {
  const env = JSON.parse(textOf(r)) as Obj;
  expect(r.isError ?? false, textOf(r)).toBe(false);
  expect(env.success).toBe(true);
  return env.data as Obj;
};
/** An error in the banking envelope; returns `error` ({ code, message, details: { nextStep } }). */
export const bankFail = (r: CallToolResult): Obj => {
  expect(r.isError, textOf(r)).toBe(true);
  const env = JSON.parse(textOf(r)) as Obj;
  expect(env.success).toBe(false);
  expect(env.error.details.nextStep.length).toBeGreaterThan(10);
  return env.error as Obj;
};

export function describeDesk(name: string, makeBackend: () => Promise<FixtureBackend>): void {
  describe(`support desk tools over MCP [${name}]`, () => {
    /** Race outcomes, written to $DESK_REPORT.<backend>.races.txt for the closing note. */
    const RACES: string[] = [];
    let backend: FixtureBackend;
    let repo: SupportRepository;
    const open: Connected[] = [];
    const session = async (profile: 'support' | 'banking', conversationId: string, policy: PolicyConfig = VERIFIED): Promise<Connected> => {
      const mcp = await connect(repo, { profiles: [profile], conversationId, policy });
      open.push(mcp);
      await mcp.client.listTools(); // the SDK client then validates structuredContent against each outputSchema
      return mcp;
    };
    const verify = async (customerId: string, conversationId: string): Promise<void> => {
      const id = `desk-${conversationId}-${customerId}-${Math.random().toString(36).slice(2)}`;
      await repo.createVerification({
        id, customer_id: customerId, conversation_id: conversationId, principal: STDIO_PRINCIPAL.id, method: 'otp', code_hash: null,
        delivered_to: null, max_attempts: 3, expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
      });
      expect((await repo.attemptVerification(id, { matched: true, verifiedTtlMs: 15 * 60_000 })).outcome).toBe('verified');
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

    describe('cards (support)', () => {
      it('unverified: every card tool answers AUTH_REQUIRED and nothing changes', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cards-unverified');
        for (const [tool, args] of [
          ['list_cards', { customer_id: 'CUST-001' }],
          ['block_card', { card_id: 'CARD-001-1', reason: 'stolen' }],
          ['unblock_card', { card_id: 'CARD-001-2' }],
        ] as const) {
          const e = errorOf(await mcp.call(tool, args));
          expect(e.code, tool).toBe('AUTH_REQUIRED');
          expect(e.next_step).toMatch(/verify_identity/);
        }
        expect((await repo.getCard('CARD-001-1'))?.status).toBe('active');
        expect((await repo.getCard('CARD-001-2'))?.status).toBe('blocked');
      });

      it('list → block (stolen) → repeat is safe → unblocking it is INVALID_STATE with the replacement step; a temporary block is lifted', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cards');
        await verify('CUST-001', 'desk-cards');
        const { cards } = dataOf<Obj>(await mcp.call('list_cards', { customer_id: 'CUST-001' }));
        expect(cards.map((c: Obj) => [c.id, c.last4, c.status])).toEqual([['CARD-001-1', '4821', 'active'], ['CARD-001-2', '7730', 'blocked']]);

        const blocked = dataOf<Obj>(await mcp.call('block_card', { card_id: 'CARD-001-1', reason: 'stolen' }));
        expect(blocked).toMatchObject({ already_blocked: false, card: { id: 'CARD-001-1', status: 'blocked', block_reason: 'stolen' } });
        expect(blocked.message).toMatch(/ending in 4821 is now blocked/);
        const again = dataOf<Obj>(await mcp.call('block_card', { card_id: 'CARD-001-1', reason: 'lost' }));
        expect(again).toMatchObject({ already_blocked: true, card: { block_reason: 'stolen', blocked_at: blocked.card.blocked_at } });

        const refused = errorOf(await mcp.call('unblock_card', { card_id: 'CARD-001-1' }));
        expect(refused.code).toBe('INVALID_STATE');
        expect(refused.next_step).toMatch(/replacement.*create_ticket/);
        expect((await repo.getCard('CARD-001-1'))?.status).toBe('blocked');

        const lifted = dataOf<Obj>(await mcp.call('unblock_card', { card_id: 'CARD-001-2' }));
        expect(lifted).toMatchObject({ already_active: false, card: { status: 'active', block_reason: null, blocked_at: null } });
        expect(dataOf<Obj>(await mcp.call('unblock_card', { card_id: 'CARD-001-2' })).already_active).toBe(true);
      });

      it('another customer\'s card: AUTH_REQUIRED and untouched; an unknown card NOT_FOUND; a replaced card INVALID_STATE', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cards-other');
        await verify('CUST-004', 'desk-cards-other');
        expect(errorOf(await mcp.call('block_card', { card_id: 'CARD-001-1', reason: 'lost' })).code).toBe('AUTH_REQUIRED');
        expect((await repo.getCard('CARD-001-1'))?.status).toBe('active');
        expect(errorOf(await mcp.call('block_card', { card_id: 'CARD-404', reason: 'lost' })).code).toBe('NOT_FOUND');
        const replaced = errorOf(await mcp.call('block_card', { card_id: 'CARD-004-2', reason: 'lost' }));
        expect(replaced.code).toBe('INVALID_STATE');
        expect(errorOf(await mcp.call('block_card', { card_id: 'CARD-004-1', reason: 'bored' })).code).toBe('VALIDATION_FAILED');
      });

      it('race: 50 concurrent block_card calls change the card once', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cards-race');
        await verify('CUST-002', 'desk-cards-race');
        const results = await Promise.all(Array.from({ length: 50 }, () => mcp.call('block_card', { card_id: 'CARD-002-1', reason: 'suspected_fraud' })));
        const data = results.map((r) => dataOf<Obj>(r));
        const changed = data.filter((d) => !d.already_blocked);
        expect(changed).toHaveLength(1);
        for (const d of data) expect(d.card.blocked_at).toBe(changed[0]!.card.blocked_at);
        RACES.push(`[${name}] 50 concurrent block_card (support): ${changed.length} changed the card, ${data.length - changed.length} reported already_blocked`);
      });
    });

    describe('transactions (support)', () => {
      it('newest first, filters, pagination to the end; AUTH_REQUIRED before verification', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-tx');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001' })).code).toBe('AUTH_REQUIRED');
        await verify('CUST-001', 'desk-tx');
        const first = dataOf<Obj>(await mcp.call('list_transactions', { customer_id: 'CUST-001', limit: 5 }));
        expect(first.account).toEqual({ id: 'BA-001-CHK', account_type: 'checking', currency: 'USD' });
        expect(first.transactions).toHaveLength(5);
        const at = first.transactions.map((t: Obj) => t.posted_at);
        expect([...at].sort().reverse()).toEqual(at);
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Obj = dataOf<Obj>(await mcp.call('list_transactions', { customer_id: 'CUST-001', limit: 7, ...(cursor ? { cursor } : {}) }));
          ids.push(...page.transactions.map((t: Obj) => t.id));
          cursor = page.next_cursor;
        } while (cursor !== null);
        expect(ids).toHaveLength(24);
        expect(new Set(ids).size).toBe(24);

        const charge = dataOf<Obj>(await mcp.call('list_transactions', { customer_id: 'CUST-001', text: 'streamplus', from_date: '2024-11-01', to_date: '2024-11-30' }));
        expect(charge.transactions).toEqual([expect.objectContaining({ amount: -89.99, currency: 'USD', merchant: 'StreamPlus', status: 'posted' })]);
        const big = dataOf<Obj>(await mcp.call('list_transactions', { customer_id: 'CUST-001', min_amount: 1000 }));
        expect(big.transactions.length).toBeGreaterThan(0);
        for (const t of big.transactions) expect(Math.abs(t.amount)).toBeGreaterThanOrEqual(1000);
        const savings = dataOf<Obj>(await mcp.call('list_transactions', { customer_id: 'CUST-001', account_type: 'savings', limit: 100 }));
        expect(savings.account.id).toBe('BA-001-SAV');
      });

      it('refusals: bad cursor, reversed or malformed dates, min above max, another customer\'s account', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-tx-bad');
        await verify('CUST-001', 'desk-tx-bad');
        const bad = errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', cursor: 'not-a-cursor' }));
        expect(bad.code).toBe('VALIDATION_FAILED');
        expect(bad.next_step).toMatch(/without cursor/);
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', from_date: '2024-12-01', to_date: '2024-11-01' })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', from_date: '2024-02-30' })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', min_amount: 10, max_amount: 5 })).code).toBe('VALIDATION_FAILED');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', account_id: 'BA-002-CHK' })).code).toBe('NOT_FOUND');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-002' })).code).toBe('AUTH_REQUIRED');
        expect(errorOf(await mcp.call('list_transactions', { customer_id: 'CUST-001', limit: 101 })).code).toBe('VALIDATION_FAILED');
      });
    });

    describe('cards and transactions (banking)', () => {
      it('block_card by cardLast4; refusals in the contract\'s codes', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-bank-cards');
        expect(bankFail(await mcp.call('block_card', { customerId: 'CUST-003', cardLast4: '9054', reason: 'lost' })).code).toBe('AUTH_REQUIRED');
        await verify('CUST-003', 'desk-bank-cards');
        const blocked = bankOk(await mcp.call('block_card', { customerId: 'CUST-003', cardLast4: '9054', reason: 'lost' }));
        expect(blocked).toMatchObject({ id: 'CARD-003-1', brand: 'mastercard', last4: '9054', status: 'blocked', blockReason: 'lost', changed: true });
        expect(bankOk(await mcp.call('block_card', { customerId: 'CUST-003', cardId: 'CARD-003-1', reason: 'lost' })).changed).toBe(false);
        // unblocking a stolen card
        const stolen = bankFail(await mcp.call('unblock_card', { customerId: 'CUST-003', cardLast4: '3318' }));
        expect(stolen.code).toBe('INVALID_OPERATION');
        expect(stolen.details.nextStep).toMatch(/replacement.*create_support_ticket/);
        // another customer's card named with this customer: not found, nothing revealed, untouched
        const other = bankFail(await mcp.call('block_card', { customerId: 'CUST-003', cardId: 'CARD-001-1', reason: 'stolen' }));
        expect(other.code).toBe('DATA_NOT_FOUND');
        expect(JSON.stringify(other)).not.toMatch(/4821|CUST-001|Sarah/);
        expect((await repo.getCard('CARD-001-1'))?.status).toBe('active');
        expect(bankFail(await mcp.call('block_card', { customerId: 'CUST-003', reason: 'lost' })).code).toBe('INVALID_PARAMETERS');
        expect(bankFail(await mcp.call('block_card', { customerId: 'CUST-003', cardLast4: '12', reason: 'lost' })).code).toBe('INVALID_PARAMETERS');
        expect(bankFail(await mcp.call('block_card', { customerId: 'CUST-003', cardLast4: '0000', reason: 'lost' })).code).toBe('DATA_NOT_FOUND');
        expect(bankFail(await mcp.call('block_card', { customerId: 'CUST-001', cardLast4: '4821', reason: 'lost' })).code).toBe('AUTH_REQUIRED');
      });

      it('race: 50 concurrent block_card calls change the card once', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-bank-race');
        await verify('CUST-007', 'desk-bank-race');
        const data = (await Promise.all(Array.from({ length: 50 }, () => mcp.call('block_card', { customerId: 'CUST-007', cardLast4: '4412', reason: 'stolen' })))).map(bankOk);
        expect(data.filter((d) => d.changed)).toHaveLength(1);
        expect(new Set(data.map((d) => d.blockedAt)).size).toBe(1);
        RACES.push(`[${name}] 50 concurrent block_card (banking): ${data.filter((d) => d.changed).length} changed the card, ${data.filter((d) => !d.changed).length} reported changed=false`);
      });

      it('check_transaction_history: pages, filters, bad cursor INVALID_PARAMETERS', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-bank-tx');
        expect(bankFail(await mcp.call('check_transaction_history', { customerId: 'CUST-001' })).code).toBe('AUTH_REQUIRED');
        await verify('CUST-001', 'desk-bank-tx');
        const page = bankOk(await mcp.call('check_transaction_history', { customerId: 'CUST-001', limit: 10 }));
        expect(page).toMatchObject({ accountId: 'BA-001-CHK', accountType: 'checking', currency: 'USD' });
        expect(page.transactions).toHaveLength(10);
        expect(Object.keys(page.transactions[0]).sort()).toEqual(['amount', 'balanceAfter', 'currency', 'description', 'id', 'merchant', 'postedAt', 'status']);
        const next = bankOk(await mcp.call('check_transaction_history', { customerId: 'CUST-001', limit: 10, cursor: page.nextCursor }));
        expect(next.transactions[0].postedAt <= page.transactions[9].postedAt).toBe(true);
        expect(bankFail(await mcp.call('check_transaction_history', { customerId: 'CUST-001', cursor: 'xyz' })).code).toBe('INVALID_PARAMETERS');
        expect(bankFail(await mcp.call('check_transaction_history', { customerId: 'CUST-001', limit: 500 })).code).toBe('INVALID_PARAMETERS');
        expect(bankFail(await mcp.call('check_transaction_history', { customerId: 'CUST-001', accountType: 'credit' })).code).toBe('ACCOUNT_NOT_FOUND');
      });
    });

    describe('preferences', () => {
      it('support update_preferences: partial update, returns the stored preferences; refusals', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-prefs');
        expect(errorOf(await mcp.call('update_preferences', { customer_id: 'CUST-001', language: 'es' })).code).toBe('AUTH_REQUIRED');
        await verify('CUST-001', 'desk-prefs');
        const d = dataOf<Obj>(await mcp.call('update_preferences', { customer_id: 'CUST-001', language: 'es', marketing_opt_in: true }));
        expect(d.updated_fields).toEqual(['language', 'marketing_opt_in']);
        expect(d.preferences).toMatchObject({ customer_id: 'CUST-001', contact_channel: 'phone', language: 'es', marketing_opt_in: true, timezone: 'America/New_York' });
        expect(await repo.getPreferences('CUST-001')).toEqual(d.preferences);
        for (const bad of [{ timezone: 'Mars/Olympus' }, { language: 'Spanish' }, {}, { contact_channel: 'fax' }]) {
          expect(errorOf(await mcp.call('update_preferences', { customer_id: 'CUST-001', ...bad })).code, JSON.stringify(bad)).toBe('VALIDATION_FAILED');
        }
        expect(errorOf(await mcp.call('update_preferences', { customer_id: 'CUST-002', language: 'fr' })).code).toBe('AUTH_REQUIRED');
        expect((await repo.getPreferences('CUST-002'))?.language).toBe('en');
      });

      it('banking update_customer_preferences: camelCase, the contract\'s codes', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-bank-prefs');
        expect(bankFail(await mcp.call('update_customer_preferences', { customerId: 'CUST-004', timezone: 'Europe/Paris' })).code).toBe('AUTH_REQUIRED');
        await verify('CUST-004', 'desk-bank-prefs');
        const d = bankOk(await mcp.call('update_customer_preferences', { customerId: 'CUST-004', timezone: 'Europe/Paris', contactChannel: 'sms' }));
        expect(d).toMatchObject({ customerId: 'CUST-004', contactChannel: 'sms', language: 'en', marketingOptIn: false, timezone: 'Europe/Paris' });
        expect(bankFail(await mcp.call('update_customer_preferences', { customerId: 'CUST-004', timezone: 'Nowhere/City' })).code).toBe('INVALID_PARAMETERS');
        expect(bankFail(await mcp.call('update_customer_preferences', { customerId: 'CUST-004' })).code).toBe('INVALID_PARAMETERS');
      });
    });

    describe('callbacks', () => {
      it('support schedule_callback: to the number on file, in the customer\'s time zone; a retry returns it; cancel_callback', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cb');
        const day = dayAhead(2);
        const base = { customer_id: 'CUST-001', date: day, from_time: '10:00', to_time: '11:00', topic: 'Replacement card delivery' };
        expect(errorOf(await mcp.call('schedule_callback', base)).code).toBe('AUTH_REQUIRED');
        await verify('CUST-001', 'desk-cb');
        // a number the model supplies is not part of the schema and never used
        const r = await mcp.call('schedule_callback', { ...base, phone: '+19995550000' });
        const d = dataOf<Obj>(r);
        expect(d).toMatchObject({ already_scheduled: false, timezone: 'America/New_York', callback: { status: 'scheduled', customer_id: 'CUST-001', phone_masked: '***-***-1234', topic: base.topic } });
        expect(zoned(d.callback.window_start, 'America/New_York')).toBe(`${day} 10:00`);
        expect(zoned(d.callback.window_end, 'America/New_York')).toBe(`${day} 11:00`);
        expect(textOf(r)).not.toMatch(/4155551234|9995550000/);
        expect((await repo.getCallback(d.callback.id))?.destination).toBe('+14155551234');
        const again = dataOf<Obj>(await mcp.call('schedule_callback', base));
        expect(again).toMatchObject({ already_scheduled: true, callback: { id: d.callback.id } });

        const cancelled = dataOf<Obj>(await mcp.call('cancel_callback', { callback_id: d.callback.id }));
        expect(cancelled).toMatchObject({ already_cancelled: false, callback: { status: 'cancelled' } });
        expect(dataOf<Obj>(await mcp.call('cancel_callback', { callback_id: d.callback.id })).already_cancelled).toBe(true);
        expect(errorOf(await mcp.call('cancel_callback', { callback_id: 'CB-0002' })).code).toBe('AUTH_REQUIRED');
        expect(errorOf(await mcp.call('cancel_callback', { callback_id: 'CB-0001' })).code).toBe('INVALID_STATE');
        expect(errorOf(await mcp.call('cancel_callback', { callback_id: 'CB-NOPE' })).code).toBe('NOT_FOUND');
      });

      it('refusals: past window, out of hours, weekend, more than 14 days ahead, reversed window, the 4th open callback', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cb-bad');
        await verify('CUST-002', 'desk-cb-bad');
        const base = { customer_id: 'CUST-002', date: dayAhead(2), from_time: '10:00', to_time: '11:00', topic: 'Mortgage question' };
        const refuse = async (args: Obj, code = 'VALIDATION_FAILED') => {
          const e = errorOf(await mcp.call('schedule_callback', { ...base, ...args }));
          expect(e.code, JSON.stringify(args)).toBe(code);
          return e;
        };
        expect((await refuse({ date: '2024-12-02' })).message).toMatch(/already started or passed/);
        expect((await refuse({ from_time: '08:00', to_time: '09:30' })).message).toMatch(/business hours/);
        await refuse({ from_time: '16:30', to_time: '17:30' });
        await refuse({ date: dayAhead(1, [0, 6]) });
        await refuse({ date: dayAhead(16) });
        await refuse({ from_time: '11:00', to_time: '10:00' });
        await refuse({ date: '2024-02-30' });
        for (const [from, to] of [['09:00', '10:00'], ['11:00', '12:00'], ['13:00', '14:00']]) {
          expect(dataOf<Obj>(await mcp.call('schedule_callback', { ...base, from_time: from, to_time: to })).already_scheduled).toBe(false);
        }
        const limit = await refuse({ from_time: '15:00', to_time: '16:00' }, 'CONFLICT');
        expect(limit.next_step).toMatch(/cancel_callback/);
        expect(await repo.listCallbacks('CUST-002', ['scheduled'])).toHaveLength(3);
      });

      it('race: 50 identical schedule_callback calls create one callback', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-cb-race');
        await verify('CUST-009', 'desk-cb-race');
        const args = { customer_id: 'CUST-009', date: dayAhead(3), from_time: '14:00', to_time: '15:00', topic: 'Savings rate' };
        const data = (await Promise.all(Array.from({ length: 50 }, () => mcp.call('schedule_callback', args)))).map((r) => dataOf<Obj>(r));
        expect(new Set(data.map((d) => d.callback.id)).size).toBe(1);
        expect(data.filter((d) => !d.already_scheduled)).toHaveLength(1);
        expect(await repo.listCallbacks('CUST-009', ['scheduled'])).toHaveLength(1);
        RACES.push(`[${name}] 50 identical schedule_callback: ${data.filter((d) => !d.already_scheduled).length} callback created, ${data.filter((d) => d.already_scheduled).length} returned it (already_scheduled)`);
      });

      it('banking schedule_callback: camelCase, the contract\'s codes', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-bank-cb');
        const args = { customerId: 'CUST-003', date: dayAhead(2), fromTime: '09:30', toTime: '10:00', topic: 'Stolen card follow-up' };
        expect(bankFail(await mcp.call('schedule_callback', args)).code).toBe('AUTH_REQUIRED');
        await verify('CUST-003', 'desk-bank-cb');
        const d = bankOk(await mcp.call('schedule_callback', args));
        expect(d).toMatchObject({ status: 'scheduled', timezone: 'America/Chicago', phoneMasked: '***-***-3456', existing: false });
        expect(zoned(d.windowStart, 'America/Chicago')).toBe(`${args.date} 09:30`);
        expect(bankOk(await mcp.call('schedule_callback', args))).toMatchObject({ callbackId: d.callbackId, existing: true });
        expect(bankFail(await mcp.call('schedule_callback', { ...args, fromTime: '18:00', toTime: '19:00' })).code).toBe('INVALID_PARAMETERS');
        await mcp.call('schedule_callback', { ...args, fromTime: '11:00', toTime: '12:00' });
        await mcp.call('schedule_callback', { ...args, fromTime: '12:00', toTime: '13:00' });
        expect(bankFail(await mcp.call('schedule_callback', { ...args, fromTime: '13:00', toTime: '14:00' })).code).toBe('INVALID_OPERATION');
      });
    });

    describe('transfer_to_agent', () => {
      it('support: works unverified, reveals nothing, records reason/summary/priority/queue; a retry returns the same handoff', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-handoff');
        const summary = 'Customer cannot pass verification; says her card ending 4821 was stolen. Email sarah.johnson@email.com, phone +1 415 555 1234.';
        const r = await mcp.call('transfer_to_agent', { reason: 'cannot_verify', summary, priority: 'high', queue: 'cards', customer_id: 'CUST-001' });
        const d = dataOf<Obj>(r);
        expect(d).toMatchObject({ already_requested: false, queue_position: expect.any(Number), handoff: { status: 'open', reason: 'cannot_verify', priority: 'high', queue: 'cards' } });
        expect(d.queue_position).toBeGreaterThanOrEqual(1);
        expect(d.message_for_customer).toMatch(/card services team/);
        // nothing about any customer in the answer
        expect(textOf(r)).not.toMatch(/Sarah|Johnson|sarah\.johnson|4155551234|12450|CUST-001|4821/);
        const stored = await repo.getHandoff(d.handoff.id);
        expect(stored).toMatchObject({ conversation_id: 'desk-handoff', principal: STDIO_PRINCIPAL.id, customer_id: 'CUST-001', customer_verified: false, summary });

        const retry = dataOf<Obj>(await mcp.call('transfer_to_agent', { reason: 'customer_request', summary: 'again' }));
        expect(retry).toMatchObject({ already_requested: true, handoff: { id: d.handoff.id, reason: 'cannot_verify' } });

        // a second conversation waits behind it in the same queue
        const other = await session('support', 'desk-handoff-2');
        const second = dataOf<Obj>(await other.call('transfer_to_agent', { reason: 'customer_request', summary: 'Wants a person.', queue: 'cards' }));
        expect(second.queue_position).toBe(d.queue_position + 1);

        expect(errorOf(await mcp.call('transfer_to_agent', { reason: 'other', summary: '' })).code).toBe('VALIDATION_FAILED');

        // the summary is free text: redacted in the audit trail like other free text
        const rows = await waitForAudit(repo, 'desk-handoff', 2);
        const first = rows.find((e) => e.tool === 'transfer_to_agent')!;
        const audited = JSON.stringify(first.args);
        expect(audited).not.toMatch(/sarah\.johnson@email\.com|415 555 1234|\b4821\b/);
        expect(audited).toMatch(/s\*\*\*@email\.com/);
      });

      it('a verified customer is recorded as verified; an accepted handoff is position 0', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-handoff-bank');
        await verify('CUST-005', 'desk-handoff-bank');
        const d = bankOk(await mcp.call('transfer_to_agent', { reason: 'fraud_or_security', summary: 'Unknown charges on the credit card.', customerId: 'CUST-005' }));
        expect(d).toMatchObject({ status: 'open', queue: 'fraud', priority: 'urgent', existing: false });
        expect(await repo.getHandoff(d.handoffId)).toMatchObject({ customer_id: 'CUST-005', customer_verified: true });
        await repo.setHandoffStatus(d.handoffId, 'accepted');
        const again = bankOk(await mcp.call('transfer_to_agent', { reason: 'fraud_or_security', summary: 'Still waiting.' }));
        expect(again).toMatchObject({ handoffId: d.handoffId, status: 'accepted', queuePosition: 0, existing: true });
        expect(again.message).toMatch(/picked up/);
        expect(bankFail(await mcp.call('transfer_to_agent', { reason: 'other', summary: '   ' })).code).toBe('INVALID_PARAMETERS');
      });

      it('race: 50 concurrent transfer_to_agent calls in one conversation open one handoff', async () => {
        repo = await backend.fresh();
        const mcp = await session('support', 'desk-handoff-race');
        const data = (await Promise.all(Array.from({ length: 50 }, () => mcp.call('transfer_to_agent', { reason: 'customer_request', summary: 'Wants a person.' })))).map((r) => dataOf<Obj>(r));
        expect(new Set(data.map((d) => d.handoff.id)).size).toBe(1);
        expect(data.filter((d) => !d.already_requested)).toHaveLength(1);
        expect((await repo.listHandoffs({ limit: 1000 })).filter((h) => h.conversation_id === 'desk-handoff-race')).toHaveLength(1);
        RACES.push(`[${name}] 50 concurrent transfer_to_agent (one conversation): ${data.filter((d) => !d.already_requested).length} handoff created, ${data.filter((d) => d.already_requested).length} retries returned it`);
      });
    });

    describe('replay of a banking conversation', () => {
      it('verify → check balance → see the transactions → block the card → transfer to an agent', async () => {
        repo = await backend.fresh();
        const mcp = await session('banking', 'desk-replay');
        const transcript: string[] = [];
        const step = async (say: string, tool: string, args: Obj): Promise<Obj> => {
          const r = await mcp.call(tool, args);
          transcript.push(`Customer/agent: ${say}`, `  → ${tool} ${JSON.stringify(args)}`, `  ← ${textOf(r).replace(/"toolCallId":"[^"]+"/, '"toolCallId":"…"').replace(/"executionTime":[\d.]+/, '"executionTime":…')}`);
          return JSON.parse(textOf(r)) as Obj;
        };
        const found = await step('"Hi, this is Sarah Johnson, my number is +1 415 555 1234. My card was stolen."', 'lookup_customer', { phone: '+14155551234' });
        expect(found.data).toMatchObject({ id: 'CUST-001', verificationRequired: true });
        const early = await step('(the agent tries the balance before verification)', 'check_account_balance', { customerId: 'CUST-001' });
        expect(early.error.code).toBe('AUTH_REQUIRED');
        const verified = await step('"Born 15 March 1985, postcode 10001, phone ends 1234."', 'verify_customer_identity', {
          customerId: 'CUST-001', method: 'kba', conversationId: 'desk-replay', dateOfBirth: '1985-03-15', postcode: '10001', phoneLast4: '1234',
        });
        expect(verified.data.status).toBe('verified');
        const balance = await step('"What\'s my balance, and which cards do I have?"', 'check_account_balance', { customerId: 'CUST-001' });
        expect(balance.data).toMatchObject({ balance: 12450.32, cards: [{ last4: '4821', status: 'active' }, { last4: '7730', status: 'blocked' }] });
        const history = await step('"There is a charge from StreamPlus I don\'t recognise."', 'check_transaction_history', { customerId: 'CUST-001', query: 'streamplus', limit: 5 });
        expect(history.data.transactions).toEqual([expect.objectContaining({ amount: -89.99, merchant: 'StreamPlus' })]);
        const blocked = await step('"Please block the card ending 4821, it was stolen."', 'block_card', { customerId: 'CUST-001', cardLast4: '4821', reason: 'stolen' });
        expect(blocked.data).toMatchObject({ id: 'CARD-001-1', status: 'blocked', blockReason: 'stolen', changed: true });
        const handoff = await step('"I want to speak to someone about the charge."', 'transfer_to_agent', {
          reason: 'fraud_or_security', customerId: 'CUST-001',
          summary: 'Verified customer (KBA). Card ending 4821 reported stolen and blocked. Disputes a StreamPlus charge of 89.99 USD on checking; wants to talk to someone.',
        });
        expect(handoff.data).toMatchObject({ status: 'open', queue: 'fraud', priority: 'urgent', existing: false, queuePosition: 1 });
        expect(await repo.getHandoff(handoff.data.handoffId)).toMatchObject({ customer_id: 'CUST-001', customer_verified: true });
        expect((await repo.getCard('CARD-001-1'))?.status).toBe('blocked');
        if (process.env.DESK_REPORT) await writeFile(`${process.env.DESK_REPORT}.${name}.replay.txt`, `${transcript.join('\n')}\n`);
      });
    });

    describe('read-only selection', () => {
      it('hides every new writing tool except transfer_to_agent (a person stays reachable)', async () => {
        repo = await backend.fresh();
        for (const [profile, kept, hidden] of [
          ['support', ['list_cards', 'list_transactions', 'transfer_to_agent'], ['block_card', 'unblock_card', 'update_preferences', 'schedule_callback', 'cancel_callback']],
          ['banking', ['check_transaction_history', 'transfer_to_agent'], ['block_card', 'unblock_card', 'update_customer_preferences', 'schedule_callback']],
        ] as const) {
          const mcp = await connect(repo, { profiles: [profile], readOnly: true, policy: VERIFIED });
          open.push(mcp);
          const names = (await mcp.client.listTools()).tools.map((t) => t.name);
          for (const n of kept) expect(names, profile).toContain(n);
          for (const n of hidden) expect(names, profile).not.toContain(n);
        }
      });
    });

    afterAll(async () => {
      if (process.env.DESK_REPORT) await writeFile(`${process.env.DESK_REPORT}.${name}.races.txt`, `${RACES.join('\n')}\n`);
    });
  });
}

