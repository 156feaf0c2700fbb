import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerByEmail, emailArg, TicketReceipt, toTicketReceipt } from './schemas.js';

/**
 * PromptArena's stdio client re-sends a failed or slow call up to 3 times (100/200/400 ms
 * backoff) and the contract has no idempotency key: an identical request within this window
 * returns the ticket already created instead of opening a duplicate.
 */
export const TICKET_DEDUPE_WINDOW_MS = 10 * 60 * 1000;

export default defineTool({
  name: 'create_support_ticket',
  title: 'Create support ticket',
  description: 'Create a support ticket for issues requiring escalation',
  input: z.object({
    email: emailArg,
    // The contract's issue types are all ticket categories of the domain: mapped one to one.
    issue_type: z.enum(['billing', 'shipping', 'technical', 'account', 'other']).describe('Type of issue'),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).default('medium').describe('Priority level'),
    description: z.string().describe('Detailed description of the issue'),
  }),
  output: TicketReceipt,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const customer = await customerByEmail(ctx, args.email);
    const { ticket } = await ctx.services.tickets.createTicketDeduplicated(
      {
        customerId: customer.id,
        category: args.issue_type,
        priority: args.priority,
        description: args.description,
        conversationId: ctx.conversationId,
        referencePrefix: 'TICKET',
      },
      TICKET_DEDUPE_WINDOW_MS,
    );
    return toTicketReceipt(ticket);
  },
});
