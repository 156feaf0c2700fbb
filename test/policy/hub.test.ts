// ServiceHub's policy hooks without a transport: the audit entry handed to a write, the
// per-call customer hook, and afterCall's one-entry-per-call rule.
import { describe, expect, it } from 'vitest';
import { STDIO_PRINCIPAL } from '../../src/domain/principal.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { ServiceHub, type CallInfo, type CallRecord } from '../../src/services/hub.js';
import { JANE, JANE_DELIVERED_ORDER, JANE_PROCESSING_ORDER, policy, SARAH } from './kit.js';

const info = (over: Partial<CallInfo> = {}): CallInfo => ({
  tool: 'cancel_order', conversationId: 'hub-conv', principal: STDIO_PRINCIPAL, correlationId: 'corr-1', args: { order_id: '[redacted]' }, ...over,
});
const record = (call: CallInfo, outcome: 'ok' | 'error', customerId: string | null): CallRecord => ({
  ...call, args: call.args ?? {}, outcome, errorCode: outcome === 'ok' ? null : 'INVALID_STATE', durationMs: 3, customerId,
});

describe('ServiceHub policy hooks', () => {
  it('writeOptionsFor hands out the call\'s entry once; the committed write is not appended again', async () => {
    const repo = await FixtureRepository.load();
    const hub = new ServiceHub({ repo, policy: policy({ flushIntervalMs: 3_600_000 }) });
    const call = info();
    const services = hub.forCall(call);
    await services.orders.cancelOrder(JANE_PROCESSING_ORDER); // the service asks for the options
    const stored = (await repo.listAudit({ limit: 100 })).filter((e) => e.conversation_id === 'hub-conv');
    expect(stored).toMatchObject([{ tool: 'cancel_order', customer_id: JANE, outcome: 'ok', error_code: null, args: { order_id: '[redacted]' } }]);
    // A second write in the same call carries no entry (one entry per call).
    const options = hub.writeOptionsFor(call, services.access);
    expect(options()).toMatchObject({ audit: { tool: 'cancel_order' } });
    expect(options()).toBeUndefined();
    hub.afterCall(record(call, 'ok', JANE), services);
    expect(hub.audit!.pending).toBe(0);
    // A failed call whose write was refused gets its error entry.
    const failed = info({ correlationId: 'corr-2' });
    const failedServices = hub.forCall(failed);
    await expect(failedServices.orders.cancelOrder(JANE_DELIVERED_ORDER)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await repo.listAudit({ limit: 100 })).filter((e) => e.conversation_id === 'hub-conv')).toHaveLength(1);
    hub.afterCall(record(failed, 'error', JANE), failedServices);
    expect(hub.audit!.pending).toBe(1);
    await hub.close();
  });

  it('without audit, writes carry no entry', async () => {
    const repo = await FixtureRepository.load();
    const hub = new ServiceHub({ repo, policy: policy({ audit: false }) });
    const call = info();
    expect(hub.writeOptionsFor(call, hub.forCall(call).access)()).toBeUndefined();
    await hub.close();
  });

  it('the customer hook counts each customer once per call, and only when access is granted', async () => {
    const repo = await FixtureRepository.load();
    const hub = new ServiceHub({ repo, policy: policy({ limits: { perCustomerPerHour: 2 } }) });
    const once = hub.forCall(info({ tool: 'get_subscription', correlationId: 'a' }));
    // one call reading the customer three ways counts once
    await once.billing.getSubscription(SARAH);
    await once.customers.getCustomer(SARAH);
    await once.access.assertCustomer(SARAH);
    await hub.forCall(info({ tool: 'get_subscription', correlationId: 'b' })).billing.getSubscription(SARAH);
    await expect(hub.forCall(info({ tool: 'get_subscription', correlationId: 'c' })).billing.getSubscription(SARAH))
      .rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await hub.close();
  });

  it('close() is idempotent and closes the repository after the flush', async () => {
    const repo = await FixtureRepository.load();
    // What was stored when the repository was closed, and how often close() reached it.
    const closes: number[] = [];
    const observed = new Proxy(repo, {
      get(target, prop, receiver) {
        if (prop === 'close') {
          return async () => {
            closes.push((await target.listAudit({ limit: 10_000 })).filter((e) => e.conversation_id === 'hub-conv').length);
            await target.close();
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const hub = new ServiceHub({ repo: observed, policy: policy({ flushIntervalMs: 3_600_000 }) });
    const call = info({ tool: 'get_subscription' });
    hub.afterCall(record(call, 'ok', SARAH), hub.forCall(call));
    await Promise.all([hub.close(), hub.close()]);
    // closed once, and only after the buffered entry (an hour from its timer) was flushed
    expect(closes).toEqual([1]);
    await expect(repo.ping()).rejects.toThrow();
  });
});
