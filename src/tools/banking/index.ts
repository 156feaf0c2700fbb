// The `banking` legacy-contract profile: the four tools of the banking customer-care Tools
// Contract (seed 002), with the contract's success/error envelope. See presenter.ts for the
// envelope and error-code mapping and the tool files for the contract decisions.
import type { Profile } from '../profile.js';
import checkAccountBalance from './check-account-balance.js';
import createSupportTicket from './create-support-ticket.js';
import lookupCustomer from './lookup-customer.js';
import { bankingPresenter } from './presenter.js';
import verifyCustomerIdentity from './verify-customer-identity.js';
import blockCard from './block-card.js';
import unblockCard from './unblock-card.js';
import checkTransactionHistory from './check-transaction-history.js';
import transferToAgent from './transfer-to-agent.js';
import updateCustomerPreferences from './update-customer-preferences.js';
import scheduleCallback from './schedule-callback.js';

export const bankingProfile: Profile = {
  defaultAccess: 'verified',
  defaultRateLimits: true,
  name: 'banking',
  description: 'Banking customer-care Tools Contract v1.0: lookup_customer, create_support_ticket, check_account_balance, verify_customer_identity, in its { success, data | error, toolCallId } envelope.',
  presenter: bankingPresenter,
  instructions: 'Banking customer-care tools. Find the customer with lookup_customer (by phone, email or customer ID); its id is the customerId the other tools take. check_account_balance answers AUTH_REQUIRED until the customer is verified in this conversation: verify them with verify_customer_identity first; the server enforces this. create_support_ticket opens a case. check_account_balance also lists the customer\'s cards; block_card and unblock_card take a cardId or the card\'s last four digits (cardLast4), and check_transaction_history lists an account\'s transactions; like balances they need a verified customer. schedule_callback books a call back to the number on file inside business hours; update_customer_preferences changes contact channel, language, marketing consent and time zone. transfer_to_agent hands the conversation to a person at any time, verified or not. Never guess identifiers.',
  // The contract's four tools first, in its order; then its "Future Tools" (issue 13).
  tools: [lookupCustomer, createSupportTicket, checkAccountBalance, verifyCustomerIdentity, transferToAgent, scheduleCallback, updateCustomerPreferences, checkTransactionHistory, blockCard, unblockCard],
};
