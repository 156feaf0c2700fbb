// What the audit trail stores of a call's arguments (redactArgs, applied once per call before
// anything is recorded): no raw e-mail, phone or code, and bounded work for any input size.
import { describe, expect, it } from 'vitest';
import { redactArgs } from '../../src/domain/masking.js';

describe('audit argument redaction', () => {
  it('drops secrets by key and masks contacts and codes in values', () => {
    const out = redactArgs({
      email: 'john.doe@example.com', phone: '+1 (646) 555-0117', code: '493817', date_of_birth: '1979-10-02', postcode: '10013',
      phone_last4: '0117', answers: { dob: '1979-10-02' }, description: 'call me on 646-555-0199 or j.doe.new@example.org, code 271828',
    });
    const text = JSON.stringify(out);
    for (const raw of ['john.doe@example.com', '555-0117', '493817', '1979-10-02', '10013', '0117', '646-555-0199', 'j.doe.new@example.org', '271828']) {
      expect(text, raw).not.toContain(raw);
    }
    expect(out).toMatchObject({ email: 'j***@example.com', code: '[redacted]', postcode: '[redacted]' });
  });

  it('examines a bounded prefix of a huge value (a ~1 MB argument is answered at once) and keeps 200 characters', () => {
    for (const value of ['A'.repeat(900_000), '1'.repeat(900_000), `${'a'.repeat(450_000)}@${'b'.repeat(449_990)}.com`]) {
      const out = redactArgs({ email: value }) as { email: string };
      expect(out.email.length).toBeLessThanOrEqual(201);
      expect(out.email.endsWith('…')).toBe(true);
    }
    const digits = redactArgs({ v: '1'.repeat(900_000) }) as { v: string };
    expect(digits.v).not.toMatch(/\d{5,}/);
  });

  it('a contact cut by the examined prefix is dropped, never stored half-redacted', () => {
    // Long local parts mask to a few characters, pulling text from near the cut into the kept 200.
    const masked = Array.from({ length: 11 }, (_, i) => `${String.fromCharCode(97 + i).repeat(80)}@ex.co`).join(' ');
    const filler = 'x'.repeat(985 - masked.length - 2);
    const value = `${masked} ${filler} john.doe@example.com and more text after it`;
    expect(value.indexOf('john.doe@example.com')).toBe(985); // cut after 'john.doe@exampl'
    const out = JSON.stringify(redactArgs({ description: value }));
    expect(out).not.toContain('john.doe');
    expect(out).not.toContain('aaaaaaaaaa');
  });

  it('keeps identifiers in identifier fields, and redacts anything else put there', () => {
    const out = redactArgs({
      order_id: '13579', customer_id: '1213210', customerId: 'CUST-20001', customerCode: 'TEL-1001', ticket_id: 'TICK-1001',
      user_id: 'user@example.com', conversation_id: '+1 415 555 1234', id: 'has spaces 123456',
      description: 'my order 13579 and code 482913', code: '482913',
    });
    expect(out).toEqual({
      order_id: '13579', customer_id: '1213210', customerId: 'CUST-20001', customerCode: 'TEL-1001', ticket_id: 'TICK-1001',
      user_id: 'u***@example.com', conversation_id: '***-***-[redacted]', id: 'has spaces [redacted]',
      description: 'my order [redacted] and code [redacted]', code: '[redacted]',
    });
  });
});
