import { describe, expect, it } from 'vitest';
import type { Statement } from '../domain/index.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { renderStatementPdf, statementSummary } from './pdf.js';

const base: Statement = {
  customer_id: 'TEL-9000', customer_name: 'Ana Lima', month: '2025-03', period_start: '2025-03-01', period_end: '2025-03-31',
  currency: 'USD', opening_balance: 0, charges: [], total_charges: 0, payments: [], total_payments: 0, closing_balance: 0,
  payment_method: 'Visa ending in 4242', autopay: false, generated_at: '2025-04-01T08:00:00.000Z',
};

describe('statement PDF', () => {
  it('runs over several pages when the month has many lines, with every line and the page count', async () => {
    const charges = Array.from({ length: 90 }, (_, i) => ({
      id: `C${i}`, customer_id: 'TEL-9000', charged_on: '2025-03-05', description: `Usage block ${i + 1}`, amount: 0.1, currency: 'USD',
    }));
    const s: Statement = { ...base, charges, total_charges: 9, closing_balance: 9 };
    const { pages, text } = await pdfText(await renderStatementPdf(s));
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Usage block 1 ');
    expect(text).toContain('Usage block 90');
    expect(text).toContain(`page ${pages} of ${pages}`);
    expect(text).toContain('Charges  9.00 USD');
  });

  it('is deterministic: the same statement gives the same bytes', async () => {
    expect((await renderStatementPdf(base)).equals(await renderStatementPdf(base))).toBe(true);
  });

  it('summarises in words with formatted amounts', () => {
    expect(statementSummary(base)).toBe('Billing statement for Ana Lima (TEL-9000), March 2025: opening balance 0.00 USD; no charges or payments this month. Closing balance 0.00 USD.');
  });
});
