import { z } from 'zod';
import { defineTool } from '../define.js';
import { HandoffData } from './schemas.js';

export default defineTool({
  name: 'transfer_to_agent',
  title: 'Transfer to a human agent',
  description: [
    'Transfer the conversation to a human agent: when the customer asks for a person, cannot verify their identity, reports fraud, or needs something these tools cannot do.',
    'Works without identity verification and reveals nothing about the customer.',
    'Give the reason and a short factual summary for the agent (no card numbers, codes or passwords).',
    'One transfer per conversation: calling again returns the same handoff and its current queue position.',
    'Tell the customer the returned message.',
  ].join(' '),
  input: z.object({
    reason: z.enum(['customer_request', 'cannot_verify', 'complaint', 'fraud_or_security', 'complex_issue', 'tool_failure', 'other']).describe('Why a person is needed.'),
    summary: z.string().describe('Two or three sentences for the agent taking over.'),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).optional().describe('Default medium (urgent for fraud_or_security).'),
    queue: z.enum(['general', 'fraud', 'cards', 'billing', 'technical']).optional().describe('Which team; default from the reason.'),
    customerId: z.string().optional().describe('Customer ID if known, e.g. CUST-001.'),
  }),
  output: HandoffData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    VALIDATION_FAILED: 'Give a reason and a non-empty summary of at most 1000 characters, then call transfer_to_agent again.',
  },
  // Writes only the handoff queue (a control table): kept under --read-only, so a person stays reachable.
  writesOnlyServerRecords: 'handoff',
  async handler(args, ctx) {
    const { handoff, created, position, message } = await ctx.services.handoffs.transfer({
      reason: args.reason, summary: args.summary, priority: args.priority, queue: args.queue, customerId: args.customerId,
    });
    return {
      handoffId: handoff.id,
      status: handoff.status,
      queue: handoff.queue,
      priority: handoff.priority,
      queuePosition: position,
      existing: !created,
      message,
      createdAt: handoff.created_at,
    };
  },
});
