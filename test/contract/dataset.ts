// The small data set the repository contract suite runs against. Built in code (not read
// from fixtures/) so the suite controls every value it asserts. contractDataset() returns a
// fresh deep object graph on every call, so a backend that keeps references cannot leak
// state from one test into the next.
import { toMoney } from '../../src/domain/index.js';
import type {
  BankAccount, BillingAccount, BillingCharge, Customer, Order, OrderItem, OrderStatus, Payment, Subscription, Ticket,
  Card, Preferences, Transaction,
} from '../../src/domain/index.js';
import { checkDatasetIntegrity, type Dataset } from '../../src/repository/dataset.js';

export const IDS = {
  alice: 'cust_alice',
  bob: 'cust_bob',
  carol: 'cust_carol', // no phone/username/account number, no orders/billing/subscription/bank accounts
  dave: 'cust_dave',
  missingCustomer: 'cust_does_not_exist',
  orderProcessing: 'ord_a_processing',
  orderPending: 'ord_a_pending',
  orderShipped: 'ord_a_shipped',
  orderDelivered: 'ord_a_delivered',
  orderCancelled: 'ord_a_cancelled',
  bobProcessing: 'ord_b_1',
  bobDelivered: 'ord_b_2',
  missingOrder: 'ord_does_not_exist',
  seedTicket: 'tkt_seed_1',
  seedTicketNumber: 'TICK-1001',
} as const;

/** Alice's phone as stored, and other spellings of the same number. */
export const ALICE_PHONE = '+1 (415) 555-0101';
export const ALICE_PHONE_VARIANTS = ['+1 (415) 555-0101', '415-555-0101', '4155550101', '14155550101', '(415) 555 0101', ' +1.415.555.0101 '];
export const BOB_PHONE = '+44 20 7946 0958';
export const BOB_PHONE_VARIANTS = ['+44 20 7946 0958', '442079460958', '+44 (20) 7946-0958', '44 20 7946 0958'];
export const ALICE_EMAIL = 'Alice.Example@Example.com';

/** Number of orders Alice has: more than the maximum page size, so limit clamping is visible. */
export const ALICE_BULK_ORDERS = 100;
export const ALICE_ORDER_COUNT = ALICE_BULK_ORDERS + 5;
export const ALICE_PAYMENT_COUNT = 105;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number): string => String(n).padStart(3, '0');

const customer = (c: Partial<Customer> & Pick<Customer, 'id' | 'name' | 'email' | 'created_at'>): Customer => ({
  phone: null,
  username: null,
  account_number: null,
  tier: 'standard',
  risk_level: 'low',
  kyc_status: 'pending',
  status: 'active',
  date_of_birth: null,
  postcode: null,
  updated_at: c.created_at,
  ...c,
});

const order = (
  id: string, customerId: string, status: OrderStatus, orderedAt: string, items: OrderItem[],
  extra: Partial<Order> = {},
): Order => ({
  id,
  customer_id: customerId,
  status,
  total: toMoney(items.reduce((sum, i) => sum + i.quantity * i.unit_price, 0)),
  currency: 'USD',
  items,
  ordered_at: orderedAt,
  estimated_delivery: null,
  updated_at: orderedAt,
  cancelled_at: null,
  ...extra,
});

