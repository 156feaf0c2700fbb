// `support-mcp fixtures generate`: a deterministic synthetic data set for load tests and seeding.
//
// Writes one <collection>.jsonl per collection (the format loadDataset reads), streaming
// customer by customer so memory stays flat however large the set is. The same options always
// give byte-identical files: all randomness comes from a seeded PRNG (mulberry32, re-seeded
// per customer from (seed, customer number)), and the clock is a fixed "now" (NOW below).
//
// Ids (all zero-padded, unique by construction):
//   customers GC-0000001 · orders GO-000000001 · subscriptions GS-0000001 · payments GP-000000001
//   bank accounts GB-0000001 · tickets GT-0000001 (number TKT-0000001) · account numbers GA-00000001
//   cards GK-<customer digits>-<n> · transactions GX-<account digits>-<nnn> (10-60 per account)
// Emails, usernames and account numbers embed the customer number; phones embed a bijection of
// it into 7 digits, so all of them are unique (phoneKey included) up to 9,999,999 customers.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { COLLECTIONS, type CollectionName } from './dataset.js';
import { MAX_GENERATED_CUSTOMERS, MAX_ORDERS_PER_CUSTOMER, type GenerateOptions } from './generate/args.js';
import { JsonlWriter } from './generate/jsonl.js';
import { deskRecords, type GeneratedAccount } from './generate/desk.js';
import { chance, int, mix, mulberry32, pick, weighted, type Rng } from './generate/random.js';
import { between, CREATED_FROM, CREATED_TO, DAY, HOUR, iso, isoDate, money, NOW, pad } from './generate/time.js';

export {
  GENERATE_USAGE, MAX_GENERATED_CUSTOMERS, parseGenerateArgs, type GenerateOptions,
} from './generate/args.js';

// ------------------------------------------------------------------------------------------
// vocabulary

const FIRST = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Wei', 'Emily',
  'Hiroshi', 'Priya', 'Kwame', 'Fatima', 'Alejandro', 'Mei', 'Liam', 'Aaliyah', 'Noah', 'Sophie',
  'Lukas', 'Emma', 'Olivia', 'Mateo', 'Amara', 'Ivan', 'Yuki', 'Omar', 'Chloe', 'Diego',
  'Ingrid', 'Rahul', 'Zoe', 'Samuel', 'Leila', 'Tomas', 'Grace', 'Arjun', 'Nora', 'Felix',
] as const;
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Lewis', 'Robinson', 'Walker',
  'Nguyen', 'Patel', 'Nakamura', 'Osei', 'Ahmed', 'Lin', 'Chen', 'Kim', 'Janssen', 'de Vries',
  'Bakker', 'Visser', 'Muller', 'Schmidt', 'Rossi', 'Kowalski', 'Novak', 'Okafor', 'Haddad', 'Silva',
] as const;
const DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
const US_AREA = ['212', '312', '415', '512', '617', '206', '303', '404', '503', '602', '646', '702', '713', '808', '919'] as const;

interface Region {
  currency: string;
  symbol: string;
  weight: number;
  phone: (seven: string, rng: Rng) => string;
  postcode: (rng: Rng) => string;
}
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const letter = (rng: Rng): string => LETTERS.charAt(Math.floor(rng() * LETTERS.length));
const REGIONS: readonly Region[] = [
  {
    currency: 'USD', symbol: '$', weight: 80,
    phone: (s, rng) => {
      const area = pick(rng, US_AREA);
      const style = int(rng, 0, 2);
      if (style === 0) return `+1 (${area}) ${s.slice(0, 3)}-${s.slice(3)}`;
      if (style === 1) return `${area}-${s.slice(0, 3)}-${s.slice(3)}`;
      return `+1${area}${s}`;
    },
    postcode: (rng) => String(int(rng, 1001, 99950)).padStart(5, '0'),
  },
  {
    currency: 'EUR', symbol: '€', weight: 12,
    phone: (s) => `+31 6 1${s.slice(0, 3)} ${s.slice(3)}`,
    postcode: (rng) => `${int(rng, 1011, 9999)} ${letter(rng)}${letter(rng)}`,
  },
  {
    currency: 'GBP', symbol: '£', weight: 8,
    phone: (s) => `+44 74${s.slice(0, 2)} ${s.slice(2)}`,
    postcode: (rng) => `${pick(rng, ['SW', 'NW', 'EC', 'LS', 'M', 'B', 'G'])}${int(rng, 1, 20)} ${int(rng, 1, 9)}${letter(rng)}${letter(rng)}`,
  },
];
const REGION_TABLE = REGIONS.map((r) => [r, r.weight] as const);

