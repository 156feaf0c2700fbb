// Stable error codes every profile presents in its own format. Services throw ServiceError
// for expected failures; anything else is unexpected and becomes INTERNAL_ERROR upstream.
import { RepositoryError } from '../repository/errors.js';

export const ERROR_CODES = [
  'NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'VALIDATION_FAILED', 'AUTH_REQUIRED',
  'RATE_LIMITED', 'DATABASE_ERROR', 'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ServiceErrorDetails {
  /** What was not found / in the wrong state, e.g. 'customer', 'order'. */
  entity?: string;
  /** Lookup key and value as the caller gave them (never another customer's data). */
  key?: string;
  value?: string;
  /** Current state for INVALID_STATE, e.g. 'shipped'. */
  state?: string;
  /** Machine reason for CONFLICT, e.g. 'email_taken'. */
  reason?: string;
  /** Field problems for VALIDATION_FAILED. */
  issues?: { field: string; message: string }[];
  /** Seconds to wait for RATE_LIMITED. */
  retryAfterSeconds?: number;
}

export class ServiceError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details: ServiceErrorDetails = {}) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Translates typed repository errors; returns the input unchanged when it is not one. */
export const fromRepositoryError = (err: unknown): unknown => {
  if (!(err instanceof RepositoryError)) return err;
  switch (err.kind) {
    case 'not_found': {
      const e = err as RepositoryError & { entity: string; id: string };
      return new ServiceError('NOT_FOUND', `No ${e.entity.replace('_', ' ')} with id ${e.id}.`, { entity: e.entity, key: 'id', value: e.id });
    }
    case 'conflict':
      return new ServiceError('CONFLICT', err.message, { reason: (err as RepositoryError & { reason: string }).reason });
    case 'invalid_state': {
      const e = err as RepositoryError & { entity: string; state: string };
      return new ServiceError('INVALID_STATE', err.message, { entity: e.entity, state: e.state });
    }
    case 'validation':
      return new ServiceError('VALIDATION_FAILED', err.message);
    case 'unavailable':
      return new ServiceError('DATABASE_ERROR', 'The support database could not complete the request right now.');
  }
};
