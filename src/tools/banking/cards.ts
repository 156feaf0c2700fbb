// block_card / unblock_card: the contract's "Future Tools", on the banking service's card rules.
import { z } from 'zod';
import type { Card } from '../../domain/index.js';
import type { CardTarget } from '../../services/banking.js';
import { argumentError } from '../arguments.js';
import { customerIdArg, requiredText } from './schemas.js';

export const cardArgs = {
  customerId: customerIdArg,
  cardId: z.string().optional().describe('Card id, as listed in check_account_balance\'s cards.'),
  cardLast4: z.string().optional().describe('The last four digits of the card, as the customer reads them from it; instead of cardId.'),
};

/** The card a caller names: cardId, else cardLast4 (one of them is required). */
export const cardTarget = (args: { customerId: string; cardId?: string | undefined; cardLast4?: string | undefined }): CardTarget => {
  const customerId = requiredText(args.customerId, 'customerId');
  const cardId = args.cardId?.trim();
  if (cardId) return { customerId, cardId };
  const last4 = args.cardLast4?.trim();
  if (last4) return { customerId, last4 };
  throw argumentError('cardId', 'Give cardId or cardLast4 to say which card.', 'cardId or cardLast4 is required');
};

export const cardActionData = (card: Card, changed: boolean) => ({
  id: card.id,
  brand: card.brand,
  last4: card.last4,
  status: card.status,
  blockReason: card.block_reason,
  blockedAt: card.blocked_at,
  changed,
});
