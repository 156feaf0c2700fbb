// The customer-preferences part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { Preferences } from '../../src/domain/index.js';
import { NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { IDS } from './dataset.js';
import { auditEntriesFor, auditEntry, expectRecent, expectRejects, expectShape, uid, type ContractSuite } from './kit.js';

export function describePreferencesContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

  describe('preferences', () => {
    it('getPreferences: the stored row, the defaults without one, null for an unknown customer', async () => {
      const alice = await repo.getPreferences(IDS.alice);
      expectShape(Preferences, alice, 'preferences');
      expect(alice).toEqual({ customer_id: IDS.alice, contact_channel: 'sms', language: 'en-US', marketing_opt_in: true, timezone: 'America/New_York', updated_at: '2024-10-01T00:00:00.000Z' });
      expect(await repo.getPreferences(IDS.bob)).toEqual({ customer_id: IDS.bob, contact_channel: 'email', language: 'en', marketing_opt_in: false, timezone: 'UTC', updated_at: null });
      expect(await repo.getPreferences(IDS.missingCustomer)).toBeNull();
    });

    it('updatePreferences sets only the given fields (insert from the defaults, then update), with its audit entry', async () => {
      const since = Date.now();
      const conv = uid('conv');
      const first = await repo.updatePreferences(IDS.bob, { timezone: 'Europe/Berlin' }, { audit: auditEntry(conv, 'update_preferences', IDS.bob) });
      expect(first).toMatchObject({ customer_id: IDS.bob, contact_channel: 'email', language: 'en', marketing_opt_in: false, timezone: 'Europe/Berlin' });
      expectRecent(first.updated_at, since, 'updated_at');
      const second = await repo.updatePreferences(IDS.bob, { marketing_opt_in: true, language: 'de' });
      expect(second).toMatchObject({ timezone: 'Europe/Berlin', marketing_opt_in: true, language: 'de', contact_channel: 'email' });
      expect(await repo.getPreferences(IDS.bob)).toEqual(second);
      const alice = await repo.updatePreferences(IDS.alice, { contact_channel: 'phone' });
      expect(alice).toMatchObject({ contact_channel: 'phone', language: 'en-US', timezone: 'America/New_York', marketing_opt_in: true });
      expect((await auditEntriesFor(repo, conv)).map((e) => e.tool)).toEqual(['update_preferences']);
    });

    it('refuses an unknown customer (NotFoundError) and invalid values (ValidationError); nothing changes', async () => {
      await expectRejects(repo.updatePreferences(IDS.missingCustomer, { language: 'fr' }), NotFoundError, { entity: 'customer' });
      await expectRejects(repo.updatePreferences(IDS.alice, { contact_channel: 'pigeon' as never }), ValidationError);
      await expectRejects(repo.updatePreferences(IDS.alice, { language: 'English' }), ValidationError);
      await expectRejects(repo.updatePreferences(IDS.alice, { timezone: 'Mars/Olympus' }), ValidationError);
      expect((await repo.getPreferences(IDS.alice))?.contact_channel).toBe('sms');
    });
  });
}
