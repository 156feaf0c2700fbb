// VerificationService without MCP: how codes are made, stored and compared, expiry with an
// injected clock, attempt counting and lock-out, KBA normalisation, and the rate-limit hook.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Spy on timingSafeEqual (the real one runs) to prove every comparison goes through it.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

import { timingSafeEqual } from 'node:crypto';
import { loadDataset, type Dataset } from '../repository/dataset.js';
import { FixtureRepository } from '../repository/fixtures/index.js';
import { Outbox } from './outbox.js';
import { DEFAULT_VERIFICATION, type VerificationConfig } from './policy.js';
import {
  digestsEqual, kbaFacts, keyedDigest, newOtpCode, newTimeOrderedId, normalizeKbaAnswers, normalizeOtpCode, outcomeError,
  VerificationService, type VerifyOutcome, type VerifyRequest,
} from './verification-service.js';

const SECRET = 'unit-test-secret-0123456789';
const CONFIG: VerificationConfig = { ...DEFAULT_VERIFICATION, secret: SECRET };
const SARAH = 'CUST-001'; // sarah.johnson@email.com, +14155551234, 1985-03-15, 10001
const SOPHIE = 'TEL-1001'; // postcode '1012 AB', phone +31 6 1234 5601, 1986-06-14

let dataset: Dataset;
let clock: Date;
let repo: FixtureRepository;

const service = (opts: { config?: Partial<VerificationConfig>; beforeAttempt?: (id: string) => Promise<void> } = {}) =>
  new VerificationService(repo, {
    config: { ...CONFIG, ...opts.config },
    now: () => clock,
    ...(opts.beforeAttempt ? { beforeAttempt: opts.beforeAttempt } : {}),
  });

const codeOf = async (verificationId: string): Promise<string> => {
  const m = (await repo.listOutbox({ limit: 1000 })).find((x) => x.verification_id === verificationId);
  if (!m?.code) throw new Error(`no code for ${verificationId}`);
  return m.code;
};
const otherCode = (code: string): string => (code === '000000' ? '000001' : '000000');
const advance = (ms: number): void => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  dataset = await loadDataset();
});
beforeEach(() => {
  repo = new FixtureRepository(dataset);
  clock = new Date('2025-03-01T10:00:00.000Z');
  vi.mocked(timingSafeEqual).mockClear();
});

