// The default `support` profile: the canonical tools with structured results.
import type { Profile } from '../profile.js';
import { structuredPresenter } from '../presenter.js';
import findCustomer from './find-customer.js';
import getOrder from './get-order.js';
import listOrders from './list-orders.js';
import cancelOrder from './cancel-order.js';
import getSubscription from './get-subscription.js';
import getBilling from './get-billing.js';
import updateContact from './update-contact.js';
import createTicket from './create-ticket.js';
import getTicket from './get-ticket.js';

export const supportProfile: Profile = {
  defaultAccess: 'verified',
  defaultRateLimits: true,
  name: 'support',
  description: 'Canonical support tools with structured results (default).',
  presenter: structuredPresenter,
  tools: [findCustomer, getOrder, listOrders, cancelOrder, getSubscription, getBilling, updateContact, createTicket, getTicket],
};
