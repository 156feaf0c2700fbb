// BillingService.updatePaymentMethod stores only the storable form of a payment method,
// whoever calls it (any profile's tool, or code using the service directly).
import { beforeAll, describe, expect, it } from 'vitest';
import { storablePaymentMethod } from '../domain/billing.js';
import { loadDataset, type Dataset } from '../repository/dataset.js';
import { FixtureRepository } from '../repository/fixtures/index.js';
import { BillingService } from './billing.js';

let dataset: Dataset;
beforeAll(async () => {
  dataset = await loadDataset();
});

describe('storablePaymentMethod', () => {
  it('drops CVV codes and expiry dates and keeps only the last four digits of a card number', () => {
    expect(storablePaymentMethod('Visa 4111 1111 1111 1111 exp 12/27 CVV 123')).toBe('Visa ending in 1111');
    expect(storablePaymentMethod('Amex 3782 822463 10005, expiry date: 01-2030; CID 1234')).toBe('Amex ending in 0005');
    expect(storablePaymentMethod('4111-1111-1111-1111 cvc 999')).toBe('Card ending in 1111');
    expect(storablePaymentMethod('Mastercard ending in 4444, valid thru 04/29')).toBe('Mastercard ending in 4444');
    expect(storablePaymentMethod('  PayPal   account ')).toBe('PayPal account');
    expect(storablePaymentMethod('CVV 123')).toBe('');
  });
});

describe('BillingService.updatePaymentMethod', () => {
  it('called directly, stores "Visa ending in 1111" for a pasted card with expiry and CVV', async () => {
    const repo = new FixtureRepository(dataset);
    const account = await new BillingService(repo).updatePaymentMethod('TEL-1001', 'Visa 4111 1111 1111 1111 exp 12/27 CVV 123');
    expect(account.payment_method).toBe('Visa ending in 1111');
    const stored = await repo.getBillingAccount('TEL-1001');
    expect(stored!.payment_method).toBe('Visa ending in 1111');
    expect(JSON.stringify(stored)).not.toMatch(/12\/27|CVV|123\b|4111 1111/);
  });

  it('refuses a method with nothing left once the secrets are removed, naming the caller\'s argument', async () => {
    const repo = new FixtureRepository(dataset);
    const service = new BillingService(repo);
    await expect(service.updatePaymentMethod('TEL-1001', 'CVV 123')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED', message: 'A payment method is required.', details: { issues: [{ field: 'payment method' }] },
    });
    await expect(service.updatePaymentMethod('TEL-1001', ' ', { argument: 'paymentMethod' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED', message: 'A paymentMethod is required.', details: { issues: [{ field: 'paymentMethod', message: 'is required' }] },
    });
    await expect(service.updatePaymentMethod('TEL-1001', 'x'.repeat(101))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await repo.getBillingAccount('TEL-1001'))!.payment_method).toBe((await new FixtureRepository(dataset).getBillingAccount('TEL-1001'))!.payment_method);
  });

  it('NOT_FOUND names the missing billing account, or the customer when there is none', async () => {
    const service = new BillingService(new FixtureRepository(dataset));
    await expect(service.updatePaymentMethod('CUST-001', 'Visa ending in 1234')).rejects.toMatchObject({
      code: 'NOT_FOUND', message: 'Customer CUST-001 has no billing account.', details: { entity: 'billing_account' },
    });
    await expect(service.getBillingAccount('CUST-001')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'billing_account' } });
    await expect(service.getBillingAccount('NOPE-1')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'customer' } });
  });
});
