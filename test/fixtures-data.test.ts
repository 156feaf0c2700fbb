// The shipped demo fixtures load cleanly and hold the data the four legacy contracts show.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES_DIR, loadDataset, type Dataset } from '../src/repository/dataset.js';
import { isExactAmount, phoneKey, toMinor } from '../src/domain/index.js';

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset(DEFAULT_FIXTURES_DIR);
});

const customerByEmail = (email: string) => {
  const c = ds.customers.find((x) => x.email.toLowerCase() === email.toLowerCase());
  if (!c) throw new Error(`no customer with email ${email}`);
  return c;
};
const customer = (id: string) => {
  const c = ds.customers.find((x) => x.id === id);
  if (!c) throw new Error(`no customer ${id}`);
  return c;
};
const order = (id: string) => {
  const o = ds.orders.find((x) => x.id === id);
  if (!o) throw new Error(`no order ${id}`);
  return o;
};
const subsOf = (customerId: string) => ds.subscriptions.filter((s) => s.customer_id === customerId);
const sub = (id: string) => {
  const s = ds.subscriptions.find((x) => x.id === id);
  if (!s) throw new Error(`no subscription ${id}`);
  return s;
};
const billingOf = (customerId: string) => ds.billing_accounts.find((b) => b.customer_id === customerId);
const paymentsOf = (customerId: string) => ds.payments.filter((p) => p.customer_id === customerId);
const ticket = (id: string) => {
  const t = ds.tickets.find((x) => x.id === id);
  if (!t) throw new Error(`no ticket ${id}`);
  return t;
};

describe('fixtures: general', () => {
  it('has every collection populated', () => {
    for (const [name, rows] of Object.entries(ds)) expect(rows.length, name).toBeGreaterThan(0);
  });

  it('gives every customer identity-check data and a unique, matchable phone', () => {
    for (const c of ds.customers) {
      expect(c.date_of_birth, c.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.postcode, c.id).toBeTruthy();
      expect(c.phone, c.id).toBeTruthy();
      expect(phoneKey(c.phone!), c.id).not.toBeNull();
    }
  });

  it('normalises instants to Date#toISOString form', () => {
    expect(ticket('TICKET-98765').created_at).toBe('2024-10-23T10:30:00.000Z');
    for (const o of ds.orders) expect(o.ordered_at).toBe(new Date(o.ordered_at).toISOString());
  });

  it('keeps order totals equal to the sum of their items, exactly in the order currency', () => {
    for (const o of ds.orders) {
      const minor = o.items.reduce((s, it) => s + it.quantity * toMinor(it.unit_price, o.currency), 0);
      expect(toMinor(o.total, o.currency), o.id).toBe(minor);
    }
  });

  it('bills customers in USD, EUR, GBP, JPY and KWD, every amount exact in its currency', () => {
    const currencies = new Set(ds.billing_accounts.map((b) => b.currency));
    for (const c of ['USD', 'EUR', 'GBP', 'JPY', 'KWD']) expect(currencies.has(c), c).toBe(true);
    for (const b of ds.billing_accounts) expect(isExactAmount(b.balance, b.currency), b.customer_id).toBe(true);
    for (const p of ds.payments) expect(isExactAmount(p.amount, p.currency), p.id).toBe(true);
    for (const c of ds.charges) expect(isExactAmount(c.amount, c.currency), c.id).toBe(true);
  });

  it('has a customer with no payment method on file (autopay is refused for them)', () => {
    expect(ds.billing_accounts.find((b) => b.customer_id === 'TEL-1005')?.payment_method).toBeNull();
  });

  it('has delivered orders inside the 30-day return window whatever day it loads, and one outside', () => {
    const daysAgo = (d: string) => Math.round((Date.now() - Date.parse(`${d}T00:00:00Z`)) / 86_400_000);
    const delivered = ds.orders.filter((o) => o.status === 'delivered' && o.estimated_delivery !== null);
    expect(delivered.filter((o) => daysAgo(o.estimated_delivery!) <= 30).map((o) => o.currency).sort())
      .toEqual(expect.arrayContaining(['GBP', 'JPY', 'KWD']));
    expect(delivered.find((o) => o.id === 'ORD-R-5002' && daysAgo(o.estimated_delivery!) > 30)).toBeDefined();
  });

  it('stores only masked payment methods', () => {
    for (const b of ds.billing_accounts) {
      if (b.payment_method !== null) expect(b.payment_method, b.customer_id).not.toMatch(/\d{5,}/);
    }
    for (const p of ds.payments) expect(p.method, p.id).not.toMatch(/\d{5,}/);
  });
});

