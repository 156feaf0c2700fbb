// The remembered "verified" answers: never past expires_at or the TTL, never "not verified",
// never across principals or conversations, bounded in size; and VerificationService asks
// the repository once per TTL for a verified conversation (a real fixture repository).
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verification } from '../domain/index.js';
import { loadDataset, type Dataset } from '../repository/dataset.js';
import { FixtureRepository } from '../repository/fixtures/index.js';
import { DEFAULT_VERIFICATION } from './policy.js';
import { VerificationService } from './verification-service.js';
import { VerifiedCache } from './verified-cache.js';

const SARAH = 'CUST-001';
const SARAH_KBA = { date_of_birth: '1985-03-15', postcode: '10001', phone_last4: '1234' };
const T0 = Date.parse('2025-03-01T10:00:00.000Z');

const verification = (expiresAt: number): Verification => ({ id: 'v1', expires_at: new Date(expiresAt).toISOString() }) as Verification;

describe('VerifiedCache', () => {
  it('serves an entry until the TTL ends, and never past the verification\'s expires_at', () => {
    const cache = new VerifiedCache(5_000);
    cache.set('a', verification(T0 + 60_000), T0);
    expect(cache.get('a', T0 + 4_999)?.id).toBe('v1');
    expect(cache.get('a', T0 + 5_000)).toBeNull();
    cache.set('b', verification(T0 + 1_000), T0);
    expect(cache.get('b', T0 + 999)?.id).toBe('v1');
    expect(cache.get('b', T0 + 1_000)).toBeNull();
    cache.set('c', verification(T0 - 1), T0); // already expired: not kept
    expect(cache.get('c', T0)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('keys separate principals, conversations and customers', () => {
    const keys = new Set([
      VerifiedCache.key('token:a', 'c1', SARAH), VerifiedCache.key('token:b', 'c1', SARAH),
      VerifiedCache.key('token:a', 'c2', SARAH), VerifiedCache.key('token:a', 'c1', 'CUST-002'),
      // a separator inside an id cannot make two keys collide
      VerifiedCache.key('token:a', 'c1\u0000x', 'y'), VerifiedCache.key('token:a', 'c1', 'x\u0000y'),
    ]);
    expect(keys.size).toBe(6);
  });

  it('holds at most maxEntries, dropping the oldest; a TTL of 0 keeps nothing', () => {
    const cache = new VerifiedCache(5_000, 2);
    for (const k of ['a', 'b', 'c']) cache.set(k, verification(T0 + 60_000), T0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', T0)).toBeNull();
    expect(cache.get('c', T0)?.id).toBe('v1');
    const off = new VerifiedCache(0);
    off.set('a', verification(T0 + 60_000), T0);
    expect(off.get('a', T0)).toBeNull();
  });
});

describe('VerificationService.findActive with the cache', () => {
  let dataset: Dataset;
  let repo: FixtureRepository;
  let clock: Date;
  beforeAll(async () => {
    dataset = await loadDataset();
  });
  beforeEach(() => {
    repo = new FixtureRepository(dataset);
    clock = new Date(T0);
  });
  const service = (cache: VerifiedCache, principal = 'stdio') => new VerificationService(repo, {
    config: { ...DEFAULT_VERIFICATION, secret: 'unit-test-secret-0123456789' }, now: () => clock, principal, verifiedCache: cache,
  });

  it('asks the repository once per TTL for a verified conversation, and never remembers "not verified"', async () => {
    const cache = new VerifiedCache(5_000);
    const svc = service(cache);
    const lookups = vi.spyOn(repo, 'findActiveVerification');
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
    expect(lookups).toHaveBeenCalledTimes(2); // a miss is asked again: a verification elsewhere counts at once
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    expect((await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: SARAH_KBA })).status).toBe('verified');
    lookups.mockClear();
    const first = await svc.findActive(SARAH, 'c1');
    expect(first?.status).toBe('verified');
    for (let i = 0; i < 5; i++) expect((await svc.findActive(SARAH, 'c1'))?.id).toBe(first!.id);
    expect(lookups).toHaveBeenCalledTimes(1);
    clock = new Date(T0 + 5_000);
    expect((await svc.findActive(SARAH, 'c1'))?.id).toBe(first!.id);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('another principal or conversation is not served from the cache', async () => {
    const cache = new VerifiedCache(5_000);
    const owner = service(cache, 'token:a');
    await owner.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    await owner.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: SARAH_KBA });
    expect(await owner.findActive(SARAH, 'c1')).not.toBeNull();
    expect(await service(cache, 'token:b').findActive(SARAH, 'c1')).toBeNull();
    expect(await owner.findActive(SARAH, 'c2')).toBeNull();
  });

  it('a verification that expires stops unlocking at its expires_at, cache or not', async () => {
    const cache = new VerifiedCache(60 * 60_000); // a TTL longer than the verification
    const svc = service(cache);
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba' });
    await svc.verify({ customerId: SARAH, conversationId: 'c1', method: 'kba', answers: SARAH_KBA });
    const active = await svc.findActive(SARAH, 'c1');
    clock = new Date(Date.parse(active!.expires_at) - 1);
    expect(await svc.findActive(SARAH, 'c1')).not.toBeNull();
    clock = new Date(Date.parse(active!.expires_at));
    expect(await svc.findActive(SARAH, 'c1')).toBeNull();
  });
});