export function contractDataset(): Dataset {
  const customers: Customer[] = [
    customer({
      id: IDS.alice, name: 'Alice Example', email: ALICE_EMAIL, phone: ALICE_PHONE, username: 'alice',
      account_number: 'ACC-1001', tier: 'premium', kyc_status: 'verified', date_of_birth: '1990-04-12',
      postcode: '94107', created_at: '2023-01-15T09:00:00.000Z', updated_at: '2023-06-01T12:30:00.000Z',
    }),
    customer({
      id: IDS.bob, name: 'Bob Builder', email: 'bob@example.com', phone: BOB_PHONE, username: 'bob',
      account_number: 'ACC-1002', tier: 'basic', risk_level: 'medium', created_at: '2023-02-01T10:00:00.000Z',
    }),
    customer({
      id: IDS.carol, name: 'Carol Null', email: 'carol@example.org', status: 'suspended', created_at: '2023-03-01T08:00:00.000Z',
    }),
    customer({
      id: IDS.dave, name: 'Dave Trial', email: 'dave@example.net', phone: '415.555.0199', username: 'dave',
      account_number: 'ACC-1004', tier: 'enterprise', risk_level: 'high', created_at: '2023-04-01T07:45:00.000Z',
    }),
  ];

  const orders: Order[] = [];
  // Alice's bulk orders: groups of three share one ordered_at, so the id tie-break matters.
  const bulkStatuses: OrderStatus[] = ['delivered', 'shipped', 'delivered', 'cancelled'];
  const bulkBase = Date.parse('2024-01-01T00:00:00.000Z');
  for (let i = 0; i < ALICE_BULK_ORDERS; i++) {
    const status = bulkStatuses[i % bulkStatuses.length]!;
    const orderedAt = iso(bulkBase + Math.floor(i / 3) * HOUR);
    orders.push(order(`ord_a_${pad(i)}`, IDS.alice, status, orderedAt,
      [{ product: `Bulk item ${i}`, quantity: 1 + (i % 3), unit_price: 10.25 }],
      status === 'cancelled' ? { cancelled_at: iso(bulkBase + Math.floor(i / 3) * HOUR + HOUR / 2), updated_at: iso(bulkBase + Math.floor(i / 3) * HOUR + HOUR / 2) } : {}));
  }
  orders.push(
    // Items deliberately not in alphabetical order: they come back in line order.
    order(IDS.orderProcessing, IDS.alice, 'processing', '2024-11-01T10:00:00.000Z', [
      { product: 'Zeta widget', quantity: 2, unit_price: 9.99 },
      { product: 'Alpha gadget', quantity: 1, unit_price: 100.5 },
      { product: 'Mu cable', quantity: 3, unit_price: 0.1 },
    ], { estimated_delivery: '2024-11-08' }),
    order(IDS.orderPending, IDS.alice, 'pending', '2024-10-30T08:15:00.000Z', [
      { product: 'Pending thing', quantity: 1, unit_price: 5 },
    ], { estimated_delivery: '2024-11-05' }),
    order(IDS.orderShipped, IDS.alice, 'shipped', '2024-10-20T12:00:00.000Z', [
      { product: 'Shipped thing', quantity: 4, unit_price: 12.5 },
    ], { estimated_delivery: '2024-10-25', updated_at: '2024-10-21T09:00:00.000Z' }),
    order(IDS.orderDelivered, IDS.alice, 'delivered', '2024-10-10T12:00:00.000Z', [
      { product: 'Delivered thing', quantity: 1, unit_price: 1234.56 },
    ], { estimated_delivery: '2024-10-14', updated_at: '2024-10-14T16:00:00.000Z' }),
    order(IDS.orderCancelled, IDS.alice, 'cancelled', '2024-10-01T12:00:00.000Z', [
      { product: 'Cancelled thing', quantity: 2, unit_price: 7.77 },
    ], { cancelled_at: '2024-10-02T09:00:00.000Z', updated_at: '2024-10-02T09:00:00.000Z' }),
    order(IDS.bobProcessing, IDS.bob, 'processing', '2024-05-01T10:00:00.000Z', [
      { product: 'Bob thing', quantity: 1, unit_price: 3.5 },
    ]),
    order(IDS.bobDelivered, IDS.bob, 'delivered', '2024-04-01T10:00:00.000Z', [
      { product: 'Bob other thing', quantity: 2, unit_price: 8 },
    ]),
  );

  const subscriptions: Subscription[] = [
    // Alice: an older active one wins over a newer cancelled one.
    { id: 'sub_a_old_active', customer_id: IDS.alice, plan: 'Pro', status: 'active', amount: 29.99, currency: 'USD',
      next_billing_date: '2024-12-01', last_payment_date: '2024-11-01', started_at: '2023-01-01T00:00:00.000Z' },
    { id: 'sub_a_new_cancelled', customer_id: IDS.alice, plan: 'Enterprise', status: 'cancelled', amount: 99, currency: 'USD',
      next_billing_date: null, last_payment_date: '2024-06-01', started_at: '2024-06-01T00:00:00.000Z' },
    // Bob: only cancelled ones, the newest wins.
    { id: 'sub_b_1', customer_id: IDS.bob, plan: 'Basic', status: 'cancelled', amount: 9.99, currency: 'USD',
      next_billing_date: null, last_payment_date: null, started_at: '2022-01-01T00:00:00.000Z' },
    { id: 'sub_b_2', customer_id: IDS.bob, plan: 'Basic', status: 'cancelled', amount: 9.99, currency: 'USD',
      next_billing_date: null, last_payment_date: '2023-05-01', started_at: '2023-01-01T00:00:00.000Z' },
    // Dave: active/trial/past_due rank equally; newest started_at, then id descending.
    { id: 'sub_d_0', customer_id: IDS.dave, plan: 'Old', status: 'active', amount: 10, currency: 'EUR',
      next_billing_date: '2024-12-01', last_payment_date: null, started_at: '2024-01-01T00:00:00.000Z' },
    { id: 'sub_d_1', customer_id: IDS.dave, plan: 'Trial', status: 'trial', amount: 0, currency: 'EUR',
      next_billing_date: '2024-04-01', last_payment_date: null, started_at: '2024-03-01T00:00:00.000Z' },
    { id: 'sub_d_2', customer_id: IDS.dave, plan: 'Late', status: 'past_due', amount: 15.5, currency: 'EUR',
      next_billing_date: '2024-04-01', last_payment_date: null, started_at: '2024-03-01T00:00:00.000Z' },
    { id: 'sub_d_3', customer_id: IDS.dave, plan: 'Newest but cancelled', status: 'cancelled', amount: 1, currency: 'EUR',
      next_billing_date: null, last_payment_date: null, started_at: '2024-09-01T00:00:00.000Z' },
  ];

  const billing_accounts: BillingAccount[] = [
    { customer_id: IDS.alice, balance: 123.45, currency: 'USD', due_date: '2024-11-15', latest_charges: 'Pro plan 29.99',
      payment_method: 'Visa ending in 1111', autopay: true, autopay_day: null, updated_at: '2024-10-01T00:00:00.000Z' },
    { customer_id: IDS.bob, balance: 0, currency: 'GBP', due_date: null, latest_charges: '',
      payment_method: null, autopay: false, autopay_day: null, updated_at: '2024-09-01T00:00:00.000Z' },
    // the largest KWD amount numeric(13,3) holds: exact to the last fils
    { customer_id: IDS.dave, balance: 9999999999.999, currency: 'KWD', due_date: null, latest_charges: '',
      payment_method: 'Visa ending in 0005', autopay: true, autopay_day: 28, updated_at: '2024-09-01T00:00:00.000Z' },
  ];

  const payments: Payment[] = [];
  const payBase = Date.parse('2024-01-01T00:00:00.000Z');
  for (let i = 0; i < ALICE_PAYMENT_COUNT; i++) {
    // Pairs share a date, so the id tie-break matters.
    payments.push({ id: `pay_a_${pad(i)}`, customer_id: IDS.alice, paid_on: isoDate(payBase + Math.floor(i / 2) * DAY),
      amount: toMoney(19.99 + i / 100), currency: 'USD', method: 'Visa ending in 1111' });
  }
  payments.push({ id: 'pay_d_1', customer_id: IDS.dave, paid_on: '2024-03-15', amount: 15.5, currency: 'EUR', method: 'SEPA' });

  const bank_accounts: BankAccount[] = [
    // Stored out of order: listed by account_type ascending.
    { id: 'ba_a_sav', customer_id: IDS.alice, account_type: 'savings', balance: 1520.75, currency: 'USD', last_updated: '2024-10-01T00:00:00.000Z' },
    { id: 'ba_a_cre', customer_id: IDS.alice, account_type: 'credit', balance: 300.1, currency: 'USD', last_updated: '2024-10-02T00:00:00.000Z' },
    { id: 'ba_a_chk', customer_id: IDS.alice, account_type: 'checking', balance: 42, currency: 'USD', last_updated: '2024-10-03T00:00:00.000Z' },
    { id: 'ba_d_chk', customer_id: IDS.dave, account_type: 'checking', balance: -12.34, currency: 'EUR', last_updated: '2024-10-04T00:00:00.000Z' },
  ];

  const tickets: Ticket[] = [
    { id: IDS.seedTicket, number: IDS.seedTicketNumber, customer_id: IDS.alice, category: 'billing', priority: 'medium',
      status: 'in_progress', description: 'Charged twice for October', amount: 29.99, currency: 'USD',
      conversation_id: 'conv_seed', idempotency_key: null,
      created_at: '2024-10-05T10:00:00.000Z', updated_at: '2024-10-06T11:00:00.000Z' },
  ];

  const charges: BillingCharge[] = [
    // Same day twice: the id tie-break orders them.
    { id: 'chg_a_2', customer_id: IDS.alice, charged_on: '2024-10-01', description: 'Pro plan', amount: 29.99, currency: 'USD' },
    { id: 'chg_a_1', customer_id: IDS.alice, charged_on: '2024-10-01', description: 'Add-on', amount: 0.1, currency: 'USD' },
    { id: 'chg_a_3', customer_id: IDS.alice, charged_on: '2024-11-01', description: 'Pro plan', amount: 29.99, currency: 'USD' },
    { id: 'chg_a_4', customer_id: IDS.alice, charged_on: '2024-11-02', description: 'Credit', amount: -0.2, currency: 'USD' },
  ];


  const cards: Card[] = [
    // Stored out of order: listed by last4, then id.
    { id: 'card_a_2', customer_id: IDS.alice, bank_account_id: 'ba_a_chk', brand: 'visa', last4: '4242', status: 'active', block_reason: null, blocked_at: null, updated_at: '2024-10-01T00:00:00.000Z' },
    { id: 'card_a_1', customer_id: IDS.alice, bank_account_id: 'ba_a_cre', brand: 'mastercard', last4: '1111', status: 'active', block_reason: null, blocked_at: null, updated_at: '2024-10-01T00:00:00.000Z' },
    { id: 'card_a_tmp', customer_id: IDS.alice, bank_account_id: 'ba_a_chk', brand: 'visa', last4: '5555', status: 'blocked', block_reason: 'temporary', blocked_at: '2024-10-02T00:00:00.000Z', updated_at: '2024-10-02T00:00:00.000Z' },
    { id: 'card_a_stolen', customer_id: IDS.alice, bank_account_id: 'ba_a_chk', brand: 'amex', last4: '0005', status: 'blocked', block_reason: 'stolen', blocked_at: '2024-10-03T00:00:00.000Z', updated_at: '2024-10-03T00:00:00.000Z' },
    { id: 'card_a_old', customer_id: IDS.alice, bank_account_id: 'ba_a_chk', brand: 'visa', last4: '9999', status: 'replaced', block_reason: 'lost', blocked_at: '2024-01-03T00:00:00.000Z', updated_at: '2024-01-03T00:00:00.000Z' },
    { id: 'card_d_1', customer_id: IDS.dave, bank_account_id: 'ba_d_chk', brand: 'visa', last4: '4242', status: 'active', block_reason: null, blocked_at: null, updated_at: '2024-10-01T00:00:00.000Z' },
  ];

  // 30 transactions on alice's checking account, one every 12 hours from 2024-10-01 (two share
  // an instant, to exercise the id tie-break), stored oldest first; 2 on dave's.
  const transactions: Transaction[] = [];
  for (let i = 0; i < 30; i++) {
    const at = new Date(Date.UTC(2024, 9, 1) + Math.min(i, 28) * 12 * 3_600_000).toISOString();
    transactions.push({
      id: `tx_a_${String(i).padStart(2, '0')}`, bank_account_id: 'ba_a_chk', posted_at: at,
      amount: i % 5 === 0 ? toMoney(1000 + i) : toMoney(-(10 + i * 3.5)), currency: 'USD',
      description: i % 5 === 0 ? 'Payroll deposit' : i % 3 === 0 ? 'Coffee 100% arabica_blend' : 'Groceries',
      merchant: i % 5 === 0 ? null : i % 3 === 0 ? 'Blue Bottle' : 'Whole Foods',
      status: i >= 28 ? 'pending' : 'posted', balance_after: i >= 28 ? null : toMoney(42 + i),
    });
  }
  transactions.push(
    { id: 'tx_d_1', bank_account_id: 'ba_d_chk', posted_at: '2024-10-05T10:00:00.000Z', amount: -12.34, currency: 'EUR', description: 'Bakery', merchant: 'Boulangerie', status: 'posted', balance_after: -12.34 },
    { id: 'tx_d_2', bank_account_id: 'ba_d_chk', posted_at: '2024-10-04T10:00:00.000Z', amount: 0, currency: 'EUR', description: 'Card check', merchant: null, status: 'posted', balance_after: 0 },
  );

  const preferences: Preferences[] = [
    { customer_id: IDS.alice, contact_channel: 'sms', language: 'en-US', marketing_opt_in: true, timezone: 'America/New_York', updated_at: '2024-10-01T00:00:00.000Z' },
  ];

  const ds: Dataset = { customers, orders, subscriptions, billing_accounts, payments, bank_accounts, tickets, charges, cards, transactions, preferences, callbacks: [
    { id: 'cb_d_done', customer_id: IDS.dave, destination: '+49 30 1234567', window_start: '2024-10-01T09:00:00.000Z', window_end: '2024-10-01T10:00:00.000Z',
      topic: 'Statement question', status: 'completed', conversation_id: null, created_at: '2024-09-30T09:00:00.000Z', updated_at: '2024-10-01T09:30:00.000Z' },
  ] };
  checkDatasetIntegrity(ds);
  return ds;
}
