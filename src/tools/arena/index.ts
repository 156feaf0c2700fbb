// The `arena` profile: the four tools of PromptArena's customer-support example
// (AltairaLabs/promptarena examples/customer-support-integrated; shared/reference/promptarena.md),
// with exactly the tool YAMLs' names, descriptions and input schemas, so the example's tool
// files can switch to `mode: mcp` unchanged, and its mock-provider script runs against real data.
//
// Contract decisions (the example leaves these open):
// - Results are one text item with the JSON object pretty-printed; no structuredContent or
//   outputSchema (PromptArena reads neither). See presenter.ts.
// - "Not found" (unknown e-mail, no subscription) is a normal result {"found": false, "message"},
//   because PromptArena drops a tool after two errors in one turn. Invalid arguments (e.g. an
//   e-mail without '@') and database trouble are isError with a short plain message.
// - tier: our 'standard' is reported as 'basic' (the contract knows basic|premium|enterprise).
// - order status: our 'processing' is reported as 'pending'; order `date` is the day it was
//   placed; `items` are product names, "Name (xN)" when the quantity is above one.
// - ticket status: in_progress and escalated are reported as 'assigned'; `ticket_id` is the
//   ticket's reference (new ones look like TICKET-7F3K9Q2M4D); created_at has whole seconds.
// - Subscription dates that do not exist (null) are left out instead of sent as null.
// - get_order_history: limit 0 means the default 5 (OpenAI strict mode sends every property),
//   a negative limit is an argument error, and more than 100 is capped at 100.
// - create_support_ticket is safe to repeat: an identical request (same customer, issue_type,
//   priority, description) within TICKET_DEDUPE_WINDOW_MS (10 minutes) returns the same ticket
//   (TicketService.createTicketDeduplicated).
import type { Profile } from '../profile.js';
import { arenaPresenter } from './presenter.js';
import getCustomerInfo from './get-customer-info.js';
import getOrderHistory from './get-order-history.js';
import checkSubscriptionStatus from './check-subscription-status.js';
import createSupportTicket from './create-support-ticket.js';

export const arenaProfile: Profile = {
  defaultAccess: 'open',
  defaultRateLimits: false,
  name: 'arena',
  description: 'PromptArena customer-support example: get_customer_info, get_order_history, check_subscription_status, create_support_ticket (by e-mail; pretty-printed JSON text results).',
  presenter: arenaPresenter,
  instructions: 'Customer-support tools keyed by the customer\'s e-mail address. Look the customer up with get_customer_info; get_order_history, check_subscription_status and create_support_ticket take the same email. A customer or subscription that is not found is a normal result (found: false), not an error. Never guess e-mail addresses.',
  tools: [getCustomerInfo, getOrderHistory, checkSubscriptionStatus, createSupportTicket],
};
