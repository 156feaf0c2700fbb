import { z } from 'zod';
import { PDF_MIME_TYPE, renderStatementPdf, statementSummary, statementUri } from '../../statements/pdf.js';
import { defineTool, withAttachments } from '../define.js';
import { CODE_EXAMPLE, CODE_NEXT_STEPS, customerByCode } from './customer-code.js';

// The workshop's challenge "a tool that generates a PDF billing statement", in its style: a
// sentence the voice agent can read out, naming where the PDF is (resources/read on the URI).
export default defineTool({
  name: 'generate_billing_statement',
  title: 'Generate billing statement',
  description: "Generates the customer's PDF billing statement for a month (opening balance, charges, payments, closing balance).",
  input: z.object({
    customerCode: z.string().optional().describe('Unique identifier for the customer to generate the statement for.'),
    month: z.string().optional().describe("Month of the statement as YYYY-MM (e.g. '2025-01'); default the last full month."),
  }),
  output: z.string(),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    ...CODE_NEXT_STEPS,
    VALIDATION_FAILED: `Ask the customer for their customer code (for example ${CODE_EXAMPLE}) and the month they need (YYYY-MM, not in the future), then call the tool again.`,
  },
  async handler(args, ctx) {
    const customer = await customerByCode(ctx, args.customerCode);
    const statement = await ctx.services.billing.getStatement(customer.id, args.month);
    const uri = statementUri(statement.customer_id, statement.month);
    const pdf = await renderStatementPdf(statement);
    return withAttachments(`${statementSummary(statement)} The PDF statement is at ${uri}`, [
      { uri, mimeType: PDF_MIME_TYPE, blob: pdf.toString('base64') },
    ]);
  },
});
