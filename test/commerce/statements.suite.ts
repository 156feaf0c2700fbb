// Billing statements through a real MCP client on every backend seeded with the shipped
// fixtures: the PDF is parsed back (pdf.js text extraction) and must show the right totals in
// the right currency; the statement:// resource is served behind the same access guard.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastFullMonth } from '../../src/services/billing.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { billingProfile } from '../../src/tools/billing/index.js';
import { openSession, securePolicy, verifyByOtp } from '../security/kit.js';
import { connect, dataOf, errorOf, textOf, type Connected } from '../server/harness.js';
import { pdfText } from '../support/pdf-text.js';

export interface Backend {
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The embedded PDF of a get_statement result: one text block, then one application/pdf resource. */
const embeddedPdf = (r: CallToolResult): { uri: string; bytes: Buffer } => {
  expect(r.content).toHaveLength(2);
  const block = r.content[1]!;
  if (block.type !== 'resource' || !('blob' in block.resource)) throw new Error(`expected an embedded blob resource, got ${block.type}`);
  expect(block.resource.mimeType).toBe('application/pdf');
  const bytes = Buffer.from(block.resource.blob, 'base64');
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return { uri: block.resource.uri, bytes };
};

export function describeStatements(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`statements over MCP [${name}]`, () => {
    let backend: Backend;
    let repo: SupportRepository;
    let mcp: Connected;
    const month = lastFullMonth();
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      repo = await backend.fresh();
      mcp = await connect(repo, { profiles: ['support', billingProfile] });
    });
    afterEach(async () => {
      await mcp.close();
    });

    it('get_statement (default: last full month) embeds a PDF whose text shows the KWD totals, exact to 3 decimals', async () => {
      const r = await mcp.call('get_statement', { customer_id: 'TEL-1007' });
      const data = dataOf<Obj>(r);
      expect(data.statement).toMatchObject({
        customer_id: 'TEL-1007', customer_name: 'Fahad Al-Sabah', month, currency: 'KWD',
        opening_balance: 9.75, total_charges: 12.345, total_payments: 9.75, closing_balance: 12.345, payment_method: 'Visa ending in 9424',
      });
      expect(data.resource_uri).toBe(`statement://TEL-1007/${month}`);
      expect(data.summary).toMatch(/opening balance 9\.750 KWD; 2 charges totalling 12\.345 KWD, 1 payment totalling 9\.750 KWD\. Closing balance 12\.345 KWD\.$/);
      const pdf = embeddedPdf(r);
      expect(pdf.uri).toBe(data.resource_uri);
      const { text, pages } = await pdfText(pdf.bytes);
      expect(pages).toBe(1);
      for (const line of [
        'Billing statement', 'Fahad Al-Sabah', 'Customer code: TEL-1007', 'Currency: KWD', 'Payment method: Visa ending in 9424 (autopay on)',
        'Opening balance  9.750 KWD', 'Charges  12.345 KWD', 'Payments  -9.750 KWD', 'Closing balance  12.345 KWD',
        'International calls  2.595 KWD',
      ]) expect(text, line).toContain(line);
    });

    it('JPY has no decimals and GBP adds 0.10 + 0.41 exactly', async () => {
      const jpy = await pdfText(embeddedPdf(await mcp.call('get_statement', { customer_id: 'TEL-1006', month })).bytes);
      expect(jpy.text).toContain('Charges  5,480 JPY');
      expect(jpy.text).toContain('Closing balance  5,480 JPY');
      expect(jpy.text).toContain('Opening balance  4,980 JPY');
      const gbp = dataOf<Obj>(await mcp.call('get_statement', { customer_id: 'TEL-1005', month }));
      expect(gbp.statement).toMatchObject({ total_charges: 25.5, closing_balance: 25.5, opening_balance: 24.99, payment_method: null });
      const text = (await pdfText(embeddedPdf(await mcp.call('get_statement', { customer_id: 'TEL-1005' })).bytes)).text;
      expect(text).toContain('Charges  25.50 GBP');
      expect(text).toContain('Payment method: none on file');
    });

