// How the per-aggregate modules run statements: reads and writes on the data connection,
// control-table writes on the control connection, and every driver error mapped to a typed
// repository error. Also the small value helpers they share.
import type { Kysely } from 'kysely';
import type { NewAuditEntry } from '../../domain/index.js';
import { ValidationError } from '../errors.js';
import { insertAudit } from './audit.js';
import { mapDbError, type ErrorContext } from './errors.js';
import type { Database } from './schema.js';

export interface PgContext {
  /** Runs a read; any driver error becomes a typed repository error. */
  read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs a write. With an audit entry the write and the entry commit in one transaction,
   * and the entry is only written when `fn` returns (a thrown error rolls both back).
   * Without one, `fn` runs on the pool: each of its statements is atomic on its own.
   */
  write<T>(ctx: ErrorContext, audit: NewAuditEntry | undefined, fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * A write of several statements that must be one transaction whatever the audit entry
   * (e.g. lock a row, count, insert); the audit entry, when given, commits with it.
   */
  writeTransaction<T>(ctx: ErrorContext, audit: NewAuditEntry | undefined, fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * A write to a control table (audit, verifications, outbox, rate-limit counters): runs on
   * the control connection, which stays writable in read-only mode. Customer data is never
   * written through here.
   */
  controlWrite<T>(ctx: ErrorContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
}

/** `db` for customer data; `control` for the control tables (the same instance unless read-only). */
export function pgContext(db: Kysely<Database>, control: Kysely<Database>): PgContext {
  return {
    async read(fn) {
      try {
        return await fn(db);
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async write(ctx, audit, fn) {
      try {
        if (audit === undefined) return await fn(db);
        return await db.transaction().execute(async (trx) => {
          const result = await fn(trx);
          await insertAudit(trx, [audit]);
          return result;
        });
      } catch (err) {
        throw mapDbError(err, ctx);
      }
    },
    async writeTransaction(ctx, audit, fn) {
      try {
        return await db.transaction().execute(async (trx) => {
          const result = await fn(trx);
          if (audit !== undefined) await insertAudit(trx, [audit]);
          return result;
        });
      } catch (err) {
        throw mapDbError(err, ctx);
      }
    },
    async controlWrite(ctx, fn) {
      try {
        return await fn(control);
      } catch (err) {
        throw mapDbError(err, ctx);
      }
    },
  };
}

/** How often a compare-and-set is retried when a concurrent writer changed the row in between. */
export const CAS_RETRIES = 5;

export const clamp = (value: number | undefined, fallback: number, min: number, max: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)));

export const nowIso = (): string => new Date().toISOString();

export function validDate(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ValidationError(`invalid ${what}: not a valid date`);
  return d;
}

export function parseInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError(`invalid ${what}: expected an ISO-8601 timestamp`);
  return new Date(ms).toISOString();
}
