import { z } from 'zod';
import { BankAccountType, type BankAccount } from '../../domain/index.js';
import { ServiceError } from '../../services/errors.js';
import { defineTool } from '../define.js';
import { BalanceData, customerIdArg, requiredText } from './schemas.js';

/** Without accountType: the first account the customer has in this order (the same on every backend). */
export const DEFAULT_ACCOUNT_ORDER: readonly BankAccountType[] = ['checking', 'savings', 'credit'];

const pick = (accounts: BankAccount[]): BankAccount => {
  const rank = (a: BankAccount) => DEFAULT_ACCOUNT_ORDER.indexOf(a.account_type);
  // By type, then by id, so a customer with two accounts of a type gets the same one everywhere.
  return [...accounts].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]!;
};

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
  output: BalanceData,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    AUTH_REQUIRED: 'Verify the customer\'s identity with verify_customer_identity in this conversation, then call check_account_balance again.',
    NOT_FOUND: 'Call lookup_customer to get a valid customerId; if the customer exists, ask which account they mean (checking, savings or credit).',
    INVALID_STATE: 'Do not share account details; explain that the account is restricted and offer to open an account_issue case with create_support_ticket.',
  },
  async handler(args, ctx) {
    // Under verified access getCustomer already answers AUTH_REQUIRED; the contract requires
    // verification for balances under open access too.
    const customer = await ctx.support.getCustomer(requiredText(args.customerId, 'customerId'));
    await ctx.verification.requireVerified(customer.id, ctx.conversationId);
    // Checked after authentication, so an unverified caller does not learn the account's state.
    if (customer.status !== 'active') {
      throw new ServiceError('INVALID_STATE', `Customer ${customer.id}'s accounts are ${customer.status}; balances cannot be given out.`, {
        entity: 'customer', state: customer.status,
      });
    }
    const account = pick(await ctx.support.listBankAccounts(customer.id, args.accountType));
    return {
      balance: account.balance,
      currency: account.currency,
      accountType: account.account_type,
      lastUpdated: account.last_updated,
    };
  },
});
