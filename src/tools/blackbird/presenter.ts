// Results and errors of the blackbird contract: one text block holding the contract's JSON,
// no structuredContent (see index.ts). Errors keep the contract's bodies verbatim and are
// flagged isError, as the fastapi-demo bot flags any result with an "error" key.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { OrderStatus } from '../../domain/index.js';
import type { ConflictReason, EntityKind, ServiceErrorDetails } from '../../services/errors.js';
import type { Presenter, ToolFailure } from '../presenter.js';
import { presentStatus } from './schemas.js';

export const SHIPPED_ERROR = "Order has already shipped. Can't cancel it.";
export const ALREADY_CANCELLED_ERROR = 'Order has already been cancelled';
export const ORDER_NOT_FOUND = 'Order not found';

/** The contract's sentence per conflict; null: the service's message. */
const CONFLICTS = {
  email_taken: 'Email already in use by another customer',
  phone_taken: 'Phone already in use by another customer',
  username_taken: null,
  account_number_taken: null,
  idempotency_key_reused: null,
  duplicate_record: null,
  return_quantity_exceeded: null,
  callback_limit_reached: null,
} as const satisfies Record<ConflictReason, string | null>;

/** Why an order in this state cannot be cancelled (processing and pending ones are never refused). */
const CANCEL_REFUSAL = {
  cancelled: ALREADY_CANCELLED_ERROR,
  shipped: SHIPPED_ERROR,
  delivered: SHIPPED_ERROR,
  processing: SHIPPED_ERROR,
  pending: SHIPPED_ERROR,
} as const satisfies Record<OrderStatus, string>;

/** Lookup keys in the contract's argument names (a customer id is its user_id). */
const keyName = (key: string): string => (key === 'id' ? 'user_id' : key);

const notFound = (f: ToolFailure, d: ServiceErrorDetails, entity: EntityKind | undefined): Record<string, unknown> => {
  switch (entity) {
    case 'order':
      return { error: ORDER_NOT_FOUND };
    case 'customer':
      return d.key !== undefined && d.value !== undefined
        ? { error: `Couldn't find a user with ${keyName(d.key)} of ${d.value}` }
        : { error: f.message };
    case 'subscription':
    case 'billing_account':
    case 'bank_account':
    case 'ticket':
    case 'verification':
    case 'outbox_message':
    case 'return':
    case 'statement':
    case 'record':
    case 'card':
    case 'transaction':
    case 'callback':
    case 'handoff':
    case undefined:
      return { error: f.message };
    default: {
      const unhandled: never = entity;
      return unhandled;
    }
  }
};

const text = (body: unknown, isError: boolean): CallToolResult => ({
  ...(isError ? { isError: true } : {}),
  content: [{ type: 'text', text: JSON.stringify(body) }],
});

/** The contract's error object for a failure. */
export const errorBody = (f: ToolFailure): Record<string, unknown> => {
  const d: ServiceErrorDetails = f.error?.details ?? {};
  switch (f.code) {
    case 'VALIDATION_FAILED':
      return {
        error: 'Validation failed',
        details: d.issues && d.issues.length > 0 ? d.issues : [{ field: '(arguments)', message: f.message }],
      };
    case 'NOT_FOUND':
      return notFound(f, d, d.entity);
    case 'INVALID_STATE':
      if (d.entity === 'order' && d.state !== undefined) {
        return { error: CANCEL_REFUSAL[d.state], status: presentStatus(d.state) };
      }
      return { error: f.message };
    case 'CONFLICT':
      return { error: (d.reason !== undefined ? CONFLICTS[d.reason] : null) ?? f.message };
    case 'INTERNAL_ERROR':
      return f.correlationId ? { error: f.message, details: { correlation_id: f.correlationId } } : { error: f.message };
    case 'AUTH_REQUIRED':
    case 'RATE_LIMITED':
    case 'DATABASE_ERROR':
      return { error: f.message };
  }
};

export const blackbirdPresenter: Presenter = {
  structured: false,
  success: (_tool, value) => text(value, false),
  failure: (_tool, f) => text(errorBody(f), true),
};
