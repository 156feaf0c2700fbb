// A billing statement as a PDF (pdfkit, the standard Helvetica fonts: no font files to ship).
// One or more A4 pages: header with the customer's name and code, the period and currency,
// a summary box (opening balance, charges, payments, closing balance), then every charge and
// payment of the month, and the masked payment method. Every amount is formatted from exact
// minor units (formatMoney: '1,234.50 EUR', '5,480 JPY', '12.345 KWD'). A month with no
// activity says so. The same statement always gives the same bytes (fixed dates, no random id).
import { formatMoney, type Statement } from '../domain/index.js';

export const PDF_MIME_TYPE = 'application/pdf';

/** The resource URI of a statement: statement://<customer>/<YYYY-MM>. */
export const statementUri = (customerId: string, month: string): string =>
  `statement://${encodeURIComponent(customerId)}/${month}`;

/** The file name a client should save it under. */
export const statementFileName = (s: Pick<Statement, 'customer_id' | 'month'>): string => `statement-${s.customer_id}-${s.month}.pdf`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthName = (month: string): string => {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1]} ${y}`;
};

/** The short text that goes with the PDF: what a client that cannot show the PDF tells the customer. */
export const statementSummary = (s: Statement): string => {
  const money = (n: number) => formatMoney(n, s.currency);
  const activity = s.charges.length + s.payments.length === 0
    ? 'no charges or payments this month.'
    : `${s.charges.length} charge${s.charges.length === 1 ? '' : 's'} totalling ${money(s.total_charges)}, ${s.payments.length} payment${s.payments.length === 1 ? '' : 's'} totalling ${money(s.total_payments)}.`;
  return `Billing statement for ${s.customer_name} (${s.customer_id}), ${monthName(s.month)}: opening balance ${money(s.opening_balance)}; ${activity} Closing balance ${money(s.closing_balance)}.`;
};

// WinAnsi (the standard fonts' encoding) has no glyph for most of Unicode: keep Latin-1, mark the rest.
const pdfText = (text: string): string => text.normalize('NFC').replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

export async function renderStatementPdf(s: Statement): Promise<Buffer> {
  // Loaded on first use: pdfkit takes ~140 ms to import, and every server serving a statement
  // tool (the default profile) would otherwise pay that at start-up.
  const { default: PDFDocument } = await import('pdfkit');
  const generated = new Date(s.generated_at);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
    info: {
      Title: `Billing statement ${s.customer_id} ${s.month}`,
      Author: 'support-mcp',
      Subject: `Billing statement for ${monthName(s.month)}`,
      CreationDate: generated,
      ModDate: generated,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (n: number) => formatMoney(n, s.currency);
  const left = 50;
  const right = doc.page.width - 50;
  const width = right - left;

  // header
  doc.font('Helvetica-Bold').fontSize(20).text('Billing statement', left, 50);
  doc.font('Helvetica').fontSize(11).fillColor('#444444')
    .text(`${monthName(s.month)} (${s.period_start} to ${s.period_end})`, left, 78);
  doc.fillColor('black').moveDown(1.2);
  doc.font('Helvetica-Bold').fontSize(12).text(pdfText(s.customer_name));
  doc.font('Helvetica').fontSize(10)
    .text(`Customer code: ${pdfText(s.customer_id)}`)
    .text(`Currency: ${s.currency}`)
    .text(`Payment method: ${pdfText(s.payment_method ?? 'none on file')}${s.autopay ? ' (autopay on)' : ''}`);
  doc.moveDown(1);

  // summary box
  const rows: [string, string][] = [
    ['Opening balance', money(s.opening_balance)],
    ['Charges', money(s.total_charges)],
    ['Payments', money(-s.total_payments === 0 ? 0 : -s.total_payments)],
    ['Closing balance', money(s.closing_balance)],
  ];
  const boxTop = doc.y;
  doc.rect(left, boxTop, width, rows.length * 20 + 12).strokeColor('#999999').stroke();
  rows.forEach(([label, value], i) => {
    const y = boxTop + 8 + i * 20;
    const bold = i === rows.length - 1;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(11);
    doc.text(label, left + 12, y, { lineBreak: false });
    doc.text(value, left + 12, y, { width: width - 24, align: 'right', lineBreak: false });
  });
  doc.x = left;
  doc.y = boxTop + rows.length * 20 + 28;

  const table = (title: string, lines: { date: string; text: string; amount: number }[], empty: string) => {
    doc.font('Helvetica-Bold').fontSize(12).text(title, left, doc.y);
    doc.moveDown(0.3);
    if (lines.length === 0) {
      doc.font('Helvetica-Oblique').fontSize(10).text(empty, left, doc.y);
    }
    for (const line of lines) {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      doc.font('Helvetica').fontSize(10);
      doc.text(line.date, left, y, { width: 80, lineBreak: false });
      doc.text(pdfText(line.text), left + 85, y, { width: width - 85 - 130, lineBreak: false, ellipsis: true });
      doc.text(money(line.amount), left, y, { width, align: 'right', lineBreak: false });
      doc.x = left;
      doc.y = y + 16;
    }
    doc.moveDown(1);
  };

  if (s.charges.length + s.payments.length === 0) {
    doc.font('Helvetica-Oblique').fontSize(11).text('No activity this month: no charges and no payments.', left, doc.y);
    doc.moveDown(1);
  } else {
    table('Charges', s.charges.map((c) => ({ date: c.charged_on, text: c.description, amount: c.amount })), 'No charges this month.');
    table('Payments', s.payments.map((p) => ({ date: p.paid_on, text: p.method, amount: p.amount })), 'No payments this month.');
  }

  // footer on every page
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area; no page break for it
    doc.font('Helvetica').fontSize(8).fillColor('#666666')
      .text(`${pdfText(s.customer_id)} - ${s.month} - page ${i + 1} of ${pages.count} - generated ${s.generated_at.slice(0, 10)}`,
        left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
