// Cards and transactions of one generated customer's bank accounts (issue 13): at least 10
// transactions per account, newest first, with running balances; a card per non-savings account.
import type { Card, Transaction } from '../../domain/index.js';
import { chance, int, pick, weighted, type Rng } from './random.js';
import { between, CREATED_FROM, HOUR, iso, money, NOW, DAY, pad } from './time.js';

const TX_MERCHANTS: ReadonlyArray<readonly [string, string]> = [
  ['Whole Foods Market', 'Groceries'], ['Shell', 'Fuel'], ['Amazon', 'Online purchase'], ['Starbucks', 'Coffee'],
  ['Netflix', 'Subscription'], ['Uber', 'Ride'], ['Delta Air Lines', 'Flight'], ['Target', 'Shopping'],
  ['CVS Pharmacy', 'Pharmacy'], ['Spotify', 'Subscription'], ['Apple', 'App Store'], ['Chipotle', 'Restaurant'],
];

export interface GeneratedAccount {
  id: string;
  customer_id: string;
  account_type: 'checking' | 'savings' | 'credit';
  balance: number;
  currency: string;
  last_updated: string;
}

/** Records for one customer's accounts, drawn from `rng` (a stream of their own). */
export function deskRecords(rng: Rng, customerId: string, accounts: readonly GeneratedAccount[]): { cards: Card[]; transactions: Transaction[] } {
  const cards: Card[] = [];
  const transactions: Transaction[] = [];
  let cardK = 0;
  for (const account of accounts) {
    if (account.account_type !== 'savings') {
      const status = weighted(rng, [['active', 90], ['blocked', 7], ['replaced', 3]] as const);
      const reason = status === 'active' ? null : pick(rng, ['lost', 'stolen', 'suspected_fraud', 'temporary'] as const);
      const blockedAt = reason === null ? null : iso(between(rng, NOW - 90 * DAY, NOW - HOUR));
      cards.push({
        id: `GK-${customerId.slice(3)}-${++cardK}`,
        customer_id: customerId,
        bank_account_id: account.id,
        brand: pick(rng, ['visa', 'visa', 'mastercard', 'mastercard', 'amex', 'discover'] as const),
        last4: pad(int(rng, 0, 9999), 4),
        status,
        block_reason: reason,
        blocked_at: blockedAt,
        updated_at: blockedAt ?? iso(between(rng, CREATED_FROM, NOW - 30 * DAY)),
      });
    }
    // at least 10 per account (35 on average: ~1.1M for 100,000 customers), newest first
    const count = 10 + int(rng, 0, 50);
    let at = Date.parse(account.last_updated);
    let balanceCents = Math.round(account.balance * 100);
    const credit = account.account_type === 'credit';
    for (let k = 0; k < count; k++) {
      const income = account.account_type === 'savings' ? chance(rng, 0.5) : chance(rng, 0.12);
      const [merchant, label] = pick(rng, TX_MERCHANTS);
      const cents = income ? int(rng, 500, 300_000) : -int(rng, 100, 25_000);
      const pending = k === 0 && chance(rng, 0.3);
      transactions.push({
        id: `GX-${account.id.slice(3)}-${pad(count - k, 3)}`,
        bank_account_id: account.id,
        posted_at: iso(at),
        amount: money(cents),
        currency: account.currency,
        description: income ? (account.account_type === 'savings' ? 'Transfer from checking' : credit ? 'Payment received - thank you' : 'Payroll deposit') : `${label} - ${merchant}`,
        merchant: income ? null : merchant,
        status: pending ? 'pending' : 'posted',
        balance_after: pending ? null : money(balanceCents),
      });
      if (!pending) balanceCents += credit ? cents : -cents;
      at -= int(rng, 1, 96) * HOUR + int(rng, 0, 59) * 60_000;
    }
  }
  return { cards, transactions };
}
