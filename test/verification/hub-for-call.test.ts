// ServiceHub.forCall: the guard follows policy.access and the call's conversation; verification
// steps go through the hub's beforeVerificationAttempt hook (the verification rate limit) and
// name the customer for the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import { STDIO_PRINCIPAL } from '../../src/domain/principal.js';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { ServiceError } from '../../src/services/errors.js';
import { ServiceHub, type CallInfo } from '../../src/services/hub.js';
import { openPolicy } from '../../src/services/policy.js';

let dataset: Dataset;
beforeAll(async () => {
  dataset = await loadDataset();
});
const call = (conversationId: string): CallInfo => ({ tool: 'verify_identity', conversationId, principal: STDIO_PRINCIPAL, correlationId: 'corr' });

describe('ServiceHub.forCall', () => {
  it('open policy: open guard; verified policy: a guard bound to the call\'s conversation', async () => {
    const repo = new FixtureRepository(dataset);
    expect(new ServiceHub({ repo }).forCall(call('c1')).access.mode).toBe('open');
    const hub = new ServiceHub({ repo, policy: { ...openPolicy(), access: 'verified' } });
    const x = hub.forCall(call('conv-x'));
    expect(x.access.mode).toBe('verified');
    await expect(x.billing.getSubscription('CUST-20003')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    // verify in conv-x through the services of a call in conv-x
    const started = await x.verification.verify({ customerId: 'CUST-20003', conversationId: 'conv-x', method: 'otp' });
    const code = (await repo.listOutbox()).find((m) => m.verification_id === started.verification.id)!.code!;
    await hub.forCall(call('conv-x')).verification.verify({
      customerId: 'CUST-20003', conversationId: 'conv-x', method: 'otp', verificationId: started.verification.id, code,
    });
    expect((await hub.forCall(call('conv-x')).billing.getSubscription('CUST-20003')).id).toBe('SUB-7890');
    await expect(hub.forCall(call('conv-y')).billing.getSubscription('CUST-20003')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('uses policy.verification (TTLs, attempts, secret) and the hub\'s outbox', async () => {
    const repo = new FixtureRepository(dataset);
    const policy = openPolicy({ verification: { challengeTtlMs: 120_000, maxAttempts: 2, verifiedTtlMs: 60_000, secret: 'hub-test-secret-0123456789' } });
    const { verification } = new ServiceHub({ repo, policy }).forCall(call('c1'));
    const before = Date.now();
    const o = await verification.verify({ customerId: 'CUST-001', conversationId: 'c1', method: 'otp' });
    expect(o.verification.max_attempts).toBe(2);
    expect(Date.parse(o.verification.expires_at) - before).toBeGreaterThan(110_000);
    expect(Date.parse(o.verification.expires_at) - before).toBeLessThanOrEqual(125_000);
    expect(await repo.listOutbox()).toHaveLength(1);
  });

  it('verification steps call beforeVerificationAttempt with the call and customer, and mark the customer touched', async () => {
    const repo = new FixtureRepository(dataset);
    const seen: [string, string][] = [];
    class LimitedHub extends ServiceHub {
      override async beforeVerificationAttempt(c: CallInfo, customerId: string): Promise<void> {
        seen.push([c.conversationId, customerId]);
        if (seen.length > 1) throw new ServiceError('RATE_LIMITED', 'Too many verification attempts.', { retryAfterSeconds: 60 });
      }
    }
    const hub = new LimitedHub({ repo, policy: { ...openPolicy(), access: 'verified' } });
    const first = hub.forCall(call('c1'));
    await first.verification.verify({ customerId: 'CUST-001', conversationId: 'c1', method: 'kba' });
    expect(first.access.touchedCustomerId).toBe('CUST-001');
    const second = hub.forCall(call('c1'));
    await expect(second.verification.verify({ customerId: 'CUST-002', conversationId: 'c1', method: 'otp' }))
      .rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 60 } });
    expect(second.access.touchedCustomerId).toBe('CUST-002');
    expect(seen).toEqual([['c1', 'CUST-001'], ['c1', 'CUST-002']]);
    expect(await repo.listOutbox()).toHaveLength(0);
  });
});