describe('fixtures: TechNova (Blackbird course data)', () => {
  const customers: Array<[string, string, string, string, string]> = [
    ['1213210', 'John Doe', 'john@gmail.com', '123-456-7890', 'johndoe'],
    ['2837622', 'Priya Patel', 'priya@candy.com', '987-654-3210', 'priya123'],
    ['3924156', 'Liam Nguyen', 'lnguyen@yahoo.com', '555-123-4567', 'liamn'],
    ['4782901', 'Aaliyah Davis', 'aaliyahd@hotmail.com', '111-222-3333', 'adavis'],
    ['5190753', 'Hiroshi Nakamura', 'hiroshi@gmail.com', '444-555-6666', 'hiroshin'],
    ['6824095', 'Fatima Ahmed', 'fatimaa@outlook.com', '777-888-9999', 'fatimaahmed'],
    ['7135680', 'Alejandro Rodriguez', 'arodriguez@protonmail.com', '222-333-4444', 'alexr'],
    ['8259147', 'Megan Anderson', 'megana@gmail.com', '666-777-8888', 'manderson'],
    ['9603481', 'Kwame Osei', 'kwameo@yahoo.com', '999-000-1111', 'kwameo'],
    ['1057426', 'Mei Lin', 'meilin@gmail.com', '333-444-5555', 'mlin'],
  ];
  it.each(customers)('customer %s %s is verbatim', (id, name, email, phone, username) => {
    expect(customer(id)).toMatchObject({ id, name, email, phone, username });
  });

  const orders: Array<[string, string, string, number, number, string]> = [
    ['24601', '1213210', 'Wireless Headphones', 1, 79.99, 'shipped'],
    ['13579', '1213210', 'Smartphone Case', 2, 19.99, 'processing'],
    ['97531', '2837622', 'Bluetooth Speaker', 1, 49.99, 'shipped'],
    ['86420', '3924156', 'Fitness Tracker', 1, 129.99, 'delivered'],
    ['54321', '4782901', 'Laptop Sleeve', 3, 24.99, 'shipped'],
    ['19283', '5190753', 'Wireless Mouse', 1, 34.99, 'processing'],
    ['74651', '6824095', 'Gaming Keyboard', 1, 89.99, 'delivered'],
    ['30298', '7135680', 'Portable Charger', 2, 29.99, 'shipped'],
    ['47652', '8259147', 'Smartwatch', 1, 199.99, 'processing'],
    ['61984', '9603481', 'Noise-Cancelling Headphones', 1, 149.99, 'shipped'],
    ['58243', '1057426', 'Wireless Earbuds', 2, 99.99, 'delivered'],
    ['90357', '1213210', 'Smartphone Case', 1, 19.99, 'shipped'],
    ['28164', '2837622', 'Wireless Headphones', 2, 79.99, 'processing'],
  ];
  it.each(orders)('order %s is verbatim with one item', (id, customerId, product, quantity, price, status) => {
    const o = order(id);
    expect(o).toMatchObject({ customer_id: customerId, status, currency: 'USD', cancelled_at: null });
    expect(o.items).toEqual([{ product, quantity, unit_price: price }]);
    expect(o.total).toBe(Math.round(quantity * price * 100) / 100);
    expect(o.ordered_at.startsWith('2024-')).toBe(true);
  });

  it('has exactly the 13 course orders with 5-digit ids', () => {
    expect(ds.orders.filter((o) => /^\d{5}$/.test(o.id)).map((o) => o.id).sort()).toEqual(orders.map((o) => o[0]).sort());
  });

  it("turns order 97531's string price into a number", () => {
    expect(order('97531').items[0]!.unit_price).toBe(49.99);
  });
});

