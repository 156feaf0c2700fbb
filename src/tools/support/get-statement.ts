import { z } from 'zod';
import { Statement } from '../../domain/index.js';
import { PDF_MIME_TYPE, renderStatementPdf, statementFileName, statementSummary, statementUri } from '../../statements/pdf.js';
import { defineTool, withAttachments } from '../define.js';
import { customerIdArg } from './schemas.js';

export default defineTool({
  name: 'get_statement',
  title: 'Get billing statement',
  description: 'Get the customer\'s billing statement for one month as a PDF (an embedded application/pdf resource) with its figures: opening balance, charges, payments, closing balance, in the account\'s currency. Default month: the last full month. The same PDF can be read again at resource_uri. Use when the customer asks for a statement, an invoice or a bill for a month.',
  input: z.object({
    customer_id: customerIdArg,
    month: z.string().max(7).optional().describe('Calendar month as YYYY-MM (default: the last full month).'),
  }),
  output: z.object({
    statement: Statement,
    resource_uri: z.string().describe('statement://<customer>/<YYYY-MM>: resources/read returns the same PDF.'),
    file_name: z.string(),
    summary: z.string().describe('One paragraph to read to the customer; amounts formatted in the currency.'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Check the customer_id with find_customer; if the customer exists they have no billing account here.',
    VALIDATION_FAILED: 'Ask the customer which month they need (YYYY-MM, not in the future), or leave month out for the last full month.',
  },
  async handler(args, ctx) {
    const statement = await ctx.services.billing.getStatement(args.customer_id, args.month);
    const uri = statementUri(statement.customer_id, statement.month);
    const pdf = await renderStatementPdf(statement);
    return withAttachments(
      { statement, resource_uri: uri, file_name: statementFileName(statement), summary: statementSummary(statement) },
      [{ uri, mimeType: PDF_MIME_TYPE, blob: pdf.toString('base64') }],
    );
  },
});
