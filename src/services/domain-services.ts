// The domain services of one call, by domain. Tools reach customer data only through these
// (ctx.services.<domain>); each one applies the call's access guard, error translation and
// write options in its base class (domain-service.ts).
import type { SupportRepository } from '../repository/types.js';
import { BankingService, type BankingServiceOptions } from './banking.js';
import { BillingService } from './billing.js';
import { CallbackService, type CallbackServiceOptions } from './callbacks.js';
import { CustomerService } from './customers.js';
import type { DomainServiceOptions } from './domain-service.js';
import { HandoffService } from './handoffs.js';
import { OrderService, type OrderServiceOptions } from './orders.js';
import { TicketService } from './tickets.js';
import type { VerificationService } from './verification-service.js';

/** The services holding customer data (every public method is customer-scoped, see CUSTOMER_DATA_SERVICES). */
export interface CustomerDataServices {
  customers: CustomerService;
  orders: OrderService;
  billing: BillingService;
  banking: BankingService;
  tickets: TicketService;
  callbacks: CallbackService;
}

/**
 * What a tool may use: the customer-data services plus identity verification and handoffs to a
 * person, the two services that work before verification by design (they show no customer data).
 */
export interface DomainServices extends CustomerDataServices {
  verification: VerificationService;
  handoffs: HandoffService;
}

/** What every customer-data service is built with (each takes what it needs). */
type CustomerDataServiceOptions = BankingServiceOptions & OrderServiceOptions & CallbackServiceOptions;

/**
 * The customer-data service classes by domain: the one list createDomainServices builds from.
 * Every public method of these refuses a customer this conversation may not act on
 * (AUTH_REQUIRED), except those a class lists in its static `beforeVerification`;
 * test/verification/guarded-services.test.ts enumerates them from here. Helpers that touch no
 * customer data belong in modules, not in these classes.
 */
export const CUSTOMER_DATA_SERVICES = {
  customers: CustomerService,
  orders: OrderService,
  billing: BillingService,
  banking: BankingService,
  tickets: TicketService,
  callbacks: CallbackService,
} as const satisfies {
  [K in keyof CustomerDataServices]: new (repo: SupportRepository, opts: CustomerDataServiceOptions) => CustomerDataServices[K];
};

export interface DomainServicesOptions extends DomainServiceOptions {
  /** Days after delivery a return may be requested (default 30). */
  returnWindowDays?: number;
  verification: VerificationService;
  /** The call's conversation: banking balances need a verification in it. */
  conversationId: string;
  /** The calling principal's id (handoffs belong to a principal's conversation). */
  principal?: string;
  /** Business hours and limits of callbacks (default DEFAULT_CALLBACK_POLICY). */
  callbacks?: CallbackServiceOptions['callbacks'];
}

/**
 * The services of one call, sharing its guard and write options. Built lazily from
 * CUSTOMER_DATA_SERVICES: a call uses one or two of them, and building all five was the
 * largest cost of setting up a call.
 */
class CallDomainServices {
  /** The services built so far (by name): a getter per service builds it on first use. */
  readonly built: Partial<Record<string, unknown>> = {};
  #handoffs: HandoffService | undefined;
  constructor(
    readonly repo: SupportRepository,
    readonly options: CustomerDataServiceOptions,
    readonly verification: VerificationService,
    readonly handoffOptions: ConstructorParameters<typeof HandoffService>[1],
  ) {}

  /** Handoffs to a person work before verification by design (they show no customer data). */
  get handoffs(): HandoffService {
    return (this.#handoffs ??= new HandoffService(this.repo, this.handoffOptions));
  }
}
for (const [name, Service] of Object.entries(CUSTOMER_DATA_SERVICES)) {
  Object.defineProperty(CallDomainServices.prototype, name, {
    enumerable: true,
    get(this: CallDomainServices) {
      return (this.built[name] ??= new Service(this.repo, this.options));
    },
  });
}

export const createDomainServices = (repo: SupportRepository, opts: DomainServicesOptions): DomainServices => {
  const { verification, conversationId, principal, callbacks, ...common } = opts;
  const options: CustomerDataServiceOptions = {
    ...common,
    conversationId,
    ...(callbacks ? { callbacks } : {}),
    requireVerified: (customerId) => verification.requireVerified(customerId, conversationId),
  };
  const handoffs = {
    conversationId,
    principal: principal ?? 'anonymous',
    isVerified: async (customerId: string) => (await verification.findActive(customerId, conversationId)) !== null,
  };
  return new CallDomainServices(repo, options, verification, handoffs) as unknown as DomainServices;
};