describe('helpers', () => {
  it('codes are 6 digits from crypto.randomInt, leading zeros kept', () => {
    const codes = Array.from({ length: 300 }, newOtpCode);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(290);
  });
  it('verification ids are UUIDv7s that sort in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 50 }, () => newTimeOrderedId(1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    expect(newTimeOrderedId(1_700_000_000_000 - 5) > ids[49]!).toBe(true); // a clock step back never reorders
  });
  it('keyedDigest is HMAC-SHA256(secret, id:code) in hex, bound to the verification id and the secret', () => {
    const d = keyedDigest(SECRET, 'v1', '123456');
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedDigest(SECRET, 'v1', '123456')).toBe(d);
    expect(keyedDigest(SECRET, 'v2', '123456')).not.toBe(d);
    expect(keyedDigest('another-secret-abcdefgh', 'v1', '123456')).not.toBe(d);
  });
  it('digestsEqual compares with timingSafeEqual; malformed or different-length input is never equal', () => {
    const d = keyedDigest(SECRET, 'v1', '123456');
    expect(digestsEqual(d, d)).toBe(true);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(digestsEqual(d, keyedDigest(SECRET, 'v1', '123457'))).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    expect(digestsEqual(d, d.slice(0, 62))).toBe(false);
    expect(digestsEqual(d, `${d.slice(0, 62)}zz`)).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
  });
  it('normalises codes and KBA answers; malformed ones are VALIDATION_FAILED', () => {
    expect(normalizeOtpCode(' 123 456 ')).toBe('123456');
    expect(normalizeOtpCode('123-456')).toBe('123456');
    for (const bad of ['12345', '1234567', 'abcdef', "1' OR 1=1", '']) {
      expect(() => normalizeOtpCode(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(normalizeKbaAnswers({ date_of_birth: ' 1985/3/5 ', postcode: ' 1012 ab ', phone_last4: '56-01' }))
      .toEqual({ date_of_birth: '1985-03-05', postcode: '1012AB', phone_last4: '5601' });
    for (const bad of [{ date_of_birth: '15/03/1985' }, { date_of_birth: '1985-13-01' }, { phone_last4: '123' }, { phone_last4: '+14155551234' }, { postcode: '   ' }]) {
      expect(() => normalizeKbaAnswers(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    const sophie = dataset.customers.find((c) => c.id === SOPHIE)!;
    expect(kbaFacts(sophie)).toEqual({ date_of_birth: '1986-06-14', postcode: '1012AB', phone_last4: '5601' });
  });
});

describe('OTP', () => {
  it('start: pending for challengeTtlMs, code sent through the outbox, only its keyed hash stored', async () => {
    const svc = service();
    const o = await svc.verify({ customerId: ` ${SARAH} `, conversationId: 'c1', method: 'otp' });
    expect(o).toMatchObject({ status: 'pending', started: true, attemptsLeft: 5, deliveredTo: 's***@email.com', questions: null });
    const v = o.verification;
    expect(v).toMatchObject({ customer_id: SARAH, conversation_id: 'c1', method: 'otp', status: 'pending', max_attempts: 5, attempts: 0 });
    expect(Date.parse(v.expires_at) - clock.getTime()).toBe(DEFAULT_VERIFICATION.challengeTtlMs);
    const [m] = await repo.listOutbox();
    expect(m).toMatchObject({
      channel: 'email', destination: 'sarah.johnson@email.com', verification_id: v.id, customer_id: SARAH, expires_at: v.expires_at,
    });
    expect(m!.code).toMatch(/^\d{6}$/);
    // the message text carries a placeholder, never the code; the verification only the HMAC
    expect(m!.body).toContain('{code}');
    expect(m!.body).not.toContain(m!.code!);
    const stored = await repo.getVerification(v.id);
    expect(stored!.code_hash).toBe(keyedDigest(SECRET, v.id, m!.code!));
    expect(JSON.stringify(stored)).not.toContain(m!.code!);
    expect(JSON.stringify(o)).not.toContain(m!.code!);
  });

  it('sms goes to the phone (masked in the answer); a customer without a phone cannot get one', async () => {
    const o = await service().verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', channel: 'sms' });
    expect(o.deliveredTo).toBe('***-***-1234');
    expect((await repo.listOutbox())[0]).toMatchObject({ channel: 'sms', destination: '+14155551234' });
    const noPhone = structuredClone(dataset);
    noPhone.customers.find((c) => c.id === SARAH)!.phone = null;
    repo = new FixtureRepository(noPhone);
    await expect(service().verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', channel: 'sms' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'channel' }] } });
  });

  it('the right code verifies for verifiedTtlMs (compared with timingSafeEqual); then start reuses the verification', async () => {
    const svc = service();
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const code = await codeOf(v.id);
    vi.mocked(timingSafeEqual).mockClear();
    const ok = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(ok.status).toBe('verified');
    expect(outcomeError(ok)).toBeNull();
    expect(Date.parse(ok.verification.expires_at) - clock.getTime()).toBe(DEFAULT_VERIFICATION.verifiedTtlMs);
    expect((await svc.findActive(SARAH, 'c1'))?.id).toBe(v.id);
    expect(await svc.findActive(SARAH, 'c2')).toBeNull();
    expect(await svc.findActive('CUST-002', 'c1')).toBeNull();
    const again = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    expect(again).toMatchObject({ status: 'verified', started: false });
    expect(again.verification.id).toBe(v.id);
    expect(await repo.listOutbox()).toHaveLength(1); // no second code sent
    advance(DEFAULT_VERIFICATION.verifiedTtlMs);
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    await expect(svc.requireVerified(SARAH, 'c1')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('a code without verification_id answers the newest challenge of the conversation', async () => {
    const svc = service();
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const { verification: newest } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const ok = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', code: await codeOf(newest.id) });
    expect(ok.status).toBe('verified');
    expect(ok.verification.id).toBe(newest.id);
    await expect(service().verify({ customerId: 'CUST-002', conversationId: 'c1', method: 'otp', code: '123456' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'verification' } });
  });

  it('wrong codes count down attempts_left, then lock; the right code no longer works; the method stays locked until expiry', async () => {
    const svc = service();
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const code = await codeOf(v.id);
    const results: VerifyOutcome[] = [];
    for (let i = 0; i < 5; i++) results.push(await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code: otherCode(code) }));
    expect(results.map((r) => [r.status, r.attemptsLeft])).toEqual([['failed', 4], ['failed', 3], ['failed', 2], ['failed', 1], ['locked', 0]]);
    expect(outcomeError(results[0]!)).toMatchObject({ code: 'INVALID_STATE', details: { entity: 'verification', state: 'failed' } });
    expect(outcomeError(results[0]!)!.message).toMatch(/4 attempts left/);
    expect(outcomeError(results[4]!)).toMatchObject({ details: { state: 'locked' } });
    const late = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code });
    expect(late.status).toBe('locked');
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    expect((await repo.getVerification(v.id))).toMatchObject({ status: 'failed', attempts: 5 });
    // a new start in the same conversation is refused while the locked challenge lasts (no new code)
    const restart = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    expect(restart).toMatchObject({ status: 'locked', started: false });
    expect(await repo.listOutbox()).toHaveLength(1);
    advance(DEFAULT_VERIFICATION.challengeTtlMs);
    expect((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' })).status).toBe('pending');
  });

  it('an expired challenge answers expired, even with the right code', async () => {
    const svc = service({ config: { challengeTtlMs: 60_000 } });
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const code = await codeOf(v.id);
    advance(60_000);
    const r = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code });
    expect(r.status).toBe('expired');
    expect(outcomeError(r)).toMatchObject({ details: { entity: 'verification', state: 'expired' } });
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
  });

  it('a malformed code is refused without counting an attempt', async () => {
    const svc = service();
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    for (const bad of ['12345', 'abcdef', "' OR 1=1 --"]) {
      await expect(svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code: bad }))
        .rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await repo.getVerification(v.id))!.attempts).toBe(0);
    await expect(svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'code' }] } });
  });

  it('a verification of another conversation, customer or method is NOT_FOUND and untouched', async () => {
    const svc = service();
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    const code = await codeOf(v.id);
    const requests: VerifyRequest[] = [
      { customerId: SARAH, conversationId: 'c2', method: 'otp', verificationId: v.id, code },
      { customerId: 'CUST-002', conversationId: 'c1', method: 'otp', verificationId: v.id, code },
      { customerId: SARAH, conversationId: 'c1', method: 'kba', verificationId: v.id, answers: { date_of_birth: '1985-03-15', postcode: '10001', phone_last4: '1234' } },
      { customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: 'no-such-id', code },
    ];
    for (const req of requests) {
      await expect(svc.verify(req)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'verification' } });
    }
    expect(await repo.getVerification(v.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await svc.findActive(SARAH, 'c2')).toBeNull();
  });
});

