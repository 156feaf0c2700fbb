// The billing profile's customer-code rules and the domain's payment-method clean-up, as plain functions.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/services/errors.js';
import { parseCustomerCode } from '../../src/tools/billing/customer-code.js';
import { stripCardSecrets } from '../../src/domain/billing.js';

const codeError = (raw: string | undefined): ServiceError => {
  try {
    parseCustomerCode(raw);
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error(`expected ${String(raw)} to be refused`);
};

describe('parseCustomerCode', () => {
  it('accepts customer ids as they are (trimmed)', () => {
    for (const code of ['TEL-1001', 'CUST-12345', '1213210', 'cust_alice', 'GC-0000001', 'a']) {
      expect(parseCustomerCode(` ${code} `)).toBe(code);
    }
    expect(parseCustomerCode('x'.repeat(64))).toBe('x'.repeat(64));
  });
  it('accepts spoken telecom codes', () => {
    for (const raw of ['tel 1001', 'TEL1001', 'Tel-1001', 'tel_1001']) expect(parseCustomerCode(raw)).toBe('TEL-1001');
  });
  it('accepts the code read out digit by digit, as a voice model transcribes it (challenge 4)', () => {
    for (const raw of [
      'tel one zero zero one', 'TEL ONE ZERO ZERO ONE', 'Tel One Zero Zero One', '  tel   one  zero zero   one ',
      'tel one oh oh one', 'tel 1 0 0 1', 'tel one 0 0 1', 'tel dash one zero zero one', 'tel-1001', 'tel1001', 'tel 1001',
    ]) expect(parseCustomerCode(raw), raw).toBe('TEL-1001');
    expect(parseCustomerCode('tel one zero zero seven')).toBe('TEL-1007');
    expect(parseCustomerCode('tel nine eight seven six')).toBe('TEL-9876');
  });
  it('refuses read-out codes that are not exactly four digits, or not a telecom code', () => {
    for (const raw of [
      'tel one zero zero', 'tel one zero zero one two', 'tel one zero zero eleven', 'tel ten zero one', 'tel one zero zero won',
      'cust one zero zero one', 'tel one, zero, zero, one', 'tel 10 01', 'telephone one zero zero one', 'tel one zero zero one!',
    ]) expect(codeError(raw).code, raw).toBe('VALIDATION_FAILED');
  });
  it('refuses missing, empty and malformed codes with VALIDATION_FAILED on customerCode', () => {
    for (const raw of [undefined, '', '  ', 'TEL 10 01', 'a b', '-x', '_x', 'x'.repeat(65), 'ü-1', 'TEL-1001;', '../etc']) {
      const err = codeError(raw);
      expect(err).toBeInstanceOf(ServiceError);
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.details.issues?.[0]?.field).toBe('customerCode');
    }
    expect(codeError('x'.repeat(65)).message).toMatch(/^"x{40}…" is not a valid customer code/);
  });
});

describe('stripCardSecrets', () => {
  it('drops security codes and expiry dates, keeps the rest', () => {
    expect(stripCardSecrets('Visa 4111 1111 1111 1111 exp 12/27 CVV 123')).toBe('Visa 4111 1111 1111 1111');
    expect(stripCardSecrets('Amex 3782 822463 10005, expiry date: 01-2030; CID 1234')).toBe('Amex 3782 822463 10005');
    expect(stripCardSecrets('Mastercard ending in 4444, valid thru 04/29, security code 999')).toBe('Mastercard ending in 4444');
    expect(stripCardSecrets('  PayPal   account ')).toBe('PayPal account');
  });
  it('gives a bare number a noun so the masked form reads well', () => {
    expect(stripCardSecrets('4111111111111111')).toBe('Card 4111111111111111');
    expect(stripCardSecrets('cvv 123')).toBe('');
  });
});
