import { z } from 'zod';
import { BankAccountType } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { customerIdArg, requiredText, TransactionHistoryData } from './schemas.js';

export default defineTool({
  name: 'check_transaction_history',
  title: 'Check transaction history',
  description: [
    'List the transactions of a customer\'s account, newest first: postedAt, signed amount (negative = money out) with currency, description, merchant, status and balanceAfter.',
    'Works only after the customer has verified their identity in this conversation with verify_customer_identity.',
    'Narrow it with fromDate/toDate (YYYY-MM-DD, UTC, inclusive), minAmount/maxAmount (compared without the sign) and query (text in the description or merchant), e.g. to find a charge the customer asks about.',
    'At most limit (1-100, default 20) per page; pass nextCursor as cursor, with the same filters, for the next page.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    accountType: BankAccountType.optional().describe('Which account; leave out for the customer\'s main account (checking, else savings, else credit).'),
    fromDate: z.string().optional().describe('First day, YYYY-MM-DD.'),
    toDate: z.string().optional().describe('Last day, YYYY-MM-DD.'),
    minAmount: z.number().optional().describe('Smallest amount without its sign, e.g. 50.'),
    maxAmount: z.number().optional().describe('Largest amount without its sign.'),
    query: z.string().optional().describe('Text in the description or merchant, e.g. netflix.'),
    limit: z.number().int().optional().describe('Page size, 1-100 (default 20).'),
    cursor: z.string().optional().describe('nextCursor from the previous page.'),
  }),
  output: TransactionHistoryData,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call check_transaction_history again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId; if the customer exists, ask which account they mean (checking, savings or credit).',
    VALIDATION_FAILED: 'Fix the parameter named in the message; for a bad cursor, call again without cursor to start from the newest transactions.',
    INVALID_STATE: 'Do not share account details; explain that the account is restricted and offer to open an account_issue case with create_support_ticket.',
  },
  async handler(args, ctx) {
    const { account, transactions, next_cursor } = await ctx.services.banking.transactionHistory(requiredText(args.customerId, 'customerId'), {
      accountType: args.accountType, fromDate: args.fromDate, toDate: args.toDate, minAmount: args.minAmount, maxAmount: args.maxAmount,
      text: args.query, limit: args.limit, cursor: args.cursor,
    });
    return {
      accountId: account.id,
      accountType: account.account_type,
      currency: account.currency,
      transactions: transactions.map((t) => ({
        id: t.id, postedAt: t.posted_at, amount: t.amount, currency: t.currency, description: t.description,
        merchant: t.merchant, status: t.status, balanceAfter: t.balance_after,
      })),
      nextCursor: next_cursor,
    };
  },
});
