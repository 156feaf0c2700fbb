import { z } from 'zod';
import { defineTool } from '../define.js';
import { cardActionData, cardArgs, cardTarget } from './cards.js';
import { CardActionData } from './schemas.js';

export default defineTool({
  name: 'unblock_card',
  title: 'Unblock card',
  description: [
    'Lift a temporary block from a customer\'s card so it works again.',
    'Name the card by cardId or by cardLast4.',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity.',
    'A card blocked as lost, stolen or suspected_fraud cannot be unblocked (INVALID_OPERATION): offer a replacement instead.',
    'An active card is reported with changed false.',
  ].join(' '),
  input: z.object(cardArgs),
  output: CardActionData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call unblock_card again.',
    NOT_FOUND: 'Ask the customer for the last four digits of the card, or call check_account_balance to see the customer\'s cards.',
    INVALID_STATE: 'This card cannot be unblocked (reported lost, stolen or fraudulent, or replaced). Offer a replacement card: open a case with create_support_ticket (type account_issue, priority high) asking for a replacement of the card ending in its last four digits.',
    VALIDATION_FAILED: 'Give cardId or cardLast4 (four digits), then call unblock_card again.',
  },
  async handler(args, ctx) {
    const { card, changed } = await ctx.services.banking.unblockCard(cardTarget(args));
    return cardActionData(card, changed);
  },
});
