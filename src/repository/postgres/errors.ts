// The one place where driver errors become typed repository errors. Messages are written
// here, never copied from the driver, so no SQL text, parameter or server detail leaks.
import {
  ConflictError, NotFoundError, ReadOnlyError, RepositoryError, UnavailableError, ValidationError,
} from '../errors.js';

/** What the calling method knows, to name the missing entity of a foreign-key violation. */
export interface ErrorContext {
  /** [entity, id] to report when a referenced row is missing (SQLSTATE 23503). */
  notFound?: readonly [entity: string, id: string];
}

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  message?: unknown;
}

/** Unique indexes/constraints → the rule a caller broke. */
const UNIQUE_RULES: Record<string, [reason: string, message: string]> = {
  customers_pkey: ['duplicate_customer', 'A customer with this id already exists'],
  customers_email_lower_key: ['email_taken', 'Email already in use by another customer'],
  customers_phone_key_key: ['phone_taken', 'Phone already in use by another customer'],
  customers_username_key: ['username_taken', 'Username already in use by another customer'],
  customers_account_number_key: ['account_number_taken', 'Account number already in use by another customer'],
  orders_pkey: ['duplicate_order', 'An order with this id already exists'],
  order_items_pkey: ['duplicate_order_item', 'An order line with this number already exists'],
  subscriptions_pkey: ['duplicate_subscription', 'A subscription with this id already exists'],
  billing_accounts_pkey: ['duplicate_billing_account', 'This customer already has a billing account'],
  payments_pkey: ['duplicate_payment', 'A payment with this id already exists'],
  bank_accounts_pkey: ['duplicate_bank_account', 'A bank account with this id already exists'],
  bank_accounts_customer_type_key: ['duplicate_bank_account', 'This customer already has an account of this type'],
  tickets_pkey: ['duplicate_ticket', 'A ticket with this id or number already exists'],
  tickets_number_key: ['duplicate_ticket', 'A ticket with this id or number already exists'],
  tickets_customer_idempotency_key: [
    'idempotency_key_reused', 'This idempotency key was already used for a different ticket request',
  ],
  verifications_pkey: ['duplicate_verification', 'A verification with this id already exists'],
  outbox_pkey: ['duplicate_outbox_message', 'An outbox message with this id already exists'],
};

/** Referenced table → entity name used in NotFoundError. */
const ENTITY_OF_TABLE: Record<string, string> = {
  customers: 'customer',
  orders: 'order',
};

/** Foreign-key constraint → the referenced table (pg reports the referencing table). */
const FK_TARGET: Record<string, string> = {
  order_items_order_id_fkey: 'orders',
};

/** Codes meaning the store could not be reached or refused to work right now. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/**
 * True when an error (raw, or the cause of an UnavailableError) means the server could not
 * be reached or is shutting down / overloaded, as opposed to a failed statement.
 */
export function isConnectionFailure(err: unknown): boolean {
  const e = err instanceof UnavailableError ? err.cause : err;
  if (typeof e !== 'object' || e === null) return false;
  const code = typeof (e as DriverError).code === 'string' ? ((e as DriverError).code as string) : '';
  if (code.startsWith('08') || CONNECTION_CODES.has(code)) return true;
  const message = typeof (e as DriverError).message === 'string' ? ((e as DriverError).message as string) : '';
  return /timeout exceeded when trying to connect|connection terminated|cannot use a pool after calling end|driver has already been destroyed|query read timeout/i.test(message);
}

const isDriverError = (err: unknown): err is DriverError => typeof err === 'object' && err !== null;

/** Maps any error thrown by pg/Kysely to a RepositoryError (typed errors pass through). */
export function mapDbError(err: unknown, ctx: ErrorContext = {}): RepositoryError {
  if (err instanceof RepositoryError) return err;
  if (!isDriverError(err)) return new UnavailableError(err);
  const code = typeof err.code === 'string' ? err.code : '';
  const constraint = typeof err.constraint === 'string' ? err.constraint : '';

  if (code === '23505') {
    const rule = UNIQUE_RULES[constraint];
    return rule
      ? new ConflictError(rule[0], rule[1])
      : new ConflictError('duplicate', 'A record with the same unique value already exists');
  }
  if (code === '23503') {
    if (ctx.notFound) return new NotFoundError(ctx.notFound[0], ctx.notFound[1]);
    const table = FK_TARGET[constraint] ?? 'customers';
    return new NotFoundError(ENTITY_OF_TABLE[table] ?? 'record', 'referenced');
  }
  if (code === '23514') {
    return new ValidationError(`value breaks the data rule ${constraint || '(check)'}`);
  }
  if (code === '23502') return new ValidationError('a required value is missing');
  if (code === '22001') return new ValidationError('a value is too long');
  if (code === '22003') return new ValidationError('a number is out of range');
  if (code.startsWith('22')) return new ValidationError('a value has an invalid format');
  if (code === '25006') return new ReadOnlyError(err); // read_only_sql_transaction (--read-only)
  // Connection failures (ECONNREFUSED, 08xxx, 57P01, pool timeout, a destroyed pool; see
  // isConnectionFailure), statement timeouts (57014), serialization failures and deadlocks (40001/40P01), and anything else the
  // server or driver failed with that we did not anticipate: the store is unavailable. The original stays in `cause` for the log only.
  return new UnavailableError(err);
}
