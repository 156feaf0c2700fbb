// The banking presenter's error mapping and envelope, without MCP. (The VerificationService
// has its own tests: src/services/verification-service.test.ts.)
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { ServiceError, type ErrorCode, type ServiceErrorDetails } from '../../src/services/errors.js';
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
