import { z } from 'zod';
import { Callback } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { customerIdArg } from './schemas.js';

export const CallbackView = Callback.omit({ destination: true }).extend({
  phone_masked: z.string().describe('The number on file that will be called, masked.'),
});

export default defineTool({
  name: 'schedule_callback',
  title: 'Schedule a callback',
  description: 'Schedule a phone call back to the customer, on the phone number on file (the number cannot be chosen here; to change it use update_contact first). Give the customer\'s local date and a time window; it must be in the future, at most 14 days ahead, and inside business hours in the customer\'s time zone (default Mon-Fri 09:00-17:00; update_preferences sets the time zone). Calling again with the same request returns the same callback. A customer can have at most 3 scheduled callbacks; cancel one with cancel_callback.',
  input: z.object({
    customer_id: customerIdArg,
    date: z.string().max(10).describe('The customer\'s local date, YYYY-MM-DD.'),
    from_time: z.string().max(5).describe('Start of the window, local time HH:MM (24-hour).'),
    to_time: z.string().max(5).describe('End of the window, local time HH:MM.'),
    topic: z.string().min(1).max(200).describe('What the call is about, in a few words.'),
  }),
  output: z.object({
    callback: CallbackView,
    timezone: z.string().describe('The time zone the window is in.'),
    already_scheduled: z.boolean().describe('true: the same request was already scheduled; it is returned unchanged.'),
    message: z.string().describe('What to tell the customer.'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id.',
    VALIDATION_FAILED: 'Ask the customer for another day or time inside business hours (in their time zone), in the future and within 14 days, then call schedule_callback again.',
    CONFLICT: 'The customer already has 3 scheduled callbacks: offer to cancel one with cancel_callback, or use transfer_to_agent.',
    INVALID_STATE: 'There is no phone number on file: add one with update_contact (after confirming it with the customer), then schedule again.',
  },
  async handler(args, ctx) {
    const r = await ctx.services.callbacks.scheduleCallback({
      customerId: args.customer_id, date: args.date, fromTime: args.from_time, toTime: args.to_time, topic: args.topic,
    });
    const { destination: _number, ...callback } = r.callback;
    return { callback: { ...callback, phone_masked: r.phoneMasked }, timezone: r.timezone, already_scheduled: !r.created, message: r.message };
  },
});
