// The banking presenter's error mapping and envelope, and the VerificationService, without
// MCP where the case cannot be produced through the four tools yet (issue 6 adds attempts).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { ServiceError, type ErrorCode, type ServiceErrorDetails } from '../../src/services/errors.js';
import {
  attemptError, MAX_ATTEMPTS, VERIFICATION_TTL_MS, VERIFIED_TTL_MS, VerificationService,
} from '../../src/services/verification-service.js';
import { bankingProfile } from '../../src/tools/banking/index.js';
import { bankingErrorCode, bankingPresenter } from '../../src/tools/banking/presenter.js';
import type { ToolFailure } from '../../src/tools/presenter.js';
import { connect, textOf } from '../server/harness.js';

const failure = (code: ErrorCode, details: ServiceErrorDetails = {}): ToolFailure => ({
  code, message: 'm', nextStep: 'next', error: new ServiceError(code, 'm', details),
});

describe('banking error codes', () => {
  it.each([
    ['lookup_customer', failure('NOT_FOUND', { entity: 'customer' }), 'CUSTOMER_NOT_FOUND'],
    ['lookup_customer', failure('VALIDATION_FAILED', { issues: [{ field: '(arguments)', message: 'x' }] }), 'INVALID_PARAMETERS'],
    ['lookup_customer', failure('DATABASE_ERROR'), 'DATABASE_ERROR'],
    ['create_support_ticket', failure('NOT_FOUND', { entity: 'customer' }), 'INVALID_CUSTOMER'],
    ['create_support_ticket', failure('VALIDATION_FAILED', { issues: [{ field: 'type', message: 'x' }] }), 'INVALID_TYPE'],
    ['create_support_ticket', failure('VALIDATION_FAILED', { issues: [{ field: 'priority', message: 'x' }, { field: 'description', message: 'x' }] }), 'MISSING_DESCRIPTION'],
    ['create_support_ticket', failure('VALIDATION_FAILED'), 'INVALID_PARAMETERS'],
    ['create_support_ticket', failure('CONFLICT', { reason: 'idempotency_key_reused' }), 'DUPLICATE_ENTRY'],
    ['check_account_balance', failure('NOT_FOUND', { entity: 'bank_account' }), 'ACCOUNT_NOT_FOUND'],
    ['check_account_balance', failure('AUTH_REQUIRED'), 'AUTH_REQUIRED'],
    ['check_account_balance', failure('INVALID_STATE', { entity: 'customer', state: 'suspended' }), 'CUSTOMER_SUSPENDED'],
    ['check_account_balance', failure('INVALID_STATE', { entity: 'customer', state: 'blocked' }), 'CUSTOMER_BLOCKED'],
    ['verify_customer_identity', failure('VALIDATION_FAILED', { issues: [{ field: 'method', message: 'x' }] }), 'INVALID_METHOD'],
    ['verify_customer_identity', failure('INVALID_STATE', { entity: 'verification', state: 'expired' }), 'AUTH_EXPIRED'],
    ['verify_customer_identity', failure('INVALID_STATE', { entity: 'verification', state: 'failed' }), 'AUTH_FAILED'],
    ['verify_customer_identity', failure('INVALID_STATE', { entity: 'verification', state: 'locked' }), 'AUTH_FAILED'],
    ['verify_customer_identity', failure('NOT_FOUND', { entity: 'verification' }), 'DATA_NOT_FOUND'],
    ['lookup_customer', failure('INVALID_STATE', { entity: 'order', state: 'shipped' }), 'INVALID_OPERATION'],
    ['lookup_customer', failure('RATE_LIMITED', { retryAfterSeconds: 30 }), 'RATE_LIMITED'],
    ['lookup_customer', { code: 'INTERNAL_ERROR', message: 'm', nextStep: 'n', correlationId: 'c' } as ToolFailure, 'INTERNAL_ERROR'],
  ] as const)('%s: %j → %s', (tool, f, expected) => {
    expect(bankingErrorCode(tool, f)).toBe(expected);
  });

  it('puts the next step, field issues and retry time in details', () => {
    const tool = bankingProfile.tools[0]!;
    const meta = { correlationId: 'corr-1', elapsedMs: () => 1.5 };
    const r = bankingPresenter.failure(tool, failure('RATE_LIMITED', { retryAfterSeconds: 30 }), meta);
    expect(r.isError).toBe(true);
    expect(JSON.parse(textOf(r))).toEqual({
      success: false,
      error: { code: 'RATE_LIMITED', message: 'm', details: { nextStep: 'next', retryAfterSeconds: 30 } },
      toolCallId: 'corr-1',
    });
    expect(JSON.parse(textOf(bankingPresenter.success(tool, { id: 'x' }, meta)))).toEqual({
      success: true, data: { id: 'x' }, toolCallId: 'corr-1', executionTime: 1.5,
    });
  });

  it('a store outage is DATABASE_ERROR in the envelope', async () => {
    const repo = new FixtureRepository(await loadDataset());
    const mcp = await connect(repo, { profiles: [bankingProfile] });
    await repo.close();
    const r = await mcp.call('lookup_customer', { customerId: 'CUST-001' });
    await mcp.close();
    expect(r.isError).toBe(true);
    const env = JSON.parse(textOf(r));
    expect(env.success).toBe(false);
    expect(env.error.code).toBe('DATABASE_ERROR');
    expect(textOf(r)).not.toMatch(/fixture repository is closed/);
  });
});

