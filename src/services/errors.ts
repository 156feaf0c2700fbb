// Stable error codes every profile presents in its own format. Services throw ServiceError
// for expected failures; anything else is unexpected and becomes INTERNAL_ERROR upstream.
//
// The details are typed unions, not free strings: what was not found (EntityKind), which rule
// a conflict broke (ConflictReason) and which state refused an operation (InvalidState, per
// entity). Presenters map them exhaustively, so a new kind is a compile error in every
// presenter instead of silently falling into a generic code.
import { z } from 'zod';
import { CustomerStatus, OrderStatus } from '../domain/index.js';
import { RepositoryError, type ConflictError, type InvalidStateError, type NotFoundError } from '../repository/errors.js';

export const ERROR_CODES = [
  'NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'VALIDATION_FAILED', 'AUTH_REQUIRED',
  'RATE_LIMITED', 'DATABASE_ERROR', 'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What was not found or is in the wrong state. `record`: a stored row the store could not name. */
export const EntityKind = z.enum([
  'customer', 'order', 'subscription', 'billing_account', 'bank_account', 'ticket', 'verification', 'outbox_message',
  'return', 'statement', 'record', 'card', 'transaction', 'callback', 'handoff',
]);
export type EntityKind = z.infer<typeof EntityKind>;

/**
 * Which rule a CONFLICT broke. Taken values are per unique field; every other duplicate (a
 * record id used twice) is `duplicate_record`.
 */
export const ConflictReason = z.enum([
  'email_taken', 'phone_taken', 'username_taken', 'account_number_taken', 'idempotency_key_reused', 'duplicate_record',
  /** A return asked for more units than were bought minus those already returned. */
  'return_quantity_exceeded',
  'callback_limit_reached',
]);
export type ConflictReason = z.infer<typeof ConflictReason>;

/** Why a verification refuses to unlock anything (banking presents these as AUTH_FAILED / AUTH_EXPIRED). */
export const VerificationRefusal = z.enum(['failed', 'locked', 'expired']);
export type VerificationRefusal = z.infer<typeof VerificationRefusal>;

/**
 * Why a card refuses a change: replaced (it is gone for good), or the reason of a block that
 * cannot be lifted (only a temporary block can).
 */
export const CardRefusal = z.enum(['replaced', 'lost', 'stolen', 'suspected_fraud']);
export type CardRefusal = z.infer<typeof CardRefusal>;

/** Why a callback cannot be scheduled or changed. */
export const CallbackRefusal = z.enum(['completed', 'no_phone_on_file']);
export type CallbackRefusal = z.infer<typeof CallbackRefusal>;

/** INVALID_STATE: the entity and its state, typed per entity. */
export type InvalidState =
  | { entity: 'order'; state: OrderStatus }
  | { entity: 'customer'; state: CustomerStatus }
  | { entity: 'verification'; state: VerificationRefusal }
  /** Autopay needs a payment method on file. */
  | { entity: 'billing_account'; state: BillingAccountState }
  /** The order's return window has closed. */
  | { entity: 'return'; state: ReturnRefusal }
  | { entity: 'card'; state: CardRefusal }
  | { entity: 'callback'; state: CallbackRefusal };

export const BillingAccountState = z.enum(['no_payment_method']);
export type BillingAccountState = z.infer<typeof BillingAccountState>;
export const ReturnRefusal = z.enum(['window_closed']);
export type ReturnRefusal = z.infer<typeof ReturnRefusal>;
/** Every state an INVALID_STATE can report. */
export type InvalidStateKind = InvalidState['state'];

export interface ValidationIssue {
  field: string;
  message: string;
}

interface CommonDetails {
  /** Lookup key and value as the caller gave them (never another customer's data). */
  key?: string;
  value?: string;
  /** Machine reason for CONFLICT. */
  reason?: ConflictReason;
  /** Field problems for VALIDATION_FAILED. */
  issues?: ValidationIssue[];
  /** Seconds to wait for RATE_LIMITED. */
  retryAfterSeconds?: number;
}

export type ServiceErrorDetails = CommonDetails & (
  /** What was not found (NOT_FOUND) or is being refused (AUTH_REQUIRED), without a state. */
  | { entity?: EntityKind; state?: undefined }
  /** The entity in the wrong state (INVALID_STATE). */
  | InvalidState
);

export class ServiceError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details: ServiceErrorDetails = {}) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** VALIDATION_FAILED on one field: `text` for the caller, `issue` for the issue list. */
export const invalidField = (field: string, text: string, issue: string = text): ServiceError =>
  new ServiceError('VALIDATION_FAILED', text, { issues: [{ field, message: issue }] });

/** A repository entity name as an EntityKind (`record` when it is not one of ours). */
export const entityKind = (entity: string): EntityKind => {
  const kind = EntityKind.safeParse(entity);
  return kind.success ? kind.data : 'record';
};

/** A repository conflict reason as a ConflictReason (`duplicate_record` for duplicate ids). */
export const conflictReason = (reason: string): ConflictReason => {
  const known = ConflictReason.safeParse(reason);
  return known.success ? known.data : 'duplicate_record';
};

const invalidState = (e: InvalidStateError): ServiceError => {
  const order = e.entity === 'order' ? OrderStatus.safeParse(e.state) : null;
  if (order?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'order', state: order.data });
  const customer = e.entity === 'customer' ? CustomerStatus.safeParse(e.state) : null;
  if (customer?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'customer', state: customer.data });
  const account = e.entity === 'billing_account' ? BillingAccountState.safeParse(e.state) : null;
  if (account?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'billing_account', state: account.data });
  const ret = e.entity === 'return' ? ReturnRefusal.safeParse(e.state) : null;
  if (ret?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'return', state: ret.data });
  const card = e.entity === 'card' ? CardRefusal.safeParse(e.state) : null;
  if (card?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'card', key: 'id', value: e.id, state: card.data });
  const callback = e.entity === 'callback' ? CallbackRefusal.safeParse(e.state) : null;
  if (callback?.success) return new ServiceError('INVALID_STATE', e.message, { entity: 'callback', key: 'id', value: e.id, state: callback.data });
  // A state this layer does not know: the entity only (presenters fall back to the message).
  return new ServiceError('INVALID_STATE', e.message, { entity: entityKind(e.entity) });
};

/** Translates typed repository errors; returns the input unchanged when it is not one. */
export const fromRepositoryError = (err: unknown): unknown => {
  if (!(err instanceof RepositoryError)) return err;
  switch (err.kind) {
    case 'not_found': {
      const e = err as NotFoundError;
      return new ServiceError('NOT_FOUND', `No ${e.entity.replace('_', ' ')} with id ${e.id}.`, { entity: entityKind(e.entity), key: 'id', value: e.id });
    }
    case 'conflict':
      return new ServiceError('CONFLICT', err.message, { reason: conflictReason((err as ConflictError).reason) });
    case 'invalid_state':
      return invalidState(err as InvalidStateError);
    case 'validation':
      return new ServiceError('VALIDATION_FAILED', err.message);
    case 'unavailable':
      return new ServiceError('DATABASE_ERROR', 'The support database could not complete the request right now.');
  }
};
