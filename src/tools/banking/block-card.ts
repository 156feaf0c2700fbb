import { z } from 'zod';
import { defineTool } from '../define.js';
import { cardActionData, cardArgs, cardTarget } from './cards.js';
import { CardActionData } from './schemas.js';

export default defineTool({
  name: 'block_card',
  title: 'Block card',
  description: [
    'Block a customer\'s card immediately (lost, stolen, suspected fraud, or a temporary freeze).',
    'Name the card by cardId or by cardLast4, the last four digits the customer reads from it.',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity.',
    'Repeating the call is safe: a card already blocked is reported with changed false.',
    'Only a temporary block can be lifted later with unblock_card; lost, stolen and fraud blocks are final and the card is replaced.',
  ].join(' '),
  input: z.object({
    ...cardArgs,
    reason: z.enum(['lost', 'stolen', 'suspected_fraud', 'temporary']).describe('Why the card is blocked.'),
  }),
  output: CardActionData,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call block_card again.',
    NOT_FOUND: 'Ask the customer for the last four digits of the card, or call check_account_balance to see the customer\'s cards.',
    INVALID_STATE: 'This card has been replaced and no longer works; call check_account_balance to see the customer\'s current cards.',
    VALIDATION_FAILED: 'Give cardId or cardLast4 (four digits) and a reason, then call block_card again.',
  },
  async handler(args, ctx) {
    const { card, changed } = await ctx.services.banking.blockCard(cardTarget(args), args.reason);
    return cardActionData(card, changed);
  },
});
