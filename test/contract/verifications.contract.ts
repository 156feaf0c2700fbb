// The identity-verification part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Verification, type NewVerification } from '../../src/domain/index.js';
import { NotFoundError, RepositoryError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { MINUTE, PRINCIPAL, expectRecent, expectRejects, expectShape, key, newVerification, uid, type ContractSuite } from './kit.js';

export function describeVerificationContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

  describe('verifications', () => {
    it('createVerification: pending, 0 attempts, not verified, created now', async () => {
      const before = Date.now();
      const input = newVerification({ method: 'kba', code_hash: null, delivered_to: null });
      const v = await repo.createVerification(input);
      expectShape(Verification, v, 'verification');
      expect(v).toMatchObject({ ...input, status: 'pending', attempts: 0, verified_at: null });
      expectRecent(v.created_at, before, 'created_at');
      expect(await repo.getVerification(input.id)).toEqual(v);
      expect(await repo.getVerification(uid('ver_missing'))).toBeNull();
    });

    it('wrong answers count until the verification locks at max_attempts', async () => {
      const t0 = Date.now();
      const v = await repo.createVerification(newVerification({ max_attempts: 3, expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
      const now = new Date(t0 + MINUTE);
      const a1 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
      expect(a1.outcome).toBe('failed');
      expectShape(Verification, a1.verification, 'verification');
      expect(a1.verification).toMatchObject({ status: 'pending', attempts: 1, verified_at: null });
      const a2 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
      expect(a2.outcome).toBe('failed');
      expect(a2.verification).toMatchObject({ status: 'pending', attempts: 2 });
      const a3 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
      expect(a3.outcome).toBe('failed');
      expect(a3.verification).toMatchObject({ status: 'failed', attempts: 3 });
      // Locked: neither a wrong nor a right answer is counted any more.
      const a4 = await repo.attemptVerification(v.id, { matched: false, now, verifiedTtlMs: 15 * MINUTE });
      expect(a4.outcome).toBe('locked');
      expect(a4.verification).toMatchObject({ status: 'failed', attempts: 3 });
      const a5 = await repo.attemptVerification(v.id, { matched: true, now, verifiedTtlMs: 15 * MINUTE });
      expect(a5.outcome).toBe('locked');
      expect(await repo.getVerification(v.id)).toMatchObject({ status: 'failed', attempts: 3, verified_at: null });
    });

    it('a pending verification past expires_at becomes expired (persisted), without counting', async () => {
      const t0 = Date.now();
      const v = await repo.createVerification(newVerification({ expires_at: new Date(t0 + 5 * MINUTE).toISOString() }));
      const late = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0 + 6 * MINUTE), verifiedTtlMs: MINUTE });
      expect(late.outcome).toBe('expired');
      expect(late.verification).toMatchObject({ status: 'expired', attempts: 0, verified_at: null });
      expect(await repo.getVerification(v.id)).toMatchObject({ status: 'expired', attempts: 0 });
      // Once expired it stays expired, even for a "now" before the old expiry.
      const again = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0), verifiedTtlMs: MINUTE });
      expect(again.outcome).toBe('expired');
      expect(again.verification).toMatchObject({ status: 'expired', attempts: 0 });
    });

    it('expires_at equal to now counts as expired', async () => {
      const expires = new Date(Date.now() + 5 * MINUTE);
      const v = await repo.createVerification(newVerification({ expires_at: expires.toISOString() }));
      const r = await repo.attemptVerification(v.id, { matched: true, now: new Date(expires.getTime()), verifiedTtlMs: MINUTE });
      expect(r.outcome).toBe('expired');
      expect((await repo.getVerification(v.id))?.status).toBe('expired');
    });

    it('a right answer verifies: verified_at = now, expires_at = now + verifiedTtlMs; then not_pending', async () => {
      const t0 = Date.now();
      const v = await repo.createVerification(newVerification({ expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
      await repo.attemptVerification(v.id, { matched: false, now: new Date(t0 + MINUTE), verifiedTtlMs: 15 * MINUTE });
      const now = new Date(t0 + 2 * MINUTE);
      const ok = await repo.attemptVerification(v.id, { matched: true, now, verifiedTtlMs: 15 * MINUTE });
      expect(ok.outcome).toBe('verified');
      expectShape(Verification, ok.verification, 'verification');
      expect(ok.verification).toMatchObject({
        status: 'verified', attempts: 2, verified_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 15 * MINUTE).toISOString(),
      });
      expect(await repo.getVerification(v.id)).toEqual(ok.verification);
      const after = await repo.attemptVerification(v.id, { matched: true, now: new Date(t0 + 3 * MINUTE), verifiedTtlMs: 15 * MINUTE });
      expect(after.outcome).toBe('not_pending');
      expect(after.verification).toEqual(ok.verification);
    });

    it('attempt and findActiveVerification default now to the current time', async () => {
      const v = await repo.createVerification(newVerification());
      const before = Date.now();
      const ok = await repo.attemptVerification(v.id, { matched: true, verifiedTtlMs: 15 * MINUTE });
      expect(ok.outcome).toBe('verified');
      expectRecent(ok.verification.verified_at, before, 'verified_at');
      expect((await repo.findActiveVerification(v.customer_id, key(v.conversation_id)))?.id).toBe(v.id);
    });

    it("attemptVerification throws NotFoundError for an unknown id", async () => {
      const id = uid('ver_missing');
      await expectRejects(repo.attemptVerification(id, { matched: true, verifiedTtlMs: MINUTE }), NotFoundError, { id });
    });

    it('findActiveVerification: only verified, same customer and conversation, before expiry', async () => {
      const t0 = Date.now();
      const conv = uid('conv');
      const v = await repo.createVerification(newVerification({ conversation_id: conv, expires_at: new Date(t0 + 10 * MINUTE).toISOString() }));
      // Still pending: not active.
      expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + MINUTE))).toBeNull();
      const verifiedAt = new Date(t0 + MINUTE);
      await repo.attemptVerification(v.id, { matched: true, now: verifiedAt, verifiedTtlMs: 15 * MINUTE });
      const expiresAt = verifiedAt.getTime() + 15 * MINUTE;

      const found = await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 2 * MINUTE));
      expectShape(Verification, found, 'verification');
      expect(found?.id).toBe(v.id);
      expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt - 1)))?.id).toBe(v.id);
      expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt))).toBeNull();
      expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(expiresAt + MINUTE))).toBeNull();
      expect(await repo.findActiveVerification(IDS.alice, key(uid('conv_other')), new Date(t0 + 2 * MINUTE))).toBeNull();
      expect(await repo.findActiveVerification(IDS.bob, key(conv), new Date(t0 + 2 * MINUTE))).toBeNull();
    });

    it('verifications are found only through the principal that created them', async () => {
      const t0 = Date.now();
      const conv = uid('conv');
      const v = await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:a', method: 'kba' }));
      expect(v.principal).toBe('token:a');
      expect((await repo.getVerification(v.id))?.principal).toBe('token:a');
      await repo.attemptVerification(v.id, { matched: true, now: new Date(t0), verifiedTtlMs: 15 * MINUTE });
      const at = new Date(t0 + MINUTE);
      expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:a'), at))?.id).toBe(v.id);
      // The same conversation id presented by another principal finds nothing.
      expect(await repo.findActiveVerification(IDS.alice, key(conv, 'token:b'), at)).toBeNull();
      expect((await repo.findLatestVerification(IDS.alice, key(conv, 'token:a'), 'kba'))?.id).toBe(v.id);
      expect(await repo.findLatestVerification(IDS.alice, key(conv, 'token:b'), 'kba')).toBeNull();
      // Another principal's verification in the same conversation id does not hide or replace the first.
      const other = await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:b', method: 'kba' }));
      await repo.attemptVerification(other.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: 15 * MINUTE });
      expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:a'), new Date(t0 + 3 * MINUTE)))?.id).toBe(v.id);
      expect((await repo.findActiveVerification(IDS.alice, key(conv, 'token:b'), new Date(t0 + 3 * MINUTE)))?.id).toBe(other.id);
    });

    it('conversationHasOtherPrincipal: true only when another principal has a verification in that conversation id', async () => {
      const conv = uid('conv');
      expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(false);
      await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:a' }));
      expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(false);
      expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:b'))).toBe(true);
      expect(await repo.conversationHasOtherPrincipal(key(uid('conv_other'), 'token:b'))).toBe(false);
      // Any status counts: a pending challenge already makes the conversation someone's.
      await repo.createVerification(newVerification({ conversation_id: conv, principal: 'token:b', customer_id: IDS.bob }));
      expect(await repo.conversationHasOtherPrincipal(key(conv, 'token:a'))).toBe(true);
    });

    it('createVerification refuses an empty principal', async () => {
      await expectRejects(repo.createVerification(newVerification({ principal: '' })), RepositoryError);
    });

    it('findActiveVerification: failed, expired and locked verifications are never active', async () => {
      const t0 = Date.now();
      const conv = uid('conv');
      const locked = await repo.createVerification(newVerification({ conversation_id: conv, max_attempts: 1 }));
      await repo.attemptVerification(locked.id, { matched: false, now: new Date(t0), verifiedTtlMs: MINUTE });
      const expired = await repo.createVerification(newVerification({ conversation_id: conv, expires_at: new Date(t0 + MINUTE).toISOString() }));
      await repo.attemptVerification(expired.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: MINUTE });
      expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 3 * MINUTE))).toBeNull();
    });

    it('findActiveVerification: the newest verified_at wins', async () => {
      const t0 = Date.now();
      const conv = uid('conv');
      const a = await repo.createVerification(newVerification({ conversation_id: conv }));
      const b = await repo.createVerification(newVerification({ conversation_id: conv }));
      // a: verified first with a long TTL; b: verified later with a short TTL.
      await repo.attemptVerification(a.id, { matched: true, now: new Date(t0 + MINUTE), verifiedTtlMs: 60 * MINUTE });
      await repo.attemptVerification(b.id, { matched: true, now: new Date(t0 + 2 * MINUTE), verifiedTtlMs: 15 * MINUTE });
      expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 3 * MINUTE)))?.id).toBe(b.id);
      // Once b has expired, a is still active.
      expect((await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 20 * MINUTE)))?.id).toBe(a.id);
      expect(await repo.findActiveVerification(IDS.alice, key(conv), new Date(t0 + 62 * MINUTE))).toBeNull();
    });
  });

  describe('latest verification', () => {
    const verification = (overrides: Partial<NewVerification> = {}): NewVerification => ({
      id: uid('ver'),
      customer_id: IDS.alice,
      conversation_id: uid('conv'),
      principal: PRINCIPAL,
      method: 'otp',
      code_hash: null,
      delivered_to: null,
      max_attempts: 5,
      expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
      ...overrides,
    });

    it('findLatestVerification: newest of that customer, conversation and method, any status', async () => {
      const conv = uid('conv');
      expect(await repo.findLatestVerification(IDS.alice, key(conv), 'kba')).toBeNull();
      const first = await repo.createVerification(verification({ conversation_id: conv, method: 'kba', max_attempts: 1 }));
      await repo.attemptVerification(first.id, { matched: false, verifiedTtlMs: MINUTE }); // failed (locked)
      expect(await repo.findLatestVerification(IDS.alice, key(conv), 'kba')).toEqual(await repo.getVerification(first.id));
      expect((await repo.findLatestVerification(IDS.alice, key(conv), 'kba'))?.status).toBe('failed');
      await new Promise((r) => setTimeout(r, 5)); // a later created_at
      const second = await repo.createVerification(verification({ conversation_id: conv, method: 'kba' }));
      const otp = await repo.createVerification(verification({ conversation_id: conv, method: 'otp' }));
      expect((await repo.findLatestVerification(IDS.alice, key(conv), 'kba'))?.id).toBe(second.id);
      expect((await repo.findLatestVerification(IDS.alice, key(conv), 'otp'))?.id).toBe(otp.id);
      expect(await repo.findLatestVerification(IDS.bob, key(conv), 'kba')).toBeNull();
      expect(await repo.findLatestVerification(IDS.alice, key(uid('conv_other')), 'kba')).toBeNull();
    });
  });
}
