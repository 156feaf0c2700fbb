import { z } from 'zod';
import { defineTool } from '../define.js';
import { TicketResult } from './schemas.js';

export default defineTool({
  name: 'get_ticket',
  title: 'Get support ticket',
  description: 'Get a support ticket by its id: category, priority, status and description. Use when the customer asks about an existing ticket.',
  input: z.object({ ticket_id: z.string().min(1).max(64).describe('Ticket id, e.g. TKT-7F3K9Q2M4D or TICK-1001.') }),
  output: TicketResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Ask the customer to confirm the ticket number.' },
  async handler(args, ctx) {
    return { ticket: await ctx.services.tickets.getTicket(args.ticket_id) };
  },
});
