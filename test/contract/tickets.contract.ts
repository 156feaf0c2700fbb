// The ticket part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Ticket, type NewTicket } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { ConflictError, NotFoundError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { expectRecent, expectRejects, expectShape, newTicket, uid, type ContractSuite } from './kit.js';

export function describeTicketContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('tickets', () => {
    it('getTicket returns a seeded ticket with exact value types, or null', async () => {
      const t = await repo.getTicket(IDS.seedTicket);
      expectShape(Ticket, t, 'ticket');
      expect(t).toEqual(ds.tickets[0]);
      expect(await repo.getTicket('tkt_does_not_exist')).toBeNull();
    });

    it('createTicket applies defaults, status open, created_at = updated_at = now', async () => {
      const before = Date.now();
      const input = newTicket();
      const { ticket, created } = await repo.createTicket(input);
      expect(created).toBe(true);
      expectShape(Ticket, ticket, 'ticket');
      expect(ticket).toMatchObject({
        id: input.id, number: input.number, customer_id: IDS.alice, category: 'shipping', priority: 'high',
        status: 'open', description: 'Parcel never arrived', amount: null, currency: null, conversation_id: null,
        idempotency_key: null,
      });
      expectRecent(ticket.created_at, before, 'created_at');
      expect(ticket.updated_at).toBe(ticket.created_at);
      expect(await repo.getTicket(input.id)).toEqual(ticket);
    });

    it('createTicket stores money as a number and optional fields as given', async () => {
      const input = newTicket({ category: 'dispute', priority: 'urgent', amount: 49.99, currency: 'EUR', conversation_id: 'conv_t' });
      const { ticket } = await repo.createTicket(input);
      expect(ticket).toMatchObject({ amount: 49.99, currency: 'EUR', conversation_id: 'conv_t', category: 'dispute', priority: 'urgent' });
      expect(await repo.getTicket(input.id)).toEqual(ticket);
    });

    it("createTicket throws NotFoundError('customer', id) for an unknown customer", async () => {
      const input = newTicket({ customer_id: IDS.missingCustomer });
      await expectRejects(repo.createTicket(input), NotFoundError, { entity: 'customer', id: IDS.missingCustomer });
      expect(await repo.getTicket(input.id)).toBeNull();
      const keyed = newTicket({ customer_id: IDS.missingCustomer, idempotency_key: uid('key') });
      await expectRejects(repo.createTicket(keyed), NotFoundError, { entity: 'customer', id: IDS.missingCustomer });
    });

    it('the same idempotency key and request returns the first ticket with created:false', async () => {
      const key = uid('key');
      const first = await repo.createTicket(newTicket({ idempotency_key: key, amount: 10, currency: 'USD' }));
      expect(first.created).toBe(true);
      expect(first.ticket.idempotency_key).toBe(key);
      // A retry typically carries a freshly generated id and number: still the same request.
      const retryInput = newTicket({ idempotency_key: key, amount: 10, currency: 'USD' });
      const retry = await repo.createTicket(retryInput);
      expect(retry.created).toBe(false);
      expect(retry.ticket).toEqual(first.ticket);
      expect(await repo.getTicket(retryInput.id)).toBeNull();
    });

    it("the same key with a different request throws ConflictError('idempotency_key_reused')", async () => {
      const key = uid('key');
      const first = await repo.createTicket(newTicket({ idempotency_key: key }));
      const variants: Partial<NewTicket>[] = [
        { description: 'Something else entirely' },
        { category: 'billing' },
        { priority: 'low' },
        { amount: 5, currency: 'USD' },
      ];
      for (const v of variants) {
        const input = newTicket({ idempotency_key: key, ...v });
        await expectRejects(repo.createTicket(input), ConflictError, {
          reason: 'idempotency_key_reused',
          message: 'This idempotency key was already used for a different ticket request',
        });
        expect(await repo.getTicket(input.id)).toBeNull();
      }
      expect(await repo.getTicket(first.ticket.id)).toEqual(first.ticket);
    });

    it('idempotency keys are scoped per customer', async () => {
      const key = uid('key');
      const a = await repo.createTicket(newTicket({ idempotency_key: key }));
      const b = await repo.createTicket(newTicket({ idempotency_key: key, customer_id: IDS.bob }));
      expect(a.created).toBe(true);
      expect(b.created).toBe(true);
      expect(b.ticket.id).not.toBe(a.ticket.id);
      expect(b.ticket.customer_id).toBe(IDS.bob);
    });

    it('findTicketByIdempotencyKey returns the ticket stored under (customer, key), or null', async () => {
      const key = uid('key');
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toBeNull();
      const first = await repo.createTicket(newTicket({ idempotency_key: key, amount: 3.5, currency: 'USD' }));
      const found = await repo.findTicketByIdempotencyKey(IDS.alice, key);
      expectShape(Ticket, found, 'ticket');
      expect(found).toEqual(first.ticket);
      // a retry changes nothing: still the first ticket
      await repo.createTicket(newTicket({ idempotency_key: key, amount: 3.5, currency: 'USD' }));
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(first.ticket);
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, uid('key'))).toBeNull();
      // keys are compared exactly (no case folding, no trimming)
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, key.toUpperCase())).toBeNull();
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, ` ${key}`)).toBeNull();
    });

    it('findTicketByIdempotencyKey is scoped per customer and null for an unknown customer', async () => {
      const key = uid('key');
      const a = await repo.createTicket(newTicket({ idempotency_key: key }));
      expect(await repo.findTicketByIdempotencyKey(IDS.bob, key)).toBeNull();
      expect(await repo.findTicketByIdempotencyKey(IDS.missingCustomer, key)).toBeNull();
      const b = await repo.createTicket(newTicket({ idempotency_key: key, customer_id: IDS.bob, description: 'Other' }));
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(a.ticket);
      expect(await repo.findTicketByIdempotencyKey(IDS.bob, key)).toEqual(b.ticket);
    });

    it('findTicketByIdempotencyKey returns a copy', async () => {
      const key = uid('key');
      const { ticket } = await repo.createTicket(newTicket({ idempotency_key: key }));
      const found = (await repo.findTicketByIdempotencyKey(IDS.alice, key))!;
      found.description = 'mutated by the caller';
      found.status = 'closed';
      expect(await repo.findTicketByIdempotencyKey(IDS.alice, key)).toEqual(ticket);
    });

    it('tickets without a key are never deduplicated', async () => {
      const a = await repo.createTicket(newTicket());
      const b = await repo.createTicket(newTicket());
      expect(a.created && b.created).toBe(true);
      expect(await repo.getTicket(a.ticket.id)).not.toBeNull();
      expect(await repo.getTicket(b.ticket.id)).not.toBeNull();
    });

    it("a duplicate ticket id or number throws ConflictError('duplicate_ticket')", async () => {
      await expectRejects(repo.createTicket(newTicket({ id: IDS.seedTicket })), ConflictError, { reason: 'duplicate_ticket' });
      const sameNumber = newTicket({ number: IDS.seedTicketNumber });
      await expectRejects(repo.createTicket(sameNumber), ConflictError, { reason: 'duplicate_ticket' });
      expect(await repo.getTicket(sameNumber.id)).toBeNull();
      expect(await repo.getTicket(IDS.seedTicket)).toEqual(ds.tickets[0]);
    });
  });
}