describe('VerificationService', () => {
  let dataset: Dataset;
  let clock: Date;
  const service = (ds: Dataset = dataset) => {
    const repo = new FixtureRepository(ds);
    return { repo, svc: new VerificationService(repo, { now: () => clock }) };
  };
  beforeAll(async () => {
    dataset = await loadDataset();
  });

  it('start → pending for 10 minutes; a matched attempt verifies for VERIFIED_TTL_MS; start then reuses it', async () => {
    clock = new Date('2025-03-01T10:00:00.000Z');
    const { svc } = service();
    const v = await svc.start({ customerId: ' CUST-001 ', conversationId: 'c1', method: 'kba' });
    expect(v).toMatchObject({ customer_id: 'CUST-001', conversation_id: 'c1', status: 'pending', method: 'kba', max_attempts: MAX_ATTEMPTS });
    expect(Date.parse(v.expires_at) - clock.getTime()).toBe(VERIFICATION_TTL_MS);
    expect(await svc.findActive('CUST-001', 'c1')).toBeNull();
    await expect(svc.requireVerified('CUST-001', 'c1')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });

    const a = await svc.attempt(v.id, true);
    expect(a.outcome).toBe('verified');
    expect(attemptError(a)).toBeNull();
    expect(Date.parse(a.verification.expires_at) - clock.getTime()).toBe(VERIFIED_TTL_MS);
    expect((await svc.requireVerified('CUST-001', 'c1')).id).toBe(v.id);
    expect(await svc.findActive('CUST-001', 'c2')).toBeNull();
    expect((await svc.start({ customerId: 'CUST-001', conversationId: 'c1', method: 'otp' })).id).toBe(v.id);
    expect(attemptError(await svc.attempt(v.id, true))).toBeNull(); // a repeated answer after success

    clock = new Date(clock.getTime() + VERIFIED_TTL_MS);
    expect(await svc.findActive('CUST-001', 'c1')).toBeNull();
    expect((await svc.start({ customerId: 'CUST-001', conversationId: 'c1', method: 'otp' })).status).toBe('pending');
  });

  it('wrong answers: AUTH_FAILED-style errors, then locked; expiry is AUTH_EXPIRED-style', async () => {
    clock = new Date('2025-03-01T10:00:00.000Z');
    const { svc } = service();
    const v = await svc.start({ customerId: 'CUST-002', conversationId: 'c1', method: 'otp' });
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const e = attemptError(await svc.attempt(v.id, false));
      expect(e).toMatchObject({ code: 'INVALID_STATE', details: { entity: 'verification', state: 'failed' } });
      expect(e!.message).toMatch(i < MAX_ATTEMPTS ? /attempts? left/ : /no attempts are left/);
    }
    expect(attemptError(await svc.attempt(v.id, true))).toMatchObject({ details: { state: 'locked' } });
    expect(await svc.findActive('CUST-002', 'c1')).toBeNull();

    const w = await svc.start({ customerId: 'CUST-002', conversationId: 'c1', method: 'otp' });
    clock = new Date(clock.getTime() + VERIFICATION_TTL_MS);
    expect(attemptError(await svc.attempt(w.id, true))).toMatchObject({ details: { entity: 'verification', state: 'expired' } });
  });

  it('refuses biometric, unknown customers, blocked customers and empty conversations; get() of an unknown id', async () => {
    clock = new Date();
    const blocked = structuredClone(dataset);
    blocked.customers.find((c) => c.id === 'CUST-007')!.status = 'blocked';
    const { svc } = service(blocked);
    await expect(svc.start({ customerId: 'CUST-001', conversationId: 'c', method: 'biometric' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ field: 'method' }] } });
    await expect(svc.start({ customerId: 'CUST-999', conversationId: 'c', method: 'otp' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'customer' } });
    await expect(svc.start({ customerId: '', conversationId: 'c', method: 'otp' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'customer' } });
    await expect(svc.start({ customerId: 'CUST-007', conversationId: 'c', method: 'otp' }))
      .rejects.toMatchObject({ code: 'INVALID_STATE', details: { entity: 'customer', state: 'blocked' } });
    await expect(svc.start({ customerId: 'CUST-010', conversationId: 'c', method: 'otp' })).resolves.toMatchObject({ status: 'pending' }); // suspended may verify
    await expect(svc.start({ customerId: 'CUST-001', conversationId: ' ', method: 'otp' }))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(svc.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'verification' } });
    await expect(svc.attempt('nope', true)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'verification' } });
  });
});
