// The access guards without MCP: open vs verified, per-conversation and per-customer scope,
// the per-call cache, and what the guard remembers for the audit trail.
import { describe, expect, it, vi } from 'vitest';
import { OpenAccessGuard, VerifiedAccessGuard } from './access.js';

const verifiedIn = (pairs: [customer: string, conversation: string][]) =>
  vi.fn(async (customerId: string, conversationId: string) =>
    pairs.some(([c, v]) => c === customerId && v === conversationId) ? { id: `ver-${customerId}` } : null);

describe('OpenAccessGuard', () => {
  it('allows every customer and remembers the first one touched', async () => {
    const g = new OpenAccessGuard();
    await g.assertCustomer('A');
    await g.assertCustomer('B');
    expect(await g.isVerified('C')).toBe(true);
    expect(g.touchedCustomerId).toBe('A');
  });
});

describe('VerifiedAccessGuard', () => {
  it('AUTH_REQUIRED unless the customer is verified in THIS conversation; the message names the next step', async () => {
    const find = verifiedIn([['A', 'conv-x']]);
    const g = new VerifiedAccessGuard('conv-y', find);
    const err = await g.assertCustomer('A').then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUTH_REQUIRED', details: { entity: 'customer', value: 'A' } });
    expect((err as Error).message).toMatch(/verify_identity/);
    expect((err as Error).message).toMatch(/verify_customer_identity/);
    expect(find).toHaveBeenCalledWith('A', 'conv-y');
    expect(await g.isVerified('A')).toBe(false);
  });

  it('verifying A never unlocks B', async () => {
    const g = new VerifiedAccessGuard('conv-x', verifiedIn([['A', 'conv-x']]));
    await expect(g.assertCustomer('A')).resolves.toBeUndefined();
    await expect(g.assertCustomer('B')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(await g.isVerified('B')).toBe(false);
    // the first customer touched is the one recorded (audit, per-customer rate limit)
    expect(g.touchedCustomerId).toBe('A');
  });

  it('caches positive answers for the call only; negative answers are asked again', async () => {
    const find = verifiedIn([['A', 'conv-x']]);
    const g = new VerifiedAccessGuard('conv-x', find);
    await g.assertCustomer('A');
    await g.assertCustomer(' A ');
    expect(await g.isVerified('A')).toBe(true);
    expect(find).toHaveBeenCalledTimes(1);
    await g.assertCustomer('B').catch(() => undefined);
    await g.assertCustomer('B').catch(() => undefined);
    expect(find).toHaveBeenCalledTimes(3);
    // a new call (a new guard) asks the repository again: an expiry is noticed at once
    const next = new VerifiedAccessGuard('conv-x', find);
    await next.assertCustomer('A');
    expect(find).toHaveBeenCalledTimes(4);
  });

  it('an empty customer id or conversation is never verified, and never asks the store', async () => {
    const find = verifiedIn([['', ''], ['A', '']]);
    expect(await new VerifiedAccessGuard('conv', find).isVerified('  ')).toBe(false);
    expect(await new VerifiedAccessGuard('  ', find).isVerified('A')).toBe(false);
    expect(find).not.toHaveBeenCalled();
  });

  it('a store failure propagates (fails closed)', async () => {
    const g = new VerifiedAccessGuard('conv', async () => {
      throw new Error('down');
    });
    await expect(g.assertCustomer('A')).rejects.toThrow('down');
  });
});
