import { z } from 'zod';
import { defineTool } from '../define.js';
import { cardIdArg, CardResult } from './schemas.js';

export default defineTool({
  name: 'unblock_card',
  title: 'Unblock payment card',
  description: 'Lift a temporary block from a payment card so it works again. Only a block with reason temporary can be lifted: a card blocked as lost, stolen or suspected_fraud answers INVALID_STATE and must be replaced instead. Confirm with the customer first. Calling it on an active card is safe and reports already_active.',
  input: z.object({ card_id: cardIdArg }),
  output: CardResult.extend({ already_active: z.boolean().describe('true when the card was not blocked; nothing changed.') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call list_cards with the customer\'s customer_id and match the last four digits the customer gives.',
    INVALID_STATE: 'This card cannot be unblocked (reported lost, stolen or fraudulent, or already replaced). Offer a replacement card: open a ticket with create_ticket (category account, priority high) asking for a replacement of the card ending in its last four digits.',
  },
  async handler(args, ctx) {
    const { card, changed } = await ctx.services.banking.unblockCard({ cardId: args.card_id });
    return {
      card,
      already_active: !changed,
      message: changed
        ? `The card ending in ${card.last4} is unblocked and can be used again.`
        : `The card ending in ${card.last4} was not blocked; nothing changed.`,
    };
  },
});
