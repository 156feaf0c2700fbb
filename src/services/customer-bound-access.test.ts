// Customer-bound tokens without MCP: the guard and the verification service of a token bound
// to one customer, through ServiceHub.forCall as tool calls get them, in open and verified
// mode alike; the binding ends with the token.
import { describe, expect, it } from 'vitest';
import { oauthPrincipal, tokenPrincipal } from '../domain/principal.js';
import { FixtureRepository } from '../repository/fixtures/repository.js';
import { CustomerBoundAccessGuard } from './customer-bound-access.js';
import { ServiceHub } from './hub.js';
import { openPolicy } from './policy.js';

const JOHN = '1213210';
const PRIYA = '2837622';
const issuer = new URL('https://auth.example.com/realms/support');
const code = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string }) => e.code ?? String(e));

describe('CustomerBoundAccessGuard', () => {
  it('the bound customer is verified; anyone else is AUTH_REQUIRED, look-ups included; nothing after the token expires', async () => {
    let now = 1_000;
    const g = new CustomerBoundAccessGuard({ id: JOHN, until: 2_000 }, () => now);
    expect(await g.isVerified(` ${JOHN} `)).toBe(true);
    await g.assertCustomer(JOHN);
    expect(await code(g.isVerified(PRIYA))).toBe('AUTH_REQUIRED');
    expect(await code(g.assertCustomer(''))).toBe('AUTH_REQUIRED');
    expect(g.touchedCustomerId).toBe(JOHN);
    now = 2_000;
    expect(await code(g.assertCustomer(JOHN))).toBe('AUTH_REQUIRED');
  });
});

describe('ServiceHub.forCall with a customer-bound principal', () => {
  for (const access of ['open', 'verified'] as const) {
    it(`--access ${access}: John's data without a code, Priya refused, verify_identity for Priya refused`, async () => {
      const hub = new ServiceHub({ repo: await FixtureRepository.load(), policy: openPolicy({ access }) });
      const principal = oauthPrincipal(issuer, 'john', 'portal', { id: JOHN, until: Date.now() + 60_000 });
      const s = hub.forCall({ tool: 't', conversationId: 'c1', principal, correlationId: 'x' });
      expect((await s.customers.lookupCustomer({ by: 'email', value: 'john@gmail.com' })).verified).toBe(true);
      expect((await s.orders.listOrders(JOHN)).orders.length).toBeGreaterThan(0);
      expect(await code(s.customers.lookupCustomer({ by: 'email', value: 'priya@candy.com' }))).toBe('AUTH_REQUIRED');
      expect(await code(s.orders.listOrders(PRIYA))).toBe('AUTH_REQUIRED');
      expect(await code(s.verification.verify({ customerId: PRIYA, conversationId: 'c1', method: 'kba', answers: { date_of_birth: '1991-07-23', postcode: '07302', phone_last4: '3210' } }))).toBe('AUTH_REQUIRED');
      expect(await code(s.verification.requireVerified(PRIYA, 'c1'))).toBe('AUTH_REQUIRED');
      const mine = await s.verification.verify({ customerId: JOHN, conversationId: 'c1', method: 'otp' });
      expect(mine).toMatchObject({ status: 'verified', started: false, deliveredTo: null });
      expect(await code(s.verification.verify({ customerId: JOHN, conversationId: 'c1', method: 'biometric' }))).toBe('VALIDATION_FAILED');
      expect((await s.verification.requireVerified(JOHN, 'c1')).customer_id).toBe(JOHN);
      // nothing was sent or stored
      expect(await hub.repo.findLatestVerification(JOHN, { conversationId: 'c1', principal: principal.id }, 'otp')).toBeNull();
    });
  }

  it('a principal without a customer (staff token, static token) keeps the --access guard', async () => {
    const hub = new ServiceHub({ repo: await FixtureRepository.load(), policy: openPolicy({ access: 'verified' }) });
    for (const principal of [oauthPrincipal(issuer, 'agent', 'console'), tokenPrincipal('ops')]) {
      const s = hub.forCall({ tool: 't', conversationId: 'c2', principal, correlationId: 'x' });
      expect((await s.customers.lookupCustomer({ by: 'id', value: PRIYA })).verified).toBe(false);
      expect(await code(s.orders.listOrders(JOHN))).toBe('AUTH_REQUIRED');
    }
  });
});

describe('oauthPrincipal', () => {
  it('names issuer, subject and client (encoded so neither can forge a separator), never more', () => {
    expect(oauthPrincipal(issuer, 'john', 'portal').id).toBe('oauth:auth.example.com/realms/support#john@portal');
    expect(oauthPrincipal(issuer, 'svc', 'svc').id).toBe('oauth:auth.example.com/realms/support#svc');
    expect(oauthPrincipal(issuer, 'a@b', 'c').id).not.toBe(oauthPrincipal(issuer, 'a', 'b@c').id);
    expect(oauthPrincipal(new URL('https://tenant.auth0.com/'), 'auth0|123', undefined).id).toBe('oauth:tenant.auth0.com#auth0%7C123');
  });
});