describe('KBA', () => {
  const RIGHT = { date_of_birth: '1985-03-15', postcode: '10001', phone_last4: '1234' };

  it('without answers: a pending challenge with the questions (reused on the next call)', async () => {
    const svc = service();
    const o = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    expect(o).toMatchObject({ status: 'pending', started: true, questions: ['date_of_birth', 'postcode', 'phone_last4'], attemptsLeft: 5, deliveredTo: null });
    const again = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    expect(again).toMatchObject({ status: 'pending', started: false });
    expect(again.verification.id).toBe(o.verification.id);
    expect(await repo.listOutbox()).toHaveLength(0);
  });

  it('right answers (normalised) verify against the pending challenge; the answers are never stored', async () => {
    const svc = service();
    const pending = await svc.verify({ customerId: SOPHIE, conversationId: 'c1', method: 'kba' });
    const ok = await svc.verify({
      customerId: SOPHIE, conversationId: 'c1', method: 'kba',
      answers: { date_of_birth: '1986-6-14', postcode: ' 1012ab', phone_last4: '5601' },
    });
    expect(ok.status).toBe('verified');
    expect(ok.verification.id).toBe(pending.verification.id);
    expect(JSON.stringify(await repo.getVerification(ok.verification.id))).not.toMatch(/1986|1012|5601/);
  });

  it('answers in one call create the challenge and verify; one wrong answer fails without saying which', async () => {
    const svc = service();
    const wrong = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: { ...RIGHT, phone_last4: '9999' } });
    expect(wrong).toMatchObject({ status: 'failed', attemptsLeft: 4, started: true });
    expect(outcomeError(wrong)!.message).not.toMatch(/phone|postcode|birth/i);
    const wrong2 = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: { ...RIGHT, date_of_birth: '1985-03-16' } });
    expect(wrong2).toMatchObject({ status: 'failed', attemptsLeft: 3, started: false });
    expect(wrong2.verification.id).toBe(wrong.verification.id);
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    const ok = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: RIGHT });
    expect(ok.status).toBe('verified');
  });

  it('same attempt limit: locked after maxAttempts, also for the right answers, until the challenge expires', async () => {
    const svc = service({ config: { maxAttempts: 3 } });
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: { ...RIGHT, postcode: '99999' } })).status);
    expect(statuses).toEqual(['failed', 'failed', 'locked']);
    expect((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: RIGHT })).status).toBe('locked');
    expect((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' })).status).toBe('locked');
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    advance(DEFAULT_VERIFICATION.challengeTtlMs);
    expect((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: RIGHT })).status).toBe('verified');
  });

  it('missing or malformed answers are VALIDATION_FAILED and not counted', async () => {
    const svc = service();
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    await expect(svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: { date_of_birth: '1985-03-15' } }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'postcode' }, { field: 'phone_last4' }] } });
    await expect(svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: { ...RIGHT, date_of_birth: 'March 15th' } }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'date_of_birth' }] } });
    expect((await repo.getVerification(v.id))!.attempts).toBe(0);
  });

  it('is refused for a customer with fewer than two facts on record', async () => {
    const thin = structuredClone(dataset);
    Object.assign(thin.customers.find((c) => c.id === SARAH)!, { date_of_birth: null, postcode: null });
    repo = new FixtureRepository(thin);
    await expect(service().verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'method' }] } });
  });
});

