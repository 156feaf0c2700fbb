import { z } from 'zod';
import { Handoff, HandoffPriority, HandoffQueue, HandoffReason } from '../../domain/index.js';
import { defineTool } from '../define.js';

export default defineTool({
  name: 'transfer_to_agent',
  title: 'Transfer to a human agent',
  description: 'Hand the conversation to a person on the support team: when the customer asks for a human, cannot verify their identity, is upset, reports fraud, or needs something these tools cannot do. Works without identity verification. Write a short factual summary for the person taking over (what the customer needs, what was already tried); do not include card numbers, codes or passwords. One handoff per conversation: calling again returns the same one with its current place in the queue. Tell the customer message_for_customer.',
  input: z.object({
    reason: HandoffReason.describe('Why a person is needed.'),
    summary: z.string().min(1).max(1000).describe('Two or three sentences for the person taking over.'),
    priority: HandoffPriority.optional().describe('Default medium (urgent for fraud_or_security).'),
    queue: HandoffQueue.optional().describe('Which team; default from the reason (fraud_or_security → fraud, tool_failure → technical, else general).'),
    customer_id: z.string().max(64).optional().describe('The customer the conversation is about, if known (from find_customer).'),
  }),
  output: z.object({
    handoff: Handoff.pick({ id: true, status: true, reason: true, priority: true, queue: true, created_at: true }),
    queue_position: z.number().int().min(0).describe('1 = next in line; 0 once a person has accepted it.'),
    already_requested: z.boolean().describe('true: this conversation already had a handoff in progress; it is returned unchanged.'),
    message_for_customer: z.string().describe('The sentence to tell the customer.'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    VALIDATION_FAILED: 'Fix the argument named in the message (a non-empty summary of at most 1000 characters) and call transfer_to_agent again.',
  },
  // Writes only the handoff queue (a control table): kept under --read-only, so a person stays reachable.
  writesOnlyServerRecords: 'handoff',
  async handler(args, ctx) {
    const { handoff, created, position, message } = await ctx.services.handoffs.transfer({
      reason: args.reason, summary: args.summary, priority: args.priority, queue: args.queue, customerId: args.customer_id,
    });
    return {
      handoff: { id: handoff.id, status: handoff.status, reason: handoff.reason, priority: handoff.priority, queue: handoff.queue, created_at: handoff.created_at },
      queue_position: position,
      already_requested: !created,
      message_for_customer: message,
    };
  },
});
