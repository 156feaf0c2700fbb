// The customer part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Customer } from '../../src/domain/index.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { ConflictError, NotFoundError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { ALICE_EMAIL, ALICE_PHONE, ALICE_PHONE_VARIANTS, BOB_PHONE_VARIANTS, IDS } from './dataset.js';
import { expectRecent, expectRejects, expectShape, type ContractSuite } from './kit.js';

export function describeCustomerContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  let ds: Dataset;
  beforeEach(() => {
    ({ repo, ds } = suite.current());
  });

  describe('findCustomer', () => {
    it('finds by id and returns the stored record with exact value types', async () => {
      for (const c of ds.customers) {
        const found = await repo.findCustomer({ by: 'id', value: c.id });
        expectShape(Customer, found, `customer ${c.id}`);
        expect(found).toEqual(c);
      }
    });

    it('finds by email case-insensitively and trimmed, keeping the stored case', async () => {
      for (const value of [ALICE_EMAIL, 'alice.example@example.com', 'ALICE.EXAMPLE@EXAMPLE.COM', '  Alice.Example@example.com\t']) {
        const found = await repo.findCustomer({ by: 'email', value });
        expect(found?.id, `email ${JSON.stringify(value)}`).toBe(IDS.alice);
        expect(found?.email).toBe(ALICE_EMAIL);
      }
    });

    it('finds by phone in several formats through the phone key', async () => {
      for (const value of ALICE_PHONE_VARIANTS) {
        const found = await repo.findCustomer({ by: 'phone', value });
        expect(found?.id, `phone ${JSON.stringify(value)}`).toBe(IDS.alice);
        expect(found?.phone).toBe(ALICE_PHONE);
      }
      for (const value of BOB_PHONE_VARIANTS) {
        expect((await repo.findCustomer({ by: 'phone', value }))?.id, `phone ${JSON.stringify(value)}`).toBe(IDS.bob);
      }
      expect((await repo.findCustomer({ by: 'phone', value: '(415) 555-0199' }))?.id).toBe(IDS.dave);
    });

    it('finds by username and account number exactly', async () => {
      expect((await repo.findCustomer({ by: 'username', value: 'alice' }))?.id).toBe(IDS.alice);
      expect((await repo.findCustomer({ by: 'username', value: 'dave' }))?.id).toBe(IDS.dave);
      expect((await repo.findCustomer({ by: 'account_number', value: 'ACC-1002' }))?.id).toBe(IDS.bob);
      expect(await repo.findCustomer({ by: 'username', value: 'ALICE' })).toBeNull();
      expect(await repo.findCustomer({ by: 'account_number', value: 'acc-1002' })).toBeNull();
    });

    it('returns null when nothing matches, for every key', async () => {
      expect(await repo.findCustomer({ by: 'id', value: IDS.missingCustomer })).toBeNull();
      expect(await repo.findCustomer({ by: 'email', value: 'nobody@example.com' })).toBeNull();
      expect(await repo.findCustomer({ by: 'phone', value: '+1 212 555 0000' })).toBeNull();
      expect(await repo.findCustomer({ by: 'username', value: 'nobody' })).toBeNull();
      expect(await repo.findCustomer({ by: 'account_number', value: 'ACC-9999' })).toBeNull();
    });

    it('a phone with too few digits has no key and matches nobody', async () => {
      expect(await repo.findCustomer({ by: 'phone', value: '555' })).toBeNull();
      expect(await repo.findCustomer({ by: 'phone', value: 'not a phone' })).toBeNull();
      expect(await repo.findCustomer({ by: 'phone', value: '' })).toBeNull();
    });
  });

  describe('updateContact', () => {
    it('stores the email trimmed in its original case and finds it case-insensitively', async () => {
      const before = Date.now();
      const updated = await repo.updateContact(IDS.alice, { email: '  New.Alice@Example.COM ' });
      expectShape(Customer, updated, 'updated customer');
      expect(updated.email).toBe('New.Alice@Example.COM');
      expect(updated.phone).toBe(ALICE_PHONE);
      expectRecent(updated.updated_at, before, 'updated_at');
      expect(updated.created_at).toBe(ds.customers[0]!.created_at);

      const reread = await repo.findCustomer({ by: 'id', value: IDS.alice });
      expect(reread).toEqual(updated);
      expect((await repo.findCustomer({ by: 'email', value: 'new.alice@example.com' }))?.id).toBe(IDS.alice);
      expect(await repo.findCustomer({ by: 'email', value: ALICE_EMAIL })).toBeNull();
    });

    it('stores the phone as given and matches it through its key', async () => {
      const updated = await repo.updateContact(IDS.alice, { phone: '(650) 555-0123' });
      expect(updated.phone).toBe('(650) 555-0123');
      expect(updated.email).toBe(ALICE_EMAIL);
      expect((await repo.findCustomer({ by: 'phone', value: '+1 650 555 0123' }))?.id).toBe(IDS.alice);
      expect(await repo.findCustomer({ by: 'phone', value: ALICE_PHONE })).toBeNull();
    });

    it('sets a phone on a customer that had none', async () => {
      const updated = await repo.updateContact(IDS.carol, { phone: '+49 30 1234567' });
      expect(updated.phone).toBe('+49 30 1234567');
      expect((await repo.findCustomer({ by: 'phone', value: '49301234567' }))?.id).toBe(IDS.carol);
    });

    it('updates email and phone together', async () => {
      const updated = await repo.updateContact(IDS.bob, { email: 'robert@example.com', phone: '+1 212 555 0100' });
      expect(updated).toMatchObject({ email: 'robert@example.com', phone: '+1 212 555 0100' });
      expect((await repo.findCustomer({ by: 'email', value: 'ROBERT@example.com' }))?.id).toBe(IDS.bob);
      expect((await repo.findCustomer({ by: 'phone', value: '2125550100' }))?.id).toBe(IDS.bob);
    });

    it("accepts the customer's own current email (any case) and phone (any format)", async () => {
      const a = await repo.updateContact(IDS.alice, { email: 'ALICE.example@example.com' });
      expect(a.email).toBe('ALICE.example@example.com');
      const b = await repo.updateContact(IDS.alice, { phone: '415 555 0101' });
      expect(b.phone).toBe('415 555 0101');
    });

    it("rejects another customer's email (case-insensitive) with ConflictError('email_taken')", async () => {
      await expectRejects(repo.updateContact(IDS.alice, { email: ' BOB@Example.com ' }), ConflictError, {
        reason: 'email_taken', message: 'Email already in use by another customer',
      });
      expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
    });

    it("rejects another customer's phone (any format) with ConflictError('phone_taken')", async () => {
      await expectRejects(repo.updateContact(IDS.alice, { phone: '+44 (20) 7946-0958' }), ConflictError, {
        reason: 'phone_taken', message: 'Phone already in use by another customer',
      });
      expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
    });

    it('is atomic: a conflicting phone leaves the email unchanged too', async () => {
      await expectRejects(repo.updateContact(IDS.alice, { email: 'fresh@example.com', phone: '442079460958' }), ConflictError, {
        reason: 'phone_taken',
      });
      expect(await repo.findCustomer({ by: 'id', value: IDS.alice })).toEqual(ds.customers[0]);
      expect(await repo.findCustomer({ by: 'email', value: 'fresh@example.com' })).toBeNull();
    });

    it("throws NotFoundError('customer', id) for an unknown customer", async () => {
      await expectRejects(repo.updateContact(IDS.missingCustomer, { email: 'x@example.com' }), NotFoundError, {
        entity: 'customer', id: IDS.missingCustomer,
      });
    });
  });
}
