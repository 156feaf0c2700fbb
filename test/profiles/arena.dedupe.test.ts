// TicketService.createTicketDeduplicated, the retry-safety behind the arena profile's
// create_support_ticket: the time-bucketed derived key, the previous-bucket look-up across a
// boundary, the window, and concurrency. Run on fixtures, PGlite, and real Postgres when
// DATABASE_URL is set. `now` is injected; tickets' created_at come from the real clock, so
// the fake instants below are always chosen relative to the created_at actually stored.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ServiceError } from '../../src/services/errors.js';
import { TicketService, type CreateTicketInput } from '../../src/services/tickets.js';
import { onPostgresBackends } from '../support/fixture-backends.js';

interface Backend {
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}

// The documented window (README: identical requests de-duplicated for 10 minutes), written
// out rather than read from the source, so the boundary tests below pin it through behaviour.
const W = 10 * 60 * 1000;
const bucketOf = (ms: number): number => Math.floor(ms / W);

const request = (overrides: Partial<CreateTicketInput> = {}): Omit<CreateTicketInput, 'idempotencyKey'> => ({
  customerId: 'CUST-67890',
  category: 'shipping',
  priority: 'medium',
  description: 'Parcel ORD-2024-1234 not received',
  referencePrefix: 'TICKET',
  ...overrides,
});

function describeDedupe(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`TicketService.createTicketDeduplicated [${name}]`, () => {
    let backend: Backend;
    let repo: SupportRepository;
    let service: TicketService;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    beforeEach(async () => {
      repo = await backend.fresh();
      service = new TicketService(repo);
    });

    it('repeats return the first ticket (created=false); the key is auto:<sha256>:<bucket>', async () => {
      const now = new Date();
      const first = await service.createTicketDeduplicated(request(), W, now);
      expect(first.created).toBe(true);
      expect(first.ticket.number).toMatch(/^TICKET-/);
      // the fingerprint recomputed here from the request, independently of the result
      const r = request();
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([r.customerId, r.category, r.priority, r.description.trim(), null, null]))
        .digest('hex');
      expect(first.ticket.idempotency_key).toBe(`auto:${fingerprint}:${bucketOf(now.getTime())}`);
      expect(first.ticket.idempotency_key).toMatch(/^auto:[0-9a-f]{64}:\d+$/);
      for (let i = 0; i < 3; i++) {
        const again = await service.createTicketDeduplicated(request(), W, new Date(now.getTime() + i));
        expect(again).toEqual({ ticket: first.ticket, created: false });
      }
      expect(await repo.findTicketByIdempotencyKey('CUST-67890', first.ticket.idempotency_key!)).toEqual(first.ticket);
    });

    it('any difference in the request makes a new ticket', async () => {
      const now = new Date();
      const base = await service.createTicketDeduplicated(request(), W, now);
      const variants: Partial<CreateTicketInput>[] = [
        { description: 'Another parcel' }, { priority: 'high' }, { category: 'other' }, { customerId: 'CUST-11111' },
        { amount: 5, currency: 'USD' },
      ];
      const ids = new Set([base.ticket.id]);
      for (const v of variants) {
        const r = await service.createTicketDeduplicated(request(v), W, now);
        expect(r.created).toBe(true);
        ids.add(r.ticket.id);
      }
      expect(ids.size).toBe(variants.length + 1);
    });

    it('surrounding whitespace of the description does not matter; the conversation does not either', async () => {
      const now = new Date();
      const a = await service.createTicketDeduplicated(request({ conversationId: 'c1' }), W, now);
      const b = await service.createTicketDeduplicated(request({ description: '  Parcel ORD-2024-1234 not received\n', conversationId: 'c2' }), W, now);
      expect(b).toEqual({ ticket: a.ticket, created: false });
    });

    it('a retry just after a bucket boundary returns the ticket stored under the previous bucket', async () => {
      const boundary = bucketOf(Date.now()) * W;
      // the first call still belongs to the previous bucket…
      const first = await service.createTicketDeduplicated(request(), W, new Date(boundary - 1));
      expect(first.created).toBe(true);
      expect(first.ticket.idempotency_key!.endsWith(`:${bucketOf(boundary) - 1}`)).toBe(true);
      // …the retry, a moment after the ticket was stored, falls into the next one
      const retryAt = Date.parse(first.ticket.created_at) + 1;
      expect(bucketOf(retryAt)).toBe(bucketOf(boundary));
      const retry = await service.createTicketDeduplicated(request(), W, new Date(retryAt));
      expect(retry).toEqual({ ticket: first.ticket, created: false });
      // and no ticket was stored under the new bucket's key
      const currentKey = first.ticket.idempotency_key!.replace(/:\d+$/, `:${bucketOf(boundary)}`);
      expect(await repo.findTicketByIdempotencyKey('CUST-67890', currentKey)).toBeNull();
    });

    it('once the window has passed, the same request opens a new ticket, which its own retries find', async () => {
      const first = await service.createTicketDeduplicated(request(), W, new Date());
      const created = Date.parse(first.ticket.created_at);
      // just inside the window (next bucket at the latest): still the first ticket
      const inside = await service.createTicketDeduplicated(request(), W, new Date(created + W - 1));
      expect(inside.ticket.id).toBe(first.ticket.id);
      // just outside: a new ticket
      const later = new Date(created + W + 1);
      const second = await service.createTicketDeduplicated(request(), W, later);
      expect(second.created).toBe(true);
      expect(second.ticket.id).not.toBe(first.ticket.id);
      const retry = await service.createTicketDeduplicated(request(), W, new Date(later.getTime() + 5));
      expect(retry).toEqual({ ticket: second.ticket, created: false });
    });

    it('two buckets later the old ticket is never returned', async () => {
      const first = await service.createTicketDeduplicated(request(), W, new Date());
      const far = new Date(Date.parse(first.ticket.created_at) + 2 * W + 1);
      const r = await service.createTicketDeduplicated(request(), W, far);
      expect(r.created).toBe(true);
      expect(r.ticket.id).not.toBe(first.ticket.id);
    });

    it('concurrent identical calls create exactly one ticket', async () => {
      const now = new Date();
      const results = await Promise.all(Array.from({ length: 20 }, () => service.createTicketDeduplicated(request(), W, now)));
      expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it('an unknown customer is NOT_FOUND and an empty description VALIDATION_FAILED; nothing is stored', async () => {
      await expect(service.createTicketDeduplicated(request({ customerId: 'CUST-NOPE' }), W)).rejects.toMatchObject({
        name: 'ServiceError', code: 'NOT_FOUND',
      });
      const err = await service.createTicketDeduplicated(request({ description: '  ' }), W).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      expect((err as ServiceError).code).toBe('VALIDATION_FAILED');
    });

    it('rejects a window that is not positive', async () => {
      await expect(service.createTicketDeduplicated(request(), 0)).rejects.toThrow(/windowMs/);
      await expect(service.createTicketDeduplicated(request(), Number.NaN)).rejects.toThrow(/windowMs/);
    });
  });
}

describeDedupe('fixtures', async () => {
  const dataset = await loadDataset();
  return { fresh: async () => new FixtureRepository(dataset), teardown: async () => {} };
});

onPostgresBackends('TicketService.createTicketDeduplicated', describeDedupe);
