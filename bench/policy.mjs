// The two policies the Postgres scenarios compare:
//   off      --access open --limits off: no verification look-up, no counters (the server's
//            own cost, what earlier runs measured);
//   default  what a deployment runs: --access verified and the rate limits on (every counter
//            checked in Postgres on every call), the limits raised so the bench measures the
//            checks rather than refusals. The look-ups then go to customers verified once, by
//            KBA answers read from the database, in one conversation (stdio: the process;
//            stateless HTTP: the conversation_id verify_identity returns).
import pg from 'pg';
import { sampleIds } from './lib.mjs';

export const POLICY_OFF = ['--access', 'open', '--limits', 'off'];
export const POLICY_DEFAULT = [
  '--access', 'verified', '--limits', 'on',
  '--limit-conversation', '1000000', '--limit-customer', '1000000', '--limit-global', '100000000', '--limit-verification', '1000000',
];
export const policyArgs = (policy) => (policy === 'default' ? POLICY_DEFAULT : POLICY_OFF);

/** Customers a KBA verification can unlock (date of birth, postcode, phone), with their orders. */
export async function verifiableSample(url, n) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`
      select c.id, to_char(c.date_of_birth, 'YYYY-MM-DD') as dob, c.postcode, c.phone,
             array(select o.id from orders o where o.customer_id = c.id order by o.id) as orders
      from customers c
      where c.status = 'active' and c.date_of_birth is not null and c.postcode is not null and c.phone is not null
        and exists (select 1 from orders o where o.customer_id = c.id)
      order by md5(c.id) limit $1`, [n]);
    if (rows.length === 0) throw new Error(`${url}: no active customer with orders and KBA data`);
    return rows;
  } finally {
    await c.end();
  }
}

/**
 * Ids to look up and the extra arguments each call needs under `policy`. For 'default' the
 * sampled customers are verified first through `call(tool, args)` (one conversation).
 */
export async function lookupSet(policy, url, call, { customers = 20 } = {}) {
  if (policy !== 'default') {
    const { orderIds, customerIds } = await sampleIds(url);
    return { orderIds, customerIds, extra: {}, calls: 0 };
  }
  const sample = await verifiableSample(url, customers);
  let conversation;
  for (const cu of sample) {
    const digits = cu.phone.replace(/\D/g, '');
    const r = await call('verify_identity', {
      customer_id: cu.id, method: 'kba', date_of_birth: cu.dob, postcode: cu.postcode, phone_last4: digits.slice(-4),
      ...(conversation ? { conversation_id: conversation } : {}),
    });
    const out = r.result.structuredContent;
    if (out?.status !== 'verified') throw new Error(`could not verify ${cu.id}: ${JSON.stringify(r.result).slice(0, 300)}`);
    conversation ??= out.conversation_id;
  }
  return {
    orderIds: sample.flatMap((cu) => cu.orders),
    customerIds: sample.map((cu) => cu.id),
    extra: conversation ? { conversation_id: conversation } : {},
    calls: sample.length,
  };
}