    it('a month with no activity is still a valid statement that says so', async () => {
      const r = await mcp.call('get_statement', { customer_id: 'TEL-1001', month: '2024-06' });
      expect(dataOf<Obj>(r).statement).toMatchObject({ charges: [], payments: [], opening_balance: 0, closing_balance: 0, currency: 'EUR' });
      const { text } = await pdfText(embeddedPdf(r).bytes);
      expect(text).toContain('No activity this month');
      expect(text).toContain('Closing balance  0.00 EUR');
      // the workshop's January 2025: 45.75 EUR charged, and statements agree with the balance
      const jan = dataOf<Obj>(await mcp.call('get_statement', { customer_id: 'TEL-1001', month: '2025-01' })).statement;
      expect(jan).toMatchObject({ opening_balance: 0, total_charges: 45.75, closing_balance: 45.75 });
    });

    it('refuses a month in the future or not YYYY-MM', async () => {
      for (const bad of ['2999-01', 'last month', '2024-13']) {
        expect(errorOf(await mcp.call('get_statement', { customer_id: 'TEL-1001', month: bad })).code, bad).toBe('VALIDATION_FAILED');
      }
      expect(errorOf(await mcp.call('get_statement', { customer_id: 'CUST-001' })).code).toBe('NOT_FOUND');
    });

    it('generate_billing_statement (billing) answers one sentence with the summary and the URI; resources/read serves the same PDF', async () => {
      const r = await mcp.call('generate_billing_statement', { customerCode: 'tel 1006' });
      expect(r.content).toHaveLength(1);
      expect(textOf(r)).toBe(`Billing statement for Yuki Tanaka (TEL-1006), ${new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${month.slice(0, 4)}: opening balance 4,980 JPY; 2 charges totalling 5,480 JPY, 1 payment totalling 4,980 JPY. Closing balance 5,480 JPY. The PDF statement is at statement://TEL-1006/${month}`);
      const read = await mcp.client.readResource({ uri: `statement://TEL-1006/${month}` });
      expect(read.contents).toHaveLength(1);
      const c = read.contents[0]!;
      expect(c.mimeType).toBe('application/pdf');
      const bytes = Buffer.from((c as { blob: string }).blob, 'base64');
      expect((await pdfText(bytes)).text).toContain('Closing balance  5,480 JPY');
      const templates = await mcp.client.listResourceTemplates();
      expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['statement://{customer}/{month}']);
      // nothing is enumerated
      expect((await mcp.client.listResources()).resources).toEqual([]);
    });

    it('the resource is behind the same guard: refused unverified, and for another customer than the verified one', async () => {
      const s = await openSession(repo, { conversationId: `stmt-${name}-${Date.now()}`, policy: securePolicy() });
      try {
        const uriA = `statement://TEL-1005/${month}`;
        const uriB = `statement://TEL-1007/${month}`;
        await expect(s.client.readResource({ uri: uriA })).rejects.toThrow(/AUTH_REQUIRED/);
        expect(errorOf(await s.call('get_statement', { customer_id: 'TEL-1005' })).code).toBe('AUTH_REQUIRED');
        await verifyByOtp(s, repo, 'TEL-1005');
        const ok = await s.client.readResource({ uri: uriA });
        expect((await pdfText(Buffer.from((ok.contents[0] as { blob: string }).blob, 'base64'))).text).toContain('Oliver Bennett');
        // verified for TEL-1005 only: guessing TEL-1007's URI is refused
        await expect(s.client.readResource({ uri: uriB })).rejects.toThrow(/AUTH_REQUIRED/);
        await expect(s.client.readResource({ uri: 'statement://TEL-1005/2999-01' })).rejects.toThrow(/VALIDATION_FAILED/);
      } finally {
        await s.close();
      }
    });
  });
}
