import { z } from 'zod';
import { BankAccountType } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { customerIdArg, TransactionListResult } from './schemas.js';

export default defineTool({
  name: 'list_transactions',
  title: 'List account transactions',
  description: 'List the transactions of one of a customer\'s bank accounts, newest first: date, signed amount (negative = money out) with currency, description, merchant, status (pending/posted) and the balance after it. Narrow it with a date range (UTC calendar days, both inclusive), a range of the amount (compared without its sign) and text found in the description or merchant, e.g. to find a charge the customer asks about. Returns at most `limit` transactions and a next_cursor for the following page (pass the same filters again).',
  input: z.object({
    customer_id: customerIdArg,
    account_id: z.string().min(1).max(64).optional().describe('Which account by id (as returned in a previous list_transactions result); leave out for the main account (checking, else savings, else credit).'),
    account_type: BankAccountType.optional().describe('Which account by type, instead of account_id.'),
    from_date: z.string().max(10).optional().describe('First day, YYYY-MM-DD (UTC).'),
    to_date: z.string().max(10).optional().describe('Last day, YYYY-MM-DD (UTC).'),
    min_amount: z.number().min(0).optional().describe('Smallest amount, without its sign, e.g. 50 for charges of 50.00 or more.'),
    max_amount: z.number().min(0).optional().describe('Largest amount, without its sign.'),
    text: z.string().max(100).optional().describe('Text in the description or merchant, e.g. netflix (case-insensitive).'),
    limit: z.number().int().min(1).max(100).optional().describe('Page size, 1-100 (default 20).'),
    cursor: z.string().max(500).optional().describe('next_cursor from the previous page.'),
  }),
  output: TransactionListResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id; if the customer exists, ask which account they mean (checking, savings or credit).',
    VALIDATION_FAILED: 'Fix the argument named in the message; for a bad cursor, call list_transactions again without cursor to start from the first page.',
    INVALID_STATE: 'Do not share account details; explain that the account is restricted and offer to create_ticket.',
  },
  async handler(args, ctx) {
    const { account, transactions, next_cursor } = await ctx.services.banking.transactionHistory(args.customer_id, {
      accountId: args.account_id, accountType: args.account_type, fromDate: args.from_date, toDate: args.to_date,
      minAmount: args.min_amount, maxAmount: args.max_amount, text: args.text, limit: args.limit, cursor: args.cursor,
    });
    return { account: { id: account.id, account_type: account.account_type, currency: account.currency }, transactions, next_cursor };
  },
});
