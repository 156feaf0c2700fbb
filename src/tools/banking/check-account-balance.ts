import { z } from 'zod';
import { BankAccountType } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { BalanceWithCardsData, customerIdArg, requiredText } from './schemas.js';

export default defineTool({
  name: 'check_account_balance',
  title: 'Check account balance',
  description: [
    'Check customer account balance (banking-specific).',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity; until then it answers AUTH_REQUIRED.',
    'Without accountType it returns the checking account, else savings, else credit; the result says which.',
    'For credit accounts the balance is the amount owed.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    accountType: BankAccountType.optional().describe('Which account; leave out for the customer\'s main account (checking, else savings, else credit).'),
  }),
  output: BalanceWithCardsData,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call check_account_balance again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId; if the customer exists, ask which account they mean (checking, savings or credit).',
    INVALID_STATE: 'Do not share account details; explain that the account is restricted and offer to open an account_issue case with create_support_ticket.',
  },
  async handler(args, ctx) {
    // Verification (under every access policy), the customer's status and the default
    // account are the banking service's rules.
    const account = await ctx.services.banking.balanceAccount(requiredText(args.customerId, 'customerId'), args.accountType);
    // Issue 13 (additive): the customer's cards, so a card can be named in block_card / unblock_card.
    const cards = await ctx.services.banking.listCards(account.customer_id);
    return {
      balance: account.balance,
      currency: account.currency,
      accountType: account.account_type,
      lastUpdated: account.last_updated,
      cards: cards.map((c) => ({ id: c.id, brand: c.brand, last4: c.last4, status: c.status })),
    };
  },
});
