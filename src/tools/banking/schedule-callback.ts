import { z } from 'zod';
import { defineTool } from '../define.js';
import { CallbackData, customerIdArg, requiredText } from './schemas.js';

export default defineTool({
  name: 'schedule_callback',
  title: 'Schedule a callback',
  description: [
    'Schedule a call back to the customer on the phone number on file (never another number).',
    'Give the customer\'s local date (YYYY-MM-DD) and a window fromTime-toTime (HH:MM): in the future, at most 14 days ahead, inside business hours in the customer\'s time zone (default Mon-Fri 09:00-17:00).',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity.',
    'Repeating the same request returns the same callback; at most 3 scheduled callbacks per customer.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    date: z.string().describe('The customer\'s local date, YYYY-MM-DD.'),
    fromTime: z.string().describe('Start of the window, local time HH:MM (24-hour).'),
    toTime: z.string().describe('End of the window, local time HH:MM.'),
    topic: z.string().describe('What the call is about, in a few words.'),
  }),
  output: CallbackData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call schedule_callback again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId.',
    VALIDATION_FAILED: 'Ask the customer for another day or time inside business hours (in their time zone), in the future and within 14 days, then call schedule_callback again.',
    CONFLICT: 'The customer already has 3 scheduled callbacks; offer transfer_to_agent instead.',
    INVALID_STATE: 'There is no phone number on file; offer transfer_to_agent instead.',
  },
  async handler(args, ctx) {
    const r = await ctx.services.callbacks.scheduleCallback({
      customerId: requiredText(args.customerId, 'customerId'), date: args.date, fromTime: args.fromTime, toTime: args.toTime, topic: args.topic,
    });
    return {
      callbackId: r.callback.id,
      status: r.callback.status,
      windowStart: r.callback.window_start,
      windowEnd: r.callback.window_end,
      timezone: r.timezone,
      phoneMasked: r.phoneMasked,
      topic: r.callback.topic,
      existing: !r.created,
      message: r.message,
    };
  },
});
