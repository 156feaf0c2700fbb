// One-time codes and knowledge-based answers under attack: brute force (sequential and
// concurrent), expiry, codes of another challenge, another customer or another conversation.
import { afterEach, describe, expect, it } from 'vitest';
import type { SupportRepository } from '../../src/repository/types.js';
import {
  codeFor, errOf, okOf, openSession, outbox, securePolicy, sleep, verifyStatus, wrongCode,
  type BackendRef, type Session,
} from './kit.js';

const JANE = 'CUST-20003'; // jane.smith@acme.com, +1 (408) 555-0176, 1984-11-05, 95113
const SARAH_JONES = 'CUST-20001'; // sarah.jones@email.com

export function describeOtp(backend: BackendRef): void {
  describe('verify_identity: OTP and KBA attempts', () => {
    let repo: SupportRepository;
    const sessions: Session[] = [];
    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
    });
    const open = async (conversationId: string, verification: NonNullable<Parameters<typeof securePolicy>[0]>['verification'] = {}): Promise<Session> => {
      const s = await openSession(repo, { conversationId, policy: securePolicy({ verification }) });
      sessions.push(s);
      return s;
    };
    const start = async (s: Session, customerId: string, channel: 'email' | 'sms' = 'email'): Promise<string> => {
      const body = okOf(await s.call('verify_identity', { customer_id: customerId, method: 'otp', channel }));
      expect(body.status).toBe('pending');
      expect(typeof body.verification_id).toBe('string');
      expect(Date.parse(String(body.expires_at))).toBeGreaterThan(Date.now());
      return String(body.verification_id);
    };
    const answer = (s: Session, customerId: string, verificationId: string, code: string) =>
      s.call('verify_identity', { customer_id: customerId, method: 'otp', verification_id: verificationId, code });
    const locked = async (s: Session, customerId: string): Promise<void> => {
      expect(errOf(await s.call('get_subscription', { customer_id: customerId })).code).toBe('AUTH_REQUIRED');
    };

    it('delivers the code to the masked contact on file, stores no plain code, and verifies with it', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-happy');
      const sms = okOf(await s.call('verify_identity', { customer_id: JANE, method: 'otp', channel: 'sms' }));
      expect(sms).toMatchObject({ status: 'pending', delivered_to: '***-***-0176' });
      const mail = okOf(await s.call('verify_identity', { customer_id: JANE, method: 'otp', channel: 'email' }));
      expect(mail).toMatchObject({ status: 'pending', delivered_to: 'j***@acme.com' });
      const msgs = (await outbox(repo)).filter((m) => m.customer_id === JANE);
      expect(msgs.map((m) => [m.channel, m.destination])).toEqual([['sms', '+1 (408) 555-0176'], ['email', 'jane.smith@acme.com']]);
      const code = await codeFor(repo, String(mail.verification_id));
      const stored = await repo.getVerification(String(mail.verification_id));
      expect(JSON.stringify(stored)).not.toContain(code); // only a keyed hash is kept
      await locked(s, JANE);
      const wrong = okOf(await answer(s, JANE, String(mail.verification_id), wrongCode(code)));
      expect(wrong).toMatchObject({ status: 'failed', attempts_left: 4 });
      const ok = okOf(await answer(s, JANE, String(mail.verification_id), code));
      expect(ok.status).toBe('verified');
      expect(okOf(await s.call('get_subscription', { customer_id: JANE })).subscription.id).toBe('SUB-7890');
    });

    it('5 wrong codes lock the challenge; the 6th attempt fails even with the right code', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-brute');
      const id = await start(s, JANE);
      const code = await codeFor(repo, id);
      const left: unknown[] = [];
      for (let k = 1; k <= 5; k++) {
        const r = await answer(s, JANE, id, wrongCode(code, k));
        expect(verifyStatus(r)).not.toBe('verified');
        if (!r.isError) left.push(okOf(r).attempts_left);
      }
      expect(left).toEqual([4, 3, 2, 1, 0]);
      const sixth = await answer(s, JANE, id, code);
      expect(verifyStatus(sixth)).toBe('locked');
      const v = await repo.getVerification(id);
      expect(v).toMatchObject({ status: 'failed', attempts: 5, max_attempts: 5 });
      await locked(s, JANE);
    });

    it('honours policy.verification.maxAttempts', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-max2', { maxAttempts: 2 });
      const id = await start(s, JANE);
      const code = await codeFor(repo, id);
      expect(okOf(await answer(s, JANE, id, wrongCode(code, 1)))).toMatchObject({ status: 'failed', attempts_left: 1 });
      const second = okOf(await answer(s, JANE, id, wrongCode(code, 2)));
      expect(second.attempts_left).toBe(0);
      expect(['failed', 'locked']).toContain(second.status);
      expect(verifyStatus(await answer(s, JANE, id, code))).not.toBe('verified');
      await locked(s, JANE);
    });

    it('concurrent wrong attempts never exceed the limit', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-burst');
      const id = await start(s, JANE);
      const code = await codeFor(repo, id);
      const results = await Promise.all(Array.from({ length: 20 }, (_, k) => answer(s, JANE, id, wrongCode(code, k + 1))));
      expect(results.map(verifyStatus)).not.toContain('verified');
      // Each counted attempt reports its own remaining count exactly once: no lost or double counts.
      const counted = results.filter((r) => !r.isError).map((r) => okOf(r).attempts_left).filter((n) => typeof n === 'number' && n > 0);
      expect(counted.sort()).toEqual([1, 2, 3, 4]);
      expect(await repo.getVerification(id)).toMatchObject({ status: 'failed', attempts: 5 });
      expect(verifyStatus(await answer(s, JANE, id, code))).not.toBe('verified');
      await locked(s, JANE);
    });

    it('concurrent right and wrong answers: at most maxAttempts are counted, the challenge is settled once', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-race');
      const id = await start(s, JANE);
      const code = await codeFor(repo, id);
      const tries = Array.from({ length: 12 }, (_, k) => (k === 6 ? code : wrongCode(code, k + 1)));
      const results = await Promise.all(tries.map((c) => answer(s, JANE, id, c)));
      const v = (await repo.getVerification(id))!;
      expect(v.attempts).toBeLessThanOrEqual(5);
      // Verified only when the right code was counted before the lock; never both states.
      if (results.map(verifyStatus).includes('verified')) {
        expect(v.status).toBe('verified');
      } else {
        expect(v.status).toBe('failed');
        await locked(s, JANE);
      }
    });

    it('an expired code fails', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-expired', { challengeTtlMs: 300 });
      const id = await start(s, JANE);
      const code = await codeFor(repo, id);
      await sleep(700);
      const r = await answer(s, JANE, id, code);
      expect(verifyStatus(r)).toBe('expired');
      expect((await repo.getVerification(id))!.status).not.toBe('verified');
      await locked(s, JANE);
    });

    it('a code from another verification_id fails; a mismatched customer_id verifies nobody', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-swap');
      const victim = await start(s, JANE);
      const own = await start(s, SARAH_JONES); // the attacker's own account: its code is known
      const ownCode = await codeFor(repo, own);
      const victimCode = await codeFor(repo, victim);
      expect(ownCode).not.toBe(victimCode); // two random codes; 1 in a million flake, never silent
      expect(verifyStatus(await answer(s, JANE, victim, ownCode))).not.toBe('verified');
      // The attacker's own challenge, claimed for the victim.
      expect(verifyStatus(await answer(s, JANE, own, ownCode))).not.toBe('verified');
      await locked(s, JANE);
      // The victim's code (say, read off her screen) presented for the attacker's customer id.
      expect(verifyStatus(await answer(s, SARAH_JONES, victim, victimCode))).not.toBe('verified');
      await locked(s, SARAH_JONES);
      // Garbage ids.
      for (const bad of ['x', "' OR '1'='1", '00000000-0000-0000-0000-000000000000']) {
        expect(verifyStatus(await answer(s, JANE, bad, victimCode))).not.toBe('verified');
      }
      await locked(s, JANE);
      // Sanity: the attacker's own challenge still verifies the attacker's own account.
      expect(verifyStatus(await answer(s, SARAH_JONES, own, ownCode))).toBe('verified');
      expect(okOf(await s.call('get_subscription', { customer_id: SARAH_JONES })).subscription.customer_id).toBe(SARAH_JONES);
      await locked(s, JANE);
    });

    it('a code used once cannot verify another conversation', async () => {
      repo = await backend().fresh();
      const x = await open('sec-otp-owner');
      const y = await open('sec-otp-thief');
      const id = await start(x, JANE);
      const code = await codeFor(repo, id);
      // The thief has both the verification id and the code: answering in Y must not unlock Y.
      // Another conversation's challenge is not found from Y, and the answer is not counted.
      const r = await answer(y, JANE, id, code);
      expect(verifyStatus(r)).toBe('error:NOT_FOUND');
      await locked(y, JANE);
      // The owner's challenge is untouched: the same code still verifies in X, and only there.
      expect(verifyStatus(await answer(x, JANE, id, code))).toBe('verified');
      expect(okOf(await x.call('get_subscription', { customer_id: JANE })).subscription.id).toBe('SUB-7890');
      await locked(y, JANE);
    });

    it('KBA: right answers verify; wrong ones count toward the same limit; partial answers never verify', async () => {
      repo = await backend().fresh();
      const good = { date_of_birth: '1984-11-05', postcode: '95113', phone_last4: '0176' };
      const owner = await open('sec-kba-owner');
      expect(okOf(await owner.call('verify_identity', { customer_id: JANE, method: 'kba', ...good })).status).toBe('verified');
      expect(okOf(await owner.call('get_subscription', { customer_id: JANE })).subscription.id).toBe('SUB-7890');

      const s = await open('sec-kba-guess');
      for (const partial of [{ postcode: '95113' }, { phone_last4: '0176' }, { date_of_birth: '1984-11-05' }, { postcode: '95113', phone_last4: '0176' }]) {
        expect(verifyStatus(await s.call('verify_identity', { customer_id: JANE, method: 'kba', ...partial }))).not.toBe('verified');
      }
      await locked(s, JANE);
      const t = await open('sec-kba-brute');
      const wrong = [
        { ...good, date_of_birth: '1984-11-06' }, { ...good, postcode: '95114' }, { ...good, phone_last4: '0177' },
        { ...good, date_of_birth: '1948-11-05' }, { ...good, postcode: '95131' },
      ];
      for (const w of wrong) {
        expect(verifyStatus(await t.call('verify_identity', { customer_id: JANE, method: 'kba', ...w }))).not.toBe('verified');
      }
      expect(verifyStatus(await t.call('verify_identity', { customer_id: JANE, method: 'kba', ...good }))).not.toBe('verified');
      await locked(t, JANE);
    });

    it('biometric is refused, not pretended', async () => {
      repo = await backend().fresh();
      const s = await open('sec-otp-bio');
      const e = errOf(await s.call('verify_identity', { customer_id: JANE, method: 'biometric' }));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toMatch(/biometric/i);
      await locked(s, JANE);
    });
  });
}
