import { z } from 'zod';
import { defineTool } from '../define.js';
import { customerIdArg, TicketView } from './schemas.js';

export default defineTool({
  name: 'create_ticket',
  title: 'Create support ticket',
  description: 'Open a support ticket for a problem you cannot solve in the conversation (refunds, damaged or missing items, technical faults, billing disputes). Include what happened and what the customer wants. Pass an idempotency_key (any unique string per request) so a retry never creates a duplicate.',
  input: z.object({
    customer_id: customerIdArg,
    category: z.enum(['billing', 'shipping', 'order', 'technical', 'account', 'fraud', 'other']).describe('What the problem is about.'),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).optional().describe('How urgent (default medium).'),
    description: z.string().min(1).max(5000).describe('What happened, relevant order ids, and what the customer is asking for.'),
    idempotency_key: z.string().min(1).max(200).optional().describe('Unique per request; retries with the same key return the same ticket.'),
  }),
  output: z.object({
    ticket: TicketView,
    created: z.boolean().describe('false when this was a retry and the existing ticket is returned.'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id.',
    CONFLICT: 'This idempotency_key was used for a different request: use a new key for a new ticket.',
  },
  async handler(args, ctx) {
    return ctx.services.tickets.createTicket({
      customerId: args.customer_id,
      category: args.category,
      priority: args.priority ?? 'medium',
      description: args.description,
      idempotencyKey: args.idempotency_key ?? null,
      conversationId: ctx.conversationId,
    });
  },
});