/** [product, price in cents] */
const PRODUCTS: ReadonlyArray<readonly [string, number]> = [
  ['Wireless Headphones', 7999], ['Smartphone Case', 1999], ['Bluetooth Speaker', 4999], ['Fitness Tracker', 12999],
  ['Laptop Sleeve', 2499], ['Wireless Mouse', 3499], ['Gaming Keyboard', 8999], ['Portable Charger', 2999],
  ['Smartwatch', 19999], ['Noise-Cancelling Headphones', 14999], ['Wireless Earbuds', 9999], ['USB-C Charging Cable', 1499],
  ['Laptop Stand', 3999], ['Wireless Keyboard', 5999], ['Smart Home Hub', 12999], ['Desk Lamp', 3450],
  ['4K Webcam', 8999], ['Mechanical Keyboard', 11999], ['Monitor Arm', 6499], ['External SSD 1TB', 10999],
  ['HDMI Cable', 1299], ['Phone Case', 2000], ['Screen Protector', 999], ['Tablet Stand', 2799],
  ['Smart Bulb 4-pack', 3999], ['Robot Vacuum', 29999], ['E-Reader', 13999], ['Action Camera', 24999],
  ['Drone', 49999], ['VR Headset', 39999], ['Gaming Mouse Pad', 1999], ['Microphone', 7999],
  ['Ring Light', 4499], ['Power Strip', 2499], ['Car Phone Mount', 1799], ['Travel Adapter', 2199],
  ['Smart Plug', 1599], ['Portable Projector', 18999], ['Noise Machine', 3499], ['Graphics Tablet', 6999],
];
const PLANS: ReadonlyArray<readonly [string, number, number]> = [
  ['Basic', 999, 30], ['Standard', 1999, 40], ['Pro', 4999, 22], ['Premium', 7999, 8],
];
const CARD_BRANDS = ['Visa', 'Visa', 'Mastercard', 'Mastercard', 'American Express', 'Discover'] as const;

// Time (a fixed "now") and value helpers are in generate/time.ts; cards and transactions in
// generate/desk.ts.
const fmt = (symbol: string, centsValue: number): string => `${symbol}${(centsValue / 100).toFixed(2)}`;
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

// ------------------------------------------------------------------------------------------
// the generator

const ORDER_STATUS_TABLE = [
  ['delivered', 58], ['shipped', 12], ['processing', 10], ['pending', 6], ['cancelled', 14],
] as const;
const SUB_STATUS_TABLE = [['active', 70], ['trial', 8], ['past_due', 7], ['cancelled', 15]] as const;
const TICKET_KINDS = [
  ['order', 'medium'], ['delivery', 'medium'], ['shipping', 'low'], ['billing', 'high'], ['technical', 'medium'],
  ['account', 'low'], ['dispute', 'high'], ['fraud', 'urgent'], ['transaction_inquiry', 'medium'], ['other', 'low'],
] as const;
const TICKET_STATUS_TABLE = [
  ['open', 35], ['assigned', 10], ['in_progress', 20], ['escalated', 5], ['resolved', 20], ['closed', 10],
] as const;

/**
 * Writes a synthetic data set as <collection>.jsonl files into opts.outDir (created if needed,
 * existing files overwritten). Deterministic: the same options give byte-identical files.
 */
