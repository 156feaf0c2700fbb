// Every customer-scoped domain service method refuses a customer who has not verified their
// identity in the conversation (AUTH_REQUIRED under verified access), and reaches no customer
// data before refusing. The methods are enumerated from the service classes themselves
// (CUSTOMER_DATA_SERVICES, prototype chain), so a method added later is covered automatically:
// the test fails until it has a sample below (the SAMPLES type demands one too), and then
// proves the method refuses. Only the look-ups a class lists in its static
// `beforeVerification` may answer, and they must answer with a preview, never the record.
import { beforeAll, describe, expect, it } from 'vitest';
import { STDIO_PRINCIPAL } from '../../src/domain/principal.js';
import { loadDataset, type Dataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { DomainService } from '../../src/services/domain-service.js';
import { CUSTOMER_DATA_SERVICES, type CustomerDataServices } from '../../src/services/domain-services.js';
import { ServiceHub } from '../../src/services/hub.js';
import { openPolicy } from '../../src/services/policy.js';

type AnyFn = (...args: never[]) => unknown;
type MethodName<T> = { [K in keyof T]: T[K] extends AnyFn ? K : never }[keyof T];
/** One call of a method: whose data it touches, and its arguments. */
interface Sample<F> {
  customer: string;
  args: F extends (...args: infer A) => unknown ? A : never;
}
type Samples = { [S in keyof CustomerDataServices]: { [M in MethodName<CustomerDataServices[S]>]: Sample<CustomerDataServices[S][M]> } };

const JANE = 'CUST-20003'; // processing order ORD-2024-9999, subscription, billing account
const SARAH_BANK = 'CUST-001'; // bank accounts
const SARAH = 'CUST-20001'; // ticket TICK-1001
const OLIVER = 'TEL-1005'; // delivered order ORD-R-5001 (inside the return window), GBP billing
const PROBE_RETURN = 'RMA-PROBE'; // a return of ORD-R-5001, made in setUp

/** A weekday 3 to 9 days from now (inside the default business hours' days, within 14 days). */
const CALLBACK_DAY = (() => {
  for (let d = 3; ; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    if (day.getUTCDay() >= 1 && day.getUTCDay() <= 5) return day.toISOString().slice(0, 10);
  }
})();

const SAMPLES: Samples = {
  customers: {
    findCustomer: { customer: JANE, args: [{ by: 'email', value: 'jane.smith@acme.com' }] },
    getCustomer: { customer: JANE, args: [JANE] },
    findByEmail: { customer: JANE, args: ['jane.smith@acme.com'] },
    lookupCustomer: { customer: JANE, args: [{ by: 'id', value: JANE }] },
    lookupCustomerByAll: { customer: JANE, args: [[{ by: 'id', value: JANE, argument: 'customerId' }, { by: 'email', value: 'jane.smith@acme.com', argument: 'email' }]] },
    updateContact: { customer: JANE, args: [JANE, { email: 'jane.new@acme.com' }] },
    getPreferences: { customer: JANE, args: [JANE] },
    updatePreferences: { customer: JANE, args: [JANE, { language: 'es', timezone: 'Europe/Madrid' }] },
  },
  orders: {
    getOrder: { customer: JANE, args: ['ORD-2024-9999'] },
    listOrders: { customer: JANE, args: [JANE] },
    allOrders: { customer: JANE, args: [JANE, 1000] },
    cancelOrder: { customer: JANE, args: ['ORD-2024-9999'] },
    getOrderDetails: { customer: OLIVER, args: ['ORD-R-5001'] },
    getReturn: { customer: OLIVER, args: [PROBE_RETURN] },
    requestReturn: { customer: OLIVER, args: ['ORD-R-5001', [{ product: 'Charging Cable', quantity: 1 }], 'damaged'] },
  },
  billing: {
    getSubscription: { customer: JANE, args: [JANE] },
    getBillingAccount: { customer: JANE, args: [JANE] },
    listPayments: { customer: JANE, args: [JANE] },
    getBilling: { customer: JANE, args: [JANE] },
    updatePaymentMethod: { customer: JANE, args: [JANE, 'Visa 4111 1111 1111 1111 exp 12/27 CVV 123'] },
    setAutopay: { customer: JANE, args: [JANE, { enabled: true, paymentDay: 12 }] },
    getStatement: { customer: OLIVER, args: [OLIVER] },
  },
  banking: {
    listBankAccounts: { customer: SARAH_BANK, args: [SARAH_BANK] },
    balanceAccount: { customer: SARAH_BANK, args: [SARAH_BANK] },
    listCards: { customer: SARAH_BANK, args: [SARAH_BANK] },
    blockCard: { customer: SARAH_BANK, args: [{ cardId: 'CARD-001-1' }, 'lost'] },
    unblockCard: { customer: SARAH_BANK, args: [{ customerId: SARAH_BANK, last4: '7730' }] },
    transactionHistory: { customer: SARAH_BANK, args: [SARAH_BANK, { fromDate: '2024-11-01', text: 'amazon' }] },
  },
  callbacks: {
    scheduleCallback: { customer: JANE, args: [{ customerId: JANE, date: CALLBACK_DAY, fromTime: '10:00', toTime: '11:00', topic: 'probe' }] },
    cancelCallback: { customer: 'CUST-006', args: ['CB-0002'] },
  },
  tickets: {
    createTicket: { customer: JANE, args: [{ customerId: JANE, category: 'other', priority: 'low', description: 'probe' }] },
    createTicketDeduplicated: { customer: JANE, args: [{ customerId: JANE, category: 'other', priority: 'low', description: 'probe' }, 60_000] },
    getTicket: { customer: SARAH, args: ['TICK-1001'] },
  },
};

/**
 * Repository calls allowed before a refusal: finding whose record it is, and the guard's own
 * checks (is the customer verified here; on refusal, is this conversation someone else's).
 */
const OWNER_LOOKUPS = new Set(['findCustomer', 'getOrder', 'getOrderWithReturns', 'getTicket', 'getReturn', 'getCard', 'getCallback', 'findActiveVerification', 'conversationHasOtherPrincipal']);

/** Public methods of a service class: its prototype chain down to DomainService (whose helpers are protected). */
const publicMethods = (cls: { prototype: object }): string[] => {
  const names = new Set<string>();
  for (let p = cls.prototype; p !== DomainService.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
};

const beforeVerification = (cls: object): readonly string[] =>
  (cls as { beforeVerification?: readonly string[] }).beforeVerification ?? [];

/** The repository, recording the name of every method called on it. */
const recording = (repo: SupportRepository, calls: string[]): SupportRepository =>
  new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

const CONVERSATION = 'conv-not-verified';

let dataset: Dataset;
beforeAll(async () => {
  dataset = await loadDataset();
});

const setUp = async () => {
  const repo = new FixtureRepository(dataset);
  await repo.requestReturn({
    id: PROBE_RETURN, orderId: 'ORD-R-5001', reason: 'damaged', items: [{ line_no: 1, quantity: 1 }], requestHash: 'probe',
    deliveredOnOrAfter: '2000-01-01',
  });
  const calls: string[] = [];
  // audit off: no background flush touches the repository while calls are recorded
  const hub = new ServiceHub({ repo: recording(repo, calls), policy: openPolicy({ access: 'verified', audit: { enabled: false, flushIntervalMs: 1000 } }) });
  const servicesOf = () => hub.forCall({ tool: 'probe', conversationId: CONVERSATION, principal: STDIO_PRINCIPAL, correlationId: 'probe' });
  const verify = async (customerId: string): Promise<void> => {
    const id = `probe-${customerId}`;
    await repo.createVerification({
      id, customer_id: customerId, conversation_id: CONVERSATION, principal: STDIO_PRINCIPAL.id, method: 'otp', code_hash: null, delivered_to: null,
      max_attempts: 3, expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
    });
    expect((await repo.attemptVerification(id, { matched: true, verifiedTtlMs: 15 * 60_000 })).outcome).toBe('verified');
  };
  return { repo, calls, servicesOf, verify };
};

const invoke = (service: object, method: string, args: readonly unknown[]): Promise<unknown> =>
  (service as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);

describe('customer-scoped service methods under verified access', () => {
  const domains = Object.entries(CUSTOMER_DATA_SERVICES) as [keyof CustomerDataServices, (typeof CUSTOMER_DATA_SERVICES)[keyof CustomerDataServices]][];

  it('every public method of every customer-data service has a sample (enumerated from the classes)', () => {
    for (const [domain, cls] of domains) {
      expect(Object.keys(SAMPLES[domain]).sort(), `${domain}: methods without a sample, or samples of removed methods`).toEqual(publicMethods(cls));
      for (const name of beforeVerification(cls)) expect(publicMethods(cls), `${domain}.beforeVerification`).toContain(name);
    }
    // the enumeration is not vacuous
    expect(domains.flatMap(([, cls]) => publicMethods(cls)).length).toBeGreaterThanOrEqual(20);
  });

  for (const [domain, cls] of domains) {
    for (const method of publicMethods(cls)) {
      const open = beforeVerification(cls).includes(method);
      it(`${domain}.${method} ${open ? 'shows only a preview' : 'refuses'} before verification, and works after it`, async () => {
        const sample = (SAMPLES[domain] as Record<string, Sample<AnyFn>>)[method];
        expect(sample, `add a sample for ${domain}.${method}`).toBeDefined();
        const { calls, servicesOf, verify } = await setUp();

        const before = invoke(servicesOf()[domain], method, sample!.args);
        if (open) {
          const preview = (await before) as { verified: boolean; preview?: { id: string } };
          expect(preview).toMatchObject({ verified: false, preview: { id: sample!.customer } });
          expect(preview).not.toHaveProperty('customer');
        } else {
          await expect(before).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
        }
        // nothing but the owner look-up and the guard's verification check reached the store
        expect(calls.filter((c) => !OWNER_LOOKUPS.has(c)), `${domain}.${method} touched the store before the guard`).toEqual([]);

        // verified in this conversation, the same call is let through (the sample is a real one)
        await verify(sample!.customer);
        const after = await invoke(servicesOf()[domain], method, sample!.args).then(
          (value) => ({ ok: true as const, value }),
          (err: unknown) => ({ ok: false as const, err }),
        );
        expect(after.ok ? 'ok' : (after.err as { code?: string }).code, `${domain}.${method} after verification`).toBe('ok');
        if (open) expect(after.ok && (after.value as { verified: boolean }).verified).toBe(true);
      });
    }
  }
});