describe('fixtures: PromptArena customer-support example', () => {
  it('customer@email.com is CUST-12345 John Doe with SUB-5432 and TICKET-98765', () => {
    const c = customerByEmail('customer@email.com');
    expect(c).toMatchObject({ id: 'CUST-12345', name: 'John Doe', tier: 'premium' });
    expect(c.created_at.slice(0, 10)).toBe('2023-01-15');
    expect(sub('SUB-5432')).toMatchObject({
      customer_id: 'CUST-12345', plan: 'Pro', status: 'active', amount: 49.99,
      next_billing_date: '2024-11-20', last_payment_date: '2024-10-20',
    });
    expect(ticket('TICKET-98765')).toMatchObject({
      number: 'TICKET-98765', customer_id: 'CUST-12345', category: 'billing', priority: 'high', status: 'open',
      description: 'Customer reported duplicate billing charge - needs investigation and potential refund',
    });
  });

  it('john.doe@example.com is a separate premium John Doe owning ORD-2024-0987', () => {
    const c = customerByEmail('john.doe@example.com');
    expect(c.id).not.toBe('CUST-12345');
    expect(c).toMatchObject({ name: 'John Doe', tier: 'premium' });
    expect(c.created_at.slice(0, 10)).toBe('2023-01-15');
    const o = order('ORD-2024-0987');
    expect(o).toMatchObject({ customer_id: c.id, status: 'delivered', total: 149.5 });
    expect(o.ordered_at.slice(0, 10)).toBe('2024-09-20');
    expect(o.items.map((i) => i.product)).toEqual(['Product C']);
    expect(billingOf(c.id)?.payment_method).toMatch(/ending in \d{4}$/);
  });

  it('user@example.com is CUST-67890 Jane Smith owning ORD-2024-1234', () => {
    const c = customerByEmail('user@example.com');
    expect(c).toMatchObject({ id: 'CUST-67890', name: 'Jane Smith', tier: 'standard' });
    expect(c.created_at.slice(0, 10)).toBe('2023-03-10');
    const o = order('ORD-2024-1234');
    expect(o).toMatchObject({ customer_id: 'CUST-67890', status: 'delivered', total: 99.99 });
    expect(o.ordered_at.slice(0, 10)).toBe('2024-10-15');
    expect(o.items.map((i) => i.product)).toEqual(['Product A', 'Product B']);
  });

  it('customer@example.com is CUST-11111 John Doe with SUB-1111', () => {
    const c = customerByEmail('customer@example.com');
    expect(c).toMatchObject({ id: 'CUST-11111', name: 'John Doe', tier: 'premium' });
    expect(c.created_at.slice(0, 10)).toBe('2023-01-15');
    expect(sub('SUB-1111')).toMatchObject({
      customer_id: 'CUST-11111', plan: 'Pro', status: 'active', amount: 49.99,
      next_billing_date: '2024-11-15', last_payment_date: '2024-10-15',
    });
  });

  it('jane.smith@acme.com has SUB-7890, ORD-2024-1100, a 2024-10-15 order, ORD-2024-9999 and TICK-1003', () => {
    const c = customerByEmail('jane.smith@acme.com');
    expect(c.name).toBe('Jane Smith');
    expect(sub('SUB-7890')).toMatchObject({
      customer_id: c.id, plan: 'Pro', status: 'active', amount: 49.99,
      next_billing_date: '2024-11-15', last_payment_date: '2024-10-15',
    });
    expect(order('ORD-2024-1100')).toMatchObject({ customer_id: c.id, status: 'delivered', total: 149.99 });
    expect(order('ORD-2024-1100').items.map((i) => i.product)).toEqual(['Bluetooth Speaker']);
    const october = ds.orders.filter((o) => o.customer_id === c.id && o.ordered_at.startsWith('2024-10-15'));
    expect(october).toHaveLength(1);
    expect(october[0]).toMatchObject({ status: 'delivered', total: 99.99 });
    expect(october[0]!.id).not.toBe('ORD-2024-1234');
    expect(october[0]!.items.map((i) => i.product)).toEqual(['Wireless Headphones', 'Phone Case']);
    expect(order('ORD-2024-9999')).toMatchObject({ customer_id: c.id, status: 'processing', estimated_delivery: '2025-12-01' });
    expect(ticket('TICK-1003')).toMatchObject({ customer_id: c.id, category: 'account' });
  });

  it('sarah.jones@email.com has a Premium subscription, the duplicate $49.99 charge and TICK-1001', () => {
    const c = customerByEmail('sarah.jones@email.com');
    expect(c).toMatchObject({ name: 'Sarah Jones', tier: 'premium' });
    const subs = subsOf(c.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ plan: 'Premium', status: 'active', next_billing_date: '2025-12-01' });
    const dup = paymentsOf(c.id).filter((p) => p.paid_on === '2024-10-15' && p.amount === 49.99);
    expect(dup).toHaveLength(2);
    expect(billingOf(c.id)).toBeDefined();
    expect(ticket('TICK-1001')).toMatchObject({ customer_id: c.id, category: 'billing' });
  });

  it('john.smith@email.com has a Standard subscription, ORD-2024-5678, a shipped order and TICK-1002', () => {
    const c = customerByEmail('john.smith@email.com');
    expect(c).toMatchObject({ name: 'John Smith', tier: 'standard' });
    expect(subsOf(c.id)[0]).toMatchObject({ plan: 'Standard', status: 'active', next_billing_date: '2025-11-15' });
    expect(order('ORD-2024-5678')).toMatchObject({ customer_id: c.id, status: 'delivered', estimated_delivery: '2025-10-15' });
    const shipped = ds.orders.filter((o) => o.customer_id === c.id && o.status === 'shipped');
    expect(shipped).toHaveLength(1);
    expect(shipped[0]).toMatchObject({ estimated_delivery: '2025-11-01' });
    expect(shipped[0]!.id).not.toBe('ORD-2024-1234');
    expect(ticket('TICK-1002')).toMatchObject({ customer_id: c.id, category: 'delivery' });
  });

  it('mary.wilson@email.com is basic with a Basic subscription and ORD-2025-0000', () => {
    const c = customerByEmail('mary.wilson@email.com');
    expect(c).toMatchObject({ name: 'Mary Wilson', tier: 'basic' });
    expect(subsOf(c.id)[0]).toMatchObject({ plan: 'Basic', status: 'active', next_billing_date: '2025-11-20' });
    expect(order('ORD-2025-0000')).toMatchObject({ customer_id: c.id, status: 'processing' });
  });

  it('gives every arena customer a billing account', () => {
    for (const email of [
      'customer@email.com', 'john.doe@example.com', 'user@example.com', 'customer@example.com',
      'sarah.jones@email.com', 'john.smith@email.com', 'jane.smith@acme.com', 'mary.wilson@email.com',
    ]) {
      expect(billingOf(customerByEmail(email).id), email).toBeDefined();
    }
  });
});

