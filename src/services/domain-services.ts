// The domain services of one call, by domain. Tools reach customer data only through these
// (ctx.services.<domain>); each one applies the call's access guard, error translation and
// write options in its base class (domain-service.ts).
import type { SupportRepository } from '../repository/types.js';
import { BankingService } from './banking.js';
import { BillingService } from './billing.js';
import { CustomerService } from './customers.js';
import type { DomainServiceOptions } from './domain-service.js';
import { OrderService } from './orders.js';
import { TicketService } from './tickets.js';
import type { VerificationService } from './verification-service.js';

/** The services holding customer data (every public method is customer-scoped, see CUSTOMER_DATA_SERVICES). */
export interface CustomerDataServices {
  customers: CustomerService;
  orders: OrderService;
  billing: BillingService;
  banking: BankingService;
  tickets: TicketService;
}

/** What a tool may use: the customer-data services plus identity verification. */
export interface DomainServices extends CustomerDataServices {
  verification: VerificationService;
}

/**
 * The customer-data service classes by domain. Every public method of these refuses a customer
 * this conversation may not act on (AUTH_REQUIRED), except those a class lists in its static
 * `beforeVerification`; test/verification/guarded-services.test.ts enumerates them from here.
 */
export const CUSTOMER_DATA_SERVICES = {
  customers: CustomerService,
  orders: OrderService,
  billing: BillingService,
  banking: BankingService,
  tickets: TicketService,
} as const satisfies { [K in keyof CustomerDataServices]: abstract new (...args: never[]) => CustomerDataServices[K] };

export interface DomainServicesOptions extends DomainServiceOptions {
  verification: VerificationService;
  /** The call's conversation: banking balances need a verification in it. */
  conversationId: string;
}

/** The services of one call, sharing its guard and write options. */
export const createDomainServices = (repo: SupportRepository, opts: DomainServicesOptions): DomainServices => {
  const { verification, conversationId, ...common } = opts;
  return {
    customers: new CustomerService(repo, common),
    orders: new OrderService(repo, common),
    billing: new BillingService(repo, common),
    banking: new BankingService(repo, { ...common, requireVerified: (customerId) => verification.requireVerified(customerId, conversationId) }),
    tickets: new TicketService(repo, common),
    verification,
  };
};
