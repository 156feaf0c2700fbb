// The default `support` profile: the canonical tools with structured results.
import type { Profile } from '../profile.js';
import { structuredPresenter } from '../presenter.js';
import findCustomer from './find-customer.js';
import getOrder from './get-order.js';
import listOrders from './list-orders.js';
import cancelOrder from './cancel-order.js';
import requestReturn from './request-return.js';
import getReturn from './get-return.js';
import getSubscription from './get-subscription.js';
import getBilling from './get-billing.js';
import setAutopay from './set-autopay.js';
import getStatement from './get-statement.js';
import updateContact from './update-contact.js';
import createTicket from './create-ticket.js';
import getTicket from './get-ticket.js';
import verifyIdentity from './verify-identity.js';
import listCards from './list-cards.js';
import blockCard from './block-card.js';
import unblockCard from './unblock-card.js';
import listTransactions from './list-transactions.js';
import transferToAgent from './transfer-to-agent.js';
import updatePreferences from './update-preferences.js';
import scheduleCallback from './schedule-callback.js';
import cancelCallback from './cancel-callback.js';
import type { AnyToolDefinition } from '../define.js';

// Under verified access every tool that reads or changes one customer's data answers
// AUTH_REQUIRED until that customer is verified in the conversation: say how.
const withAuthStep = (tool: AnyToolDefinition): AnyToolDefinition => ({
  ...tool,
  nextSteps: {
    AUTH_REQUIRED: `Verify the customer with verify_identity (method otp or kba) in this conversation, then call ${tool.name} again. Do not share anything about the account before that.`,
    ...tool.nextSteps,
  },
});

export const supportProfile: Profile = {
  defaultAccess: 'verified',
  defaultRateLimits: true,
  name: 'support',
  description: 'Canonical support tools with structured results (default).',
  presenter: structuredPresenter,
  instructions: 'Customer-support tools. Identify the customer with find_customer before using tools that take a customer_id. When a tool answers AUTH_REQUIRED, verify the customer\'s identity with verify_identity first; the server enforces this. For a month\'s PDF bill, get_statement. For a delivered order the customer wants to send back, request_return (get_return and get_order show returns). For a lost or stolen card, find its card_id with list_cards and block it with block_card; list_transactions shows an account\'s transactions; schedule_callback books a call back (cancel_callback cancels it) and update_preferences sets contact channel, language, marketing consent and time zone. When the customer wants a person, or cannot verify, use transfer_to_agent (no verification needed). Never guess identifiers.',
  tools: [
    findCustomer, verifyIdentity, getOrder, listOrders, cancelOrder, requestReturn, getReturn, getSubscription, getBilling, getStatement,
    setAutopay, updateContact, createTicket, getTicket,
    listCards, blockCard, unblockCard, listTransactions, updatePreferences, scheduleCallback, cancelCallback, transferToAgent,
  ]
    .map(withAuthStep),
};
