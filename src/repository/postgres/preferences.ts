// Customer preferences over Postgres: one upsert of the given fields.
import { sql } from 'kysely';
import { DEFAULT_PREFERENCES, Preferences, type PreferencesPatch } from '../../domain/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { CustomerRepository } from '../types.js';
import { nowIso, type PgContext } from './context.js';
import { toPreferences } from './mappers.js';

const PATCH_KEYS = ['contact_channel', 'language', 'marketing_opt_in', 'timezone'] as const;

export function postgresPreferences({ read, write }: PgContext): Pick<CustomerRepository, 'getPreferences' | 'updatePreferences'> {
  return {
    async getPreferences(customerId) {
      return read(async (db) => {
        const row = await db.selectFrom('customers')
          .leftJoin('customer_preferences as p', 'p.customer_id', 'customers.id')
          .select(['customers.id as id', 'p.contact_channel', 'p.language', 'p.marketing_opt_in', 'p.timezone', 'p.updated_at'])
          .where('customers.id', '=', customerId).executeTakeFirst();
        if (!row) return null;
        if (row.updated_at === null) return { customer_id: customerId, ...DEFAULT_PREFERENCES };
        return toPreferences({ customer_id: row.id, contact_channel: row.contact_channel!, language: row.language!, marketing_opt_in: row.marketing_opt_in!, timezone: row.timezone!, updated_at: row.updated_at });
      });
    },

    async updatePreferences(customerId, patch: PreferencesPatch, opts) {
      const now = nowIso();
      const set: Record<string, unknown> = {};
      for (const k of PATCH_KEYS) if (patch[k] !== undefined) set[k] = patch[k];
      // the same rules the fixtures check (the table's CHECKs cannot know time zones)
      const check = Preferences.partial().safeParse(set);
      if (!check.success) throw new ValidationError('invalid preferences');
      const values = { customer_id: customerId, ...DEFAULT_PREFERENCES, ...set, updated_at: now };
      return write({ notFound: ['customer', customerId] }, opts?.audit, async (db) => {
        const row = await db.insertInto('customer_preferences').values(values as never)
          .onConflict((oc) => oc.column('customer_id').doUpdateSet({
            ...Object.fromEntries(Object.keys(set).map((k) => [k, sql.ref(`excluded.${k}`)])),
            updated_at: sql.ref('excluded.updated_at'),
          } as never))
          .returningAll().executeTakeFirst();
        if (!row) throw new NotFoundError('customer', customerId);
        return toPreferences(row);
      });
    },
  };
}
