// Customers over Postgres: lookups by every unique key, and the contact update whose
// uniqueness the database decides.
import { sql } from 'kysely';
import { phoneKey, type Customer } from '../../domain/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { CustomerRepository } from '../types.js';
import { nowIso, type PgContext } from './context.js';
import { toCustomer } from './mappers.js';
import { KeyedBatch } from './batch.js';

const CUSTOMER_COLUMNS = [
  'id', 'name', 'email', 'phone', 'phone_key', 'username', 'account_number', 'tier', 'risk_level', 'kyc_status',
  'status', 'date_of_birth', 'postcode', 'created_at', 'updated_at',
] as const;

export function postgresCustomers({ read, write }: PgContext): Omit<CustomerRepository, 'getPreferences' | 'updatePreferences'> {
  // by id, the common look-up: concurrent ones share a statement (batch.ts)
  const byId = new KeyedBatch<Customer>((ids) => read(async (db) => {
    const rows = await db.selectFrom('customers').select(CUSTOMER_COLUMNS).where('id', '=', sql<string>`any(${ids}::text[])`).execute();
    return new Map(rows.map((r) => [r.id, toCustomer(r)]));
  }));
  return {
    async findCustomer(lookup) {
      if (lookup.by === 'id') return byId.load(lookup.value);
      return read(async (db) => {
        let q = db.selectFrom('customers').select(CUSTOMER_COLUMNS);
        switch (lookup.by) {
          case 'email':
            // same expression as the unique index customers_email_lower_key
            q = q.where(sql`lower(email)`, '=', sql`lower(${lookup.value.trim()})`);
            break;
          case 'phone': {
            const key = phoneKey(lookup.value);
            if (key === null) return null;
            q = q.where('phone_key', '=', key);
            break;
          }
          case 'username':
            q = q.where('username', '=', lookup.value);
            break;
          case 'account_number':
            q = q.where('account_number', '=', lookup.value);
            break;
          default:
            throw new ValidationError('unknown customer lookup key');
        }
        const row = await q.executeTakeFirst();
        return row ? toCustomer(row) : null;
      });
    },

    async updateContact(customerId, patch, opts) {
      const set: { email?: string; phone?: string; phone_key?: string | null; updated_at: string } = { updated_at: nowIso() };
      if (patch.email !== undefined) set.email = patch.email.trim();
      if (patch.phone !== undefined) {
        set.phone = patch.phone;
        set.phone_key = phoneKey(patch.phone);
      }
      return write({ notFound: ['customer', customerId] }, opts?.audit, async (db) => {
        // The unique indexes on lower(email) and phone_key decide 'email_taken'/'phone_taken'
        // atomically (23505 → ConflictError); the customer's own current values never collide.
        const row = await db.updateTable('customers').set(set).where('id', '=', customerId)
          .returning(CUSTOMER_COLUMNS).executeTakeFirst();
        if (!row) throw new NotFoundError('customer', customerId);
        return toCustomer(row);
      });
    },
  };
}
