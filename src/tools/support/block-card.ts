import { z } from 'zod';
import { CardBlockReason } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { cardIdArg, CardResult } from './schemas.js';

export default defineTool({
  name: 'block_card',
  title: 'Block payment card',
  description: 'Block a payment card immediately so no new payments go through. reason: lost, stolen, suspected_fraud (the card will be replaced; such a block cannot be lifted) or temporary (the customer can have it lifted with unblock_card). Confirm the card (last four digits) with the customer first. Calling it again on a blocked card is safe and reports already_blocked.',
  input: z.object({
    card_id: cardIdArg,
    reason: CardBlockReason.describe('Why the card is blocked: lost, stolen, suspected_fraud or temporary.'),
  }),
  output: CardResult.extend({ already_blocked: z.boolean().describe('true when the card was blocked before this call; nothing changed.') }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call list_cards with the customer\'s customer_id and match the last four digits the customer gives.',
    INVALID_STATE: 'This card has been replaced and no longer works; call list_cards to find the customer\'s current card.',
  },
  async handler(args, ctx) {
    const { card, changed } = await ctx.services.banking.blockCard({ cardId: args.card_id }, args.reason);
    return {
      card,
      already_blocked: !changed,
      message: changed
        ? `The card ending in ${card.last4} is now blocked; no new payments will be accepted.`
        : `The card ending in ${card.last4} was already blocked (${card.block_reason}); nothing changed.`,
    };
  },
});
