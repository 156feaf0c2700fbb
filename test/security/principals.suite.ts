// Conversations belong to the principal that verified in them (issue: a verified conversation
// must belong to whoever verified it). Two principals on one hub (one process) and on two hubs
// (two replicas) over the same repository: the one that did not verify gets nothing out of
// the other's conversation id, and the attempt is audited without the id in clear. The HTTP
// transports (session ids, tokens) are covered end to end in principal-binding.e2e.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { idFingerprint, tokenPrincipal } from '../../src/domain/principal.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ServiceHub } from '../../src/services/hub.js';
import {
  auditOf, codeFor, codeOf, errOf, okOf, openSession, securePolicy, verifyByOtp, type BackendRef, type Session,
} from './kit.js';

const ALICE = tokenPrincipal('alice-app');
const MALLORY = tokenPrincipal('mallory');
const JANE = 'CUST-20003';
const SARAH = 'CUST-001'; // banking: cards and transactions

export function describePrincipals(backend: BackendRef): void {
  describe('conversations bound to their principal', () => {
    const sessions: Session[] = [];
    const hubs: ServiceHub[] = [];
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
      for (const h of hubs.splice(0)) await h.audit?.close();
    });
    const hubOn = (repo: SupportRepository, stateless: boolean): ServiceHub => {
      const hub = new ServiceHub({ repo, policy: securePolicy(), conversationArgument: stateless });
      hubs.push(hub);
      return hub;
    };
    const open = async (repo: SupportRepository, hub: ServiceHub, principal = ALICE, conversationId = 'bound-conversation', stateless = false) => {
      const s = await openSession(repo, { conversationId, policy: securePolicy(), hub, principal, stateless });
      sessions.push(s);
      return s;
    };

    it('the same conversation id under another principal unlocks nothing, on the same process and on another replica', async () => {
      const repo = await backend().fresh();
      const hub = hubOn(repo, false);
      const alice = await open(repo, hub);
      await verifyByOtp(alice, repo, JANE);
      expect(codeOf(await alice.call('get_subscription', { customer_id: JANE }))).toBe('ok');
      for (const mallory of [await open(repo, hub, MALLORY), await open(repo, hubOn(repo, false), MALLORY)]) {
        expect(errOf(await mallory.call('get_subscription', { customer_id: JANE })).code).toBe('AUTH_REQUIRED');
        expect(errOf(await mallory.call('list_orders', { customer_id: JANE })).code).toBe('AUTH_REQUIRED');
        expect(okOf(await mallory.call('find_customer', { customer_id: JANE })).verification_required).toBe(true);
        // starting or answering a challenge inside the conversation is refused as well
        expect(errOf(await mallory.call('verify_identity', { customer_id: JANE, method: 'otp' })).code).toBe('AUTH_REQUIRED');
      }
      // the same principal on another replica keeps the conversation
      const aliceElsewhere = await open(repo, hubOn(repo, false));
      expect(codeOf(await aliceElsewhere.call('get_subscription', { customer_id: JANE }))).toBe('ok');
      expect(codeOf(await alice.call('list_orders', { customer_id: JANE }))).toBe('ok');
    });

    it('refused attempts are audited as PRINCIPAL_MISMATCH under the refused principal, with the id fingerprinted', async () => {
      const repo = await backend().fresh();
      const hub = hubOn(repo, false);
      const conversation = `bound-${Math.random().toString(36).slice(2)}`;
      const alice = await open(repo, hub, ALICE, conversation);
      await verifyByOtp(alice, repo, JANE);
      const mallory = await open(repo, hub, MALLORY, conversation);
      await mallory.call('get_subscription', { customer_id: JANE });
      await mallory.call('verify_identity', { customer_id: JANE, method: 'otp' });
      await hub.audit?.flush();
      const refused = await auditOf(repo, idFingerprint(conversation));
      expect(refused.map((e) => [e.tool, e.principal, e.error_code, e.outcome])).toEqual([
        ['get_subscription', MALLORY.id, 'PRINCIPAL_MISMATCH', 'error'],
        ['verify_identity', MALLORY.id, 'PRINCIPAL_MISMATCH', 'error'],
      ]);
      // Alice's own entries keep the conversation id and her principal; no entry of Mallory's has it
      const own = await auditOf(repo, conversation);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(new Set(own.map((e) => e.principal))).toEqual(new Set([ALICE.id]));
    });

    it('a verification started by one principal cannot be answered by another, even with the right code', async () => {
      const repo = await backend().fresh();
      const hub = hubOn(repo, true);
      const alice = await open(repo, hub, ALICE, 'request-1', true);
      const started = okOf(await alice.call('verify_identity', { customer_id: JANE, method: 'otp' }));
      const conversation = String(started.conversation_id);
      const code = await codeFor(repo, String(started.verification_id));
      const mallory = await open(repo, hub, MALLORY, 'request-2', true);
      const answer = await mallory.call('verify_identity', {
        customer_id: JANE, method: 'otp', verification_id: started.verification_id, code, conversation_id: conversation,
      });
      expect(errOf(answer).code).toBe('AUTH_REQUIRED');
      expect(errOf(await mallory.call('get_subscription', { customer_id: JANE, conversation_id: conversation })).code).toBe('AUTH_REQUIRED');
      // the challenge is untouched: its owner answers it with the same code
      const done = okOf(await alice.call('verify_identity', {
        customer_id: JANE, method: 'otp', verification_id: started.verification_id, code, conversation_id: conversation,
      }));
      expect(done.status).toBe('verified');
      expect(codeOf(await alice.call('get_subscription', { customer_id: JANE, conversation_id: conversation }))).toBe('ok');
    });

    it('the desk and commerce tools refuse another principal presenting the conversation, and serve its owner', async () => {
      const repo = await backend().fresh();
      const hub = hubOn(repo, false);
      const conversation = `bound-desk-${Math.random().toString(36).slice(2)}`;
      const alice = await open(repo, hub, ALICE, conversation);
      await verifyByOtp(alice, repo, SARAH);
      const mallory = await open(repo, hubOn(repo, false), MALLORY, conversation);
      const calls: [string, Record<string, unknown>][] = [
        ['list_cards', { customer_id: SARAH }],
        ['list_transactions', { customer_id: SARAH }],
        ['block_card', { card_id: 'CARD-001-1', reason: 'stolen' }],
        ['update_preferences', { customer_id: SARAH, language: 'fr' }],
        ['get_statement', { customer_id: SARAH }],
      ];
      for (const [tool, args] of calls) {
        expect(errOf(await mallory.call(tool, args)).code, tool).toBe('AUTH_REQUIRED');
      }
      // nothing changed for the owner: her card is still active and she can read it
      const cards = okOf(await alice.call('list_cards', { customer_id: SARAH })).cards as { id: string; status: string }[];
      expect(cards.find((c) => c.id === 'CARD-001-1')?.status).toBe('active');
      expect(codeOf(await alice.call('list_transactions', { customer_id: SARAH }))).toBe('ok');
    });

    it('every audit entry records the principal (stdio: the process)', async () => {
      const repo = await backend().fresh();
      const hub = hubOn(repo, false);
      const conversation = `stdio-${Math.random().toString(36).slice(2)}`;
      const s = await openSession(repo, { conversationId: conversation, policy: securePolicy(), hub });
      sessions.push(s);
      await s.call('find_customer', { customer_id: JANE });
      await hub.audit?.flush();
      expect((await auditOf(repo, conversation)).map((e) => e.principal)).toEqual(['stdio']);
    });
  });
}
