import { z } from 'zod';
import { maskPhone } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { CallbackView } from './schedule-callback.js';

export default defineTool({
  name: 'cancel_callback',
  title: 'Cancel a callback',
  description: 'Cancel a scheduled callback by its id (from schedule_callback). Calling it again on a cancelled callback is safe and reports already_cancelled. A callback that already took place cannot be cancelled.',
  input: z.object({ callback_id: z.string().min(1).max(64).describe('Callback id, e.g. CB-7F3K9Q2M4D.') }),
  output: z.object({ callback: CallbackView, already_cancelled: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Check the callback id returned by schedule_callback.',
    INVALID_STATE: 'The callback already took place; nothing to cancel.',
  },
  async handler(args, ctx) {
    const { callback, changed } = await ctx.services.callbacks.cancelCallback(args.callback_id);
    const { destination, ...rest } = callback;
    return { callback: { ...rest, phone_masked: maskPhone(destination) }, already_cancelled: !changed };
  },
});