describe('fixtures: banking (Majlis Connect demo data)', () => {
  const bank: Array<[number, string, string, string, string, string, string]> = [
    [1, 'Sarah Johnson', 'sarah.johnson@email.com', '+14155551234', '1985-03-15', '10001', 'checking'],
    [2, 'Michael Chen', 'michael.chen@email.com', '+14155552345', '1990-07-22', '94102', 'savings'],
    [3, 'Emily Rodriguez', 'emily.rodriguez@email.com', '+14155553456', '1988-11-08', '60601', 'credit'],
    [4, 'David Williams', 'david.williams@email.com', '+14155554567', '1992-01-30', '02101', 'checking'],
    [5, 'Jessica Martinez', 'jessica.martinez@email.com', '+14155555678', '1987-05-18', '98101', 'savings'],
    [6, 'Robert Brown', 'robert.brown@email.com', '+14155556789', '1983-09-25', '78701', 'credit'],
    [7, 'Amanda Davis', 'amanda.davis@email.com', '+14155557890', '1991-12-12', '33101', 'checking'],
    [8, 'James Garcia', 'james.garcia@email.com', '+14155558901', '1989-04-05', '80201', 'checking'],
    [9, 'Lisa Anderson', 'lisa.anderson@email.com', '+14155559012', '1986-08-20', '97201', 'savings'],
    [10, 'Christopher Taylor', 'christopher.taylor@email.com', '+14155550123', '1993-02-14', '85001', 'credit'],
  ];
  it.each(bank)('CUST-%i is verbatim and has its account type', (n, name, email, phone, dob, postcode, type) => {
    const id = `CUST-${String(n).padStart(3, '0')}`;
    expect(customer(id)).toMatchObject({
      name, email, phone, date_of_birth: dob, postcode,
      account_number: `ACC-${String(n).padStart(3, '0')}-2024`,
    });
    expect(ds.bank_accounts.some((a) => a.customer_id === id && a.account_type === type)).toBe(true);
  });

  it('keeps risk, KYC and status (frozen becomes suspended)', () => {
    expect(customer('CUST-006')).toMatchObject({ risk_level: 'high', kyc_status: 'verified', status: 'active' });
    expect(customer('CUST-003')).toMatchObject({ risk_level: 'medium' });
    expect(customer('CUST-010')).toMatchObject({ risk_level: 'high', kyc_status: 'pending', status: 'suspended' });
  });

  it("has Sarah Johnson's checking balance from the contract's message text", () => {
    const a = ds.bank_accounts.find((x) => x.customer_id === 'CUST-001' && x.account_type === 'checking');
    expect(a).toMatchObject({ balance: 12450.32, currency: 'USD' });
  });

  it('has the four cases as tickets', () => {
    expect(ticket('d1111111-1111-1111-1111-111111111111')).toMatchObject({
      number: 'CASE-FRD-2024-001', customer_id: 'CUST-001', category: 'fraud', status: 'open', priority: 'urgent',
      description: 'Suspicious transaction investigation', amount: 500, currency: 'USD',
      conversation_id: 'e1111111-1111-1111-1111-111111111111',
    });
    expect(ticket('d2222222-2222-2222-2222-222222222222')).toMatchObject({
      number: 'CASE-DSP-2024-002', customer_id: 'CUST-004', category: 'dispute', status: 'in_progress', priority: 'high',
      amount: 89.99, currency: 'USD',
    });
    expect(ticket('d3333333-3333-3333-3333-333333333333')).toMatchObject({
      number: 'CASE-FRD-2024-003', customer_id: 'CUST-006', status: 'escalated', priority: 'urgent', amount: null,
    });
    expect(ticket('d4444444-4444-4444-4444-444444444444')).toMatchObject({
      number: 'CASE-DSP-2024-004', customer_id: 'CUST-009', category: 'dispute', status: 'open', priority: 'medium',
      description: 'Payment processing delay inquiry', amount: null, currency: 'USD',
    });
  });
});