export async function generateDataset(opts: GenerateOptions): Promise<{ counts: Record<CollectionName, number> }> {
  const customersN = opts.customers;
  const perCustomer = opts.ordersPerCustomer ?? 10;
  const seed = opts.seed ?? 42;
  if (!Number.isSafeInteger(customersN) || customersN < 1 || customersN > MAX_GENERATED_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number between 1 and ${MAX_GENERATED_CUSTOMERS}`);
  }
  if (!Number.isSafeInteger(perCustomer) || perCustomer < 0 || perCustomer > MAX_ORDERS_PER_CUSTOMER) {
    throw new RangeError(`ordersPerCustomer must be a whole number between 0 and ${MAX_ORDERS_PER_CUSTOMER}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError('seed must be a whole number between 0 and 4294967295');
  }

  await mkdir(opts.outDir, { recursive: true });
  const w = {} as Record<CollectionName, JsonlWriter>;
  for (const name of COLLECTIONS) w[name] = new JsonlWriter(path.join(opts.outDir, `${name}.jsonl`));

  let subN = 0;
  let payN = 0;
  let bankN = 0;
  let ticketN = 0;

  try {
    for (let n = 1; n <= customersN; n++) {
      const rng = mulberry32(mix(seed, n));
      const customerId = `GC-${pad(n, 7)}`;
      const region = weighted(rng, REGION_TABLE);
      const first = pick(rng, FIRST);
      const last = pick(rng, LAST);
      const createdAt = between(rng, CREATED_FROM, CREATED_TO);
      // Bijection of n onto 7 digits (3141593 is coprime with 10^7): unique phone keys.
      const seven = pad((n * 3_141_593 + 2_718_281) % 10_000_000, 7);
      const hasBank = chance(rng, 0.2);
      const customerUpdated = chance(rng, 0.3) ? between(rng, createdAt, NOW) : createdAt;

      w.customers.add({
        id: customerId,
        name: `${first} ${last}`,
        email: `${slug(first)}.${slug(last)}${n}@${pick(rng, DOMAINS)}`,
        phone: region.phone(seven, rng),
        username: chance(rng, 0.7) ? `${slug(first)}${slug(last).charAt(0)}${n}` : null,
        account_number: hasBank ? `GA-${pad(n, 8)}` : null,
        tier: weighted(rng, [['basic', 30], ['standard', 45], ['premium', 20], ['enterprise', 5]] as const),
        risk_level: weighted(rng, [['low', 80], ['medium', 15], ['high', 5]] as const),
        kyc_status: weighted(rng, [['verified', 85], ['pending', 12], ['rejected', 3]] as const),
        status: weighted(rng, [['active', 96], ['suspended', 3], ['blocked', 1]] as const),
        date_of_birth: isoDate(between(rng, Date.UTC(1950, 0, 1), Date.UTC(2005, 11, 31))),
        postcode: region.postcode(rng),
        created_at: iso(createdAt),
        updated_at: iso(customerUpdated),
      });

      // orders: exactly perCustomer, ids contiguous per customer
      let lastOrder: { id: string; total: number; at: number } | null = null;
      const latestByStatus: Partial<Record<string, string>> = {};
      const orderPayments: Array<{ at: number; total: number }> = [];
      for (let k = 0; k < perCustomer; k++) {
        const orderId = `GO-${pad((n - 1) * perCustomer + k + 1, 9)}`;
        const status = weighted(rng, ORDER_STATUS_TABLE);
        const earliest = Math.max(createdAt, CREATED_FROM);
        let orderedAt: number;
        if (status === 'processing' || status === 'pending') orderedAt = between(rng, NOW - 5 * DAY, NOW - HOUR);
        else if (status === 'shipped') orderedAt = between(rng, NOW - 14 * DAY, NOW - 2 * DAY);
        else orderedAt = between(rng, earliest, NOW - 14 * DAY);
        const itemCount = weighted(rng, [[1, 50], [2, 30], [3, 15], [4, 5]] as const);
        const items: Array<{ product: string; quantity: number; unit_price: number }> = [];
        const used = new Set<number>();
        let totalCents = 0;
        while (items.length < itemCount) {
          const idx = Math.floor(rng() * PRODUCTS.length);
          if (used.has(idx)) continue;
          used.add(idx);
          const [product, price] = PRODUCTS[idx]!;
          const quantity = weighted(rng, [[1, 75], [2, 18], [3, 5], [4, 1], [5, 1]] as const);
          totalCents += quantity * price;
          items.push({ product, quantity, unit_price: money(price) });
        }
        const deliveryDays = int(rng, 3, 8);
        let updatedAt = orderedAt;
        let cancelledAt: number | null = null;
        if (status === 'cancelled') {
          cancelledAt = orderedAt + int(rng, 1, 48) * HOUR;
          updatedAt = cancelledAt;
        } else if (status === 'shipped') {
          updatedAt = orderedAt + int(rng, 12, 40) * HOUR;
        } else if (status === 'delivered') {
          updatedAt = orderedAt + deliveryDays * DAY + int(rng, 0, 10) * HOUR;
        }
        w.orders.add({
          id: orderId,
          customer_id: customerId,
          status,
          total: money(totalCents),
          currency: region.currency,
          items,
          ordered_at: iso(orderedAt),
          estimated_delivery: status === 'cancelled' ? null : isoDate(orderedAt + deliveryDays * DAY),
          updated_at: iso(updatedAt),
          cancelled_at: cancelledAt === null ? null : iso(cancelledAt),
        });
        latestByStatus[status] = orderId;
        if (status !== 'cancelled' && status !== 'pending') {
          orderPayments.push({ at: orderedAt, total: totalCents });
          if (!lastOrder || orderedAt > lastOrder.at) lastOrder = { id: orderId, total: totalCents, at: orderedAt };
        }
      }

      // subscriptions (45%), sometimes with an earlier cancelled one
      let current: { plan: string; cents: number; status: string; last: number | null } | null = null;
      if (chance(rng, 0.45)) {
        const [plan, cents] = weighted(rng, PLANS.map((p) => [p, p[2]] as const));
        const status = weighted(rng, SUB_STATUS_TABLE);
        const startedAt = status === 'trial'
          ? between(rng, NOW - 14 * DAY, NOW - DAY)
          : between(rng, createdAt, Math.max(createdAt + DAY, NOW - 40 * DAY));
        if (status !== 'trial' && chance(rng, 0.15) && startedAt - createdAt > 60 * DAY) {
          const oldStart = between(rng, createdAt, startedAt - 30 * DAY);
          w.subscriptions.add({
            id: `GS-${pad(++subN, 7)}`,
            customer_id: customerId,
            plan: pick(rng, PLANS.filter((p) => p[0] !== plan))[0],
            status: 'cancelled',
            amount: money(pick(rng, PLANS)[1]),
            currency: region.currency,
            next_billing_date: null,
            last_payment_date: isoDate(between(rng, oldStart, startedAt)),
            started_at: iso(oldStart),
          });
        }
        const billingDay = new Date(startedAt).getUTCDate() > 28 ? 28 : new Date(startedAt).getUTCDate();
        // next billing date: the billing day in the month after NOW (or this month if still ahead)
        const nowDate = new Date(NOW);
        let next = Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth(), billingDay);
        if (next <= NOW) next = Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth() + 1, billingDay);
        const prev = Date.UTC(new Date(next).getUTCFullYear(), new Date(next).getUTCMonth() - (status === 'past_due' ? 2 : 1), billingDay);
        let lastPaid: number | null = status === 'trial' ? null : Math.max(prev, startedAt);
        if (status === 'cancelled') lastPaid = between(rng, startedAt, NOW - 30 * DAY);
        w.subscriptions.add({
          id: `GS-${pad(++subN, 7)}`,
          customer_id: customerId,
          plan,
          status,
          amount: money(cents),
          currency: region.currency,
          next_billing_date: status === 'cancelled' ? null : isoDate(status === 'trial' ? startedAt + 14 * DAY : next),
          last_payment_date: lastPaid === null ? null : isoDate(lastPaid),
          started_at: iso(startedAt),
        });
        current = { plan, cents, status, last: status === 'cancelled' ? null : lastPaid };
      }

      // billing account + payments: every live subscriber and 25% of the others
      const liveSub = current && current.status !== 'cancelled' ? current : null;
      if (liveSub || chance(rng, 0.25)) {
        const method = `${pick(rng, CARD_BRANDS)} ending in ${pad(int(rng, 0, 9999), 4)}`;
        let balance = 0;
        let dueDate: string | null = null;
        let charges: string;
        if (liveSub) {
          if (liveSub.status === 'past_due') balance = liveSub.cents * 2;
          else if (chance(rng, 0.3)) balance = liveSub.cents + int(rng, 0, 2500);
          dueDate = isoDate(NOW + int(rng, 3, 28) * DAY);
          charges = liveSub.status === 'past_due'
            ? `Two unpaid monthly ${liveSub.plan} plan fees of ${fmt(region.symbol, liveSub.cents)}.`
            : balance > liveSub.cents
              ? `${liveSub.plan} plan monthly fee of ${fmt(region.symbol, liveSub.cents)}, plus ${fmt(region.symbol, balance - liveSub.cents)} in usage charges and taxes.`
              : `${liveSub.plan} plan monthly fee of ${fmt(region.symbol, liveSub.cents)}.`;
        } else if (lastOrder) {
          charges = `Order ${lastOrder.id}: ${fmt(region.symbol, lastOrder.total)}, paid at checkout.`;
        } else {
          charges = 'No charges this period.';
        }
        w.billing_accounts.add({
          customer_id: customerId,
          balance: money(balance),
          currency: region.currency,
          due_date: dueDate,
          latest_charges: charges,
          payment_method: method,
          autopay: liveSub ? chance(rng, 0.65) : false,
          updated_at: iso(between(rng, NOW - 30 * DAY, NOW)),
        });
        // subscription payments, monthly back from the last paid date
        if (liveSub && liveSub.last !== null) {
          const months = int(rng, 1, 6);
          const d = new Date(liveSub.last);
          for (let m = 0; m < months; m++) {
            const paidOn = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - m, d.getUTCDate());
            if (paidOn < createdAt) break;
            w.payments.add({
              id: `GP-${pad(++payN, 9)}`, customer_id: customerId, paid_on: isoDate(paidOn),
              amount: money(liveSub.cents), currency: region.currency, method,
            });
          }
        }
        // a few order payments
        for (const op of orderPayments.slice(0, int(rng, 0, 3))) {
          w.payments.add({
            id: `GP-${pad(++payN, 9)}`, customer_id: customerId, paid_on: isoDate(op.at),
            amount: money(op.total), currency: region.currency, method,
          });
        }
      }

      // bank accounts: 1-3 distinct types for 20% of customers
      const accounts: GeneratedAccount[] = [];
      if (hasBank) {
        const types = (['checking', 'savings', 'credit'] as const).filter(() => chance(rng, 0.55));
        if (types.length === 0) types.push(pick(rng, ['checking', 'savings', 'credit'] as const));
        for (const t of types) {
          const cents = t === 'savings' ? int(rng, 50_000, 8_000_000) : t === 'credit' ? int(rng, 0, 1_200_000) : int(rng, 1_000, 2_500_000);
          const account: GeneratedAccount = {
            id: `GB-${pad(++bankN, 7)}`,
            customer_id: customerId,
            account_type: t,
            balance: money(cents),
            currency: region.currency,
            last_updated: iso(between(rng, NOW - 7 * DAY, NOW)),
          };
          w.bank_accounts.add(account);
          accounts.push(account);
        }
      }
      // cards and transactions (issue 13) from their own stream, so every other collection
      // stays byte-identical to what earlier versions generated
      if (accounts.length > 0) {
        const desk = deskRecords(mulberry32(mix(seed ^ 0x5eed13, n)), customerId, accounts);
        for (const card of desk.cards) w.cards.add(card);
        for (const tx of desk.transactions) w.transactions.add(tx);
      }

      // tickets: 6% of customers, one or two each
      if (chance(rng, 0.06)) {
        const howMany = chance(rng, 0.2) ? 2 : 1;
        for (let t = 0; t < howMany; t++) {
          const [category, basePriority] = pick(rng, TICKET_KINDS);
          const priority = chance(rng, 0.25) ? pick(rng, ['low', 'medium', 'high', 'urgent'] as const) : basePriority;
          const status = weighted(rng, TICKET_STATUS_TABLE);
          const created = between(rng, Math.max(createdAt, NOW - 180 * DAY), NOW - HOUR);
          const updated = status === 'open' ? created : created + int(rng, 1, 72) * HOUR;
          let description: string;
          let amount: number | null = null;
          switch (category) {
            case 'order':
            case 'delivery':
            case 'shipping':
              {
                const shipped = latestByStatus.shipped ?? latestByStatus.processing;
                const delivered = latestByStatus.delivered;
                const options: string[] = [];
                if (shipped) options.push(`Customer asks where order ${shipped} is; tracking has not updated for several days.`);
                if (delivered) {
                  options.push(`Order ${delivered} arrived damaged; customer requests a replacement.`);
                  options.push(`Customer reports order ${delivered} was marked delivered but not received.`);
                }
                description = options.length > 0 ? pick(rng, options) : 'Customer asks about the status of a recent order.';
              }
              break;
            case 'billing':
            case 'dispute':
            case 'transaction_inquiry': {
              const cents = int(rng, 500, 30_000);
              amount = money(cents);
              description = pick(rng, [
                `Customer reports a duplicate charge of ${fmt(region.symbol, cents)}.`,
                `Customer disputes a charge of ${fmt(region.symbol, cents)} they do not recognise.`,
                `Customer asks for a refund of ${fmt(region.symbol, cents)}.`,
              ]);
              break;
            }
            case 'fraud':
              amount = chance(rng, 0.5) ? money(int(rng, 2_000, 200_000)) : null;
              description = 'Suspicious activity reported on the account; investigation requested.';
              break;
            case 'technical':
              description = pick(rng, ['Customer cannot log in to the app after a password reset.', 'Device will not pair over Bluetooth.', 'Mobile app crashes when opening order history.']);
              break;
            case 'account':
              description = pick(rng, ['Customer wants to change the name on the account.', 'Customer asks to close the account.', 'Customer wants to update the delivery address.']);
              break;
            default:
              description = 'General enquiry forwarded from chat.';
          }
          ticketN++;
          w.tickets.add({
            id: `GT-${pad(ticketN, 7)}`,
            number: `TKT-${pad(ticketN, 7)}`,
            customer_id: customerId,
            category,
            priority,
            status,
            description,
            amount,
            currency: amount === null ? null : region.currency,
            conversation_id: chance(rng, 0.4) ? `conv-${pad(ticketN, 7)}` : null,
            idempotency_key: null,
            created_at: iso(created),
            updated_at: iso(updated),
          });
        }
      }

      for (const name of COLLECTIONS) if (w[name].full) await w[name].flush();
    }
    for (const name of COLLECTIONS) await w[name].close();
  } catch (err) {
    for (const name of COLLECTIONS) w[name].destroy();
    throw err;
  }

  const counts = {} as Record<CollectionName, number>;
  for (const name of COLLECTIONS) counts[name] = w[name].count;
  return { counts };
}
