// Text extraction for tests: a generated PDF parsed back with Mozilla's pdf.js (pdfjs-dist), so
// a statement's figures are checked in the document the customer gets, not in our own data.
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pages: number;
  /** Each page's lines (text items joined by position), pages in order. */
  lines: string[];
  text: string;
}

export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.ERRORS, isEvalSupported: false, useSystemFonts: false }).promise;
  const lines: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    // group items by their baseline (y), then left to right
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const y = Math.round(item.transform[5] as number);
      const row = rows.get(y) ?? [];
      row.push({ x: item.transform[4] as number, s: item.str });
      rows.set(y, row);
    }
    for (const y of [...rows.keys()].sort((a, b) => b - a)) {
      lines.push(rows.get(y)!.sort((a, b) => a.x - b.x).map((r) => r.s).join('  ').replace(/\s{3,}/g, '  ').trim());
    }
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, lines, text: lines.join('\n') };
}