describe('fixtures: realtime billing workshop', () => {
  it('has the workshop sample billing details and payment history', () => {
    const b = ds.billing_accounts.find(
      (x) => x.balance === 45.75 && x.latest_charges.startsWith('Monthly service fee of €30'),
    );
    expect(b).toMatchObject({
      currency: 'EUR', due_date: '2025-02-01',
      latest_charges: 'Monthly service fee of €30, plus a €15 phone accessory charge, plus taxes and fees.',
    });
    expect(b!.customer_id).toMatch(/^TEL-\d{4}$/);
    const pays = paymentsOf(b!.customer_id)
      .map((p) => ({ date: p.paid_on, amount: p.amount, method: p.method }))
      .sort((x, y) => y.date.localeCompare(x.date));
    expect(pays).toEqual([
      { date: '2024-12-20', amount: 50, method: 'Credit Card' },
      { date: '2024-11-20', amount: 30, method: 'Credit Card' },
    ]);
  });

  it('has the workshop\'s telecom customers billing in EUR, and others in GBP, JPY and KWD', () => {
    for (const id of ['TEL-1001', 'TEL-1002', 'TEL-1003', 'TEL-1004']) expect(billingOf(id)?.currency, id).toBe('EUR');
    expect(['TEL-1005', 'TEL-1006', 'TEL-1007'].map((id) => billingOf(id)?.currency)).toEqual(['GBP', 'JPY', 'KWD']);
  });
});