describe('refusals and the rate-limit hook', () => {
  it('biometric and unknown methods, unknown and blocked customers, empty conversations', async () => {
    const blocked = structuredClone(dataset);
    blocked.customers.find((c) => c.id === 'CUST-007')!.status = 'blocked';
    repo = new FixtureRepository(blocked);
    const svc = service();
    const bio = svc.verify({ customerId: SARAH, conversationId: 'c', method: 'biometric' });
    await expect(bio).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'method' }] } });
    await expect(svc.verify({ customerId: SARAH, conversationId: 'c', method: 'biometric' })).rejects.toThrow(/not supported/);
    await expect(svc.verify({ customerId: SARAH, conversationId: 'c', method: 'password' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(svc.verify({ customerId: 'CUST-999', conversationId: 'c', method: 'otp' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'customer' } });
    await expect(svc.verify({ customerId: '', conversationId: 'c', method: 'otp' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.verify({ customerId: 'CUST-007', conversationId: 'c', method: 'otp' }))
      .rejects.toMatchObject({ code: 'INVALID_STATE', details: { entity: 'customer', state: 'blocked' } });
    await expect(svc.verify({ customerId: 'CUST-010', conversationId: 'c', method: 'otp' })).resolves.toMatchObject({ status: 'pending' }); // suspended may verify
    await expect(svc.verify({ customerId: SARAH, conversationId: ' ', method: 'otp' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await repo.listOutbox()).toHaveLength(1); // only CUST-010's code
  });

  it('beforeAttempt runs for every start and answer of an existing customer, and can refuse it', async () => {
    const seen: string[] = [];
    const svc = service({ beforeAttempt: async (id) => void seen.push(id) });
    const { verification: v } = await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp', verificationId: v.id, code: otherCode(await codeOf(v.id)) });
    await svc.verify({ customerId: 'CUST-002', conversationId: 'c1', method: 'kba' });
    await expect(svc.verify({ customerId: 'CUST-999', conversationId: 'c1', method: 'otp' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(seen).toEqual([SARAH, SARAH, 'CUST-002']);

    const { ServiceError } = await import('./errors.js');
    const limited = service({ beforeAttempt: async () => { throw new ServiceError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 60 }); } });
    await expect(limited.verify({ customerId: SARAH, conversationId: 'c9', method: 'otp' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await repo.listOutbox()).filter((m) => m.customer_id === SARAH)).toHaveLength(1); // nothing sent for the refused one
    expect((await repo.getVerification(v.id))!.attempts).toBe(1);
  });

  it('uses the outbox it is given', async () => {
    const enqueued: string[] = [];
    const outbox = new Outbox(repo);
    const spy = vi.spyOn(outbox, 'enqueue').mockImplementation(async (m) => {
      enqueued.push(m.destination);
      return repo.enqueueOutbox(m);
    });
    const svc = new VerificationService(repo, { config: CONFIG, outbox, now: () => clock });
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'otp' });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(enqueued).toEqual(['sarah.johnson@email.com']);
  });
});
