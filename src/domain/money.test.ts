import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decimalToMinor, formatMinor, formatMoney, fromMinor, isExactAmount, minorDigits, minorToDecimal, sumMoney, toMinor, tryToMinor,
} from './money.js';

describe('money in minor units', () => {
  it('knows the ISO 4217 minor units', () => {
    expect([minorDigits('JPY'), minorDigits('USD'), minorDigits('EUR'), minorDigits('GBP'), minorDigits('KWD')]).toEqual([0, 2, 2, 2, 3]);
  });

  it('round-trips every amount up to 10 integer digits exactly, through the double and its JSON text', () => {
    for (const currency of ['JPY', 'USD', 'KWD']) {
      fc.assert(fc.property(fc.integer({ min: -(10 ** (10 + minorDigits(currency))) + 1, max: 10 ** (10 + minorDigits(currency)) - 1 }), (minor) => {
        const amount = fromMinor(minor, currency);
        expect(toMinor(amount, currency)).toBe(minor);
        expect(decimalToMinor(minorToDecimal(minor, currency), currency)).toBe(minor);
        // what a client parses from the JSON answer is the same number, and names the same decimal
        expect(JSON.parse(JSON.stringify(amount))).toBe(amount);
        expect(Number(minorToDecimal(minor, currency))).toBe(amount);
      }), { numRuns: 2000 });
    }
  });

  it('refuses amounts that are not whole minor units of the currency', () => {
    expect(tryToMinor(1.5, 'JPY')).toBeNull();
    expect(tryToMinor(10.001, 'USD')).toBeNull();
    expect(tryToMinor(12.3456, 'KWD')).toBeNull();
    expect(isExactAmount(12.345, 'KWD')).toBe(true);
    expect(() => decimalToMinor('1.5', 'JPY')).toThrow(/not an exact JPY amount/);
    expect(decimalToMinor('12.340', 'USD')).toBe(1234);
    expect(decimalToMinor('1500.000', 'JPY')).toBe(1500);
  });

  it('adds exactly (no 0.30000000000000004)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumMoney([0.1, 0.2], 'USD')).toBe(0.3);
    expect(sumMoney([9.75, 2.595], 'KWD')).toBe(12.345);
    expect(sumMoney([4980, 500], 'JPY')).toBe(5480);
  });

  it('formats one way everywhere: grouped digits, the currency\'s decimals, the code after', () => {
    expect(formatMoney(1234.5, 'EUR')).toBe('1,234.50 EUR');
    expect(formatMoney(150000, 'JPY')).toBe('150,000 JPY');
    expect(formatMoney(12.345, 'KWD')).toBe('12.345 KWD');
    expect(formatMoney(0, 'GBP')).toBe('0.00 GBP');
    expect(formatMinor(-5, 'USD')).toBe('-0.05 USD');
    expect(formatMoney(1234567890.12, 'USD')).toBe('1,234,567,890.12 USD');
  });
});
