// Typed repository errors. Backends translate driver errors (SQLSTATE) into these so
// no caller ever sees SQL text or a driver message.
export type RepositoryErrorKind = 'not_found' | 'conflict' | 'invalid_state' | 'validation' | 'unavailable';

export abstract class RepositoryError extends Error {
  abstract readonly kind: RepositoryErrorKind;
}

export class NotFoundError extends RepositoryError {
  readonly kind = 'not_found' as const;
  constructor(readonly entity: string, readonly id: string) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends RepositoryError {
  readonly kind = 'conflict' as const;
  /** Which rule was hit, e.g. 'email_taken', 'idempotency_key_reused'. */
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class InvalidStateError extends RepositoryError {
  readonly kind = 'invalid_state' as const;
  constructor(readonly entity: string, readonly id: string, readonly state: string, message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}

/** Input that violates a database rule (CHECK, type); callers should have validated earlier. */
export class ValidationError extends RepositoryError {
  readonly kind = 'validation' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The store cannot be reached or failed; the original error is kept for the log only. */
export class UnavailableError extends RepositoryError {
  readonly kind = 'unavailable' as const;
  constructor(override readonly cause: unknown) {
    super('the data store is unavailable');
    this.name = 'UnavailableError';
  }
}

/**
 * A write reached a read-only session (--read-only): the database itself refused it. Still an
 * 'unavailable' kind for callers (services answer DATABASE_ERROR); the distinct class lets
 * tests and logs tell a refused write from an outage.
 */
export class ReadOnlyError extends UnavailableError {
  constructor(cause: unknown) {
    super(cause);
    this.name = 'ReadOnlyError';
    this.message = 'the data store is read-only: writes are refused';
  }
}
