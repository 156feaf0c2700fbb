import { z } from 'zod';
import { defineTool } from '../define.js';
import { CardView, customerIdArg } from './schemas.js';

export default defineTool({
  name: 'list_cards',
  title: 'List payment cards',
  description: 'List a customer\'s payment cards (id, brand, last four digits, status active/blocked/replaced, block reason). Use it to find the card_id that block_card and unblock_card need: ask the customer for the last four digits and match them here.',
  input: z.object({ customer_id: customerIdArg }),
  output: z.object({ cards: z.array(CardView) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: { NOT_FOUND: 'Call find_customer to get a valid customer_id.' },
  async handler(args, ctx) {
    return { cards: await ctx.services.banking.listCards(args.customer_id) };
  },
});
