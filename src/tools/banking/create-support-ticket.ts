import { z } from 'zod';
import type { TicketStatus } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { CaseData, customerIdArg, requiredText } from './schemas.js';

const CASE_TYPES = ['fraud', 'dispute', 'chargeback', 'account_issue', 'transaction_inquiry', 'other'] as const;
type CaseType = (typeof CASE_TYPES)[number];

// Case references keep the contract's look (CASE-FRD-2024-001): CASE-<type code>-<random>.
const TYPE_CODE: Record<CaseType, string> = {
  fraud: 'FRD', dispute: 'DSP', chargeback: 'CHB', account_issue: 'ACC', transaction_inquiry: 'TXN', other: 'OTH',
};

// Our ticket statuses onto the contract's four: a case waiting for or with an agent is open /
// in progress from the customer's point of view.
const STATUS: Record<TicketStatus, z.infer<typeof CaseData>['status']> = {
  open: 'open', assigned: 'open', in_progress: 'in_progress', escalated: 'in_progress', resolved: 'resolved', closed: 'closed',
};

export default defineTool({
  name: 'create_support_ticket',
  title: 'Create support case',
  description: [
    'Create a support ticket or case.',
    'Use it for fraud reports, disputes, chargebacks, account problems and transaction questions that need follow-up by the bank;',
    'describe what happened and, when money is involved, give the amount and currency.',
    'Every call opens a new case: do not repeat a call that succeeded.',
  ].join(' '),
  input: z.object({
    type: z.enum(CASE_TYPES).describe('Kind of case.'),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).describe('How urgent the case is; use urgent for suspected fraud in progress.'),
    description: z.string().describe('What happened, relevant dates and transactions, and what the customer is asking for.'),
    customerId: customerIdArg,
    amount: z.number().optional().describe('Amount involved, e.g. the disputed charge, in major units such as 89.99.'),
    currency: z.string().optional().describe('ISO 4217 code of the amount, e.g. USD.'),
  }),
  output: CaseData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call create_support_ticket again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId.',
    VALIDATION_FAILED: 'Fix the parameters named in the message and call create_support_ticket again.',
  },
  async handler(args, ctx) {
    // Amount and currency rules (and their messages) are the ticket service's.
    const { ticket } = await ctx.services.tickets.createTicket({
      customerId: requiredText(args.customerId, 'customerId'),
      category: args.type,
      priority: args.priority,
      description: args.description,
      amount: args.amount ?? null,
      currency: args.currency ?? null,
      conversationId: ctx.conversationId,
      referencePrefix: `CASE-${TYPE_CODE[args.type]}`,
    });
    return { caseId: ticket.id, caseNumber: ticket.number, status: STATUS[ticket.status], createdAt: ticket.created_at };
  },
});
