// Results and errors of the blackbird contract: one text block holding the contract's JSON,
// no structuredContent (see index.ts). Errors keep the contract's bodies verbatim and are
// flagged isError, as the fastapi-demo bot flags any result with an "error" key.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Presenter, ToolFailure } from '../presenter.js';
import { presentStatus } from './schemas.js';

export const SHIPPED_ERROR = "Order has already shipped. Can't cancel it.";
export const ALREADY_CANCELLED_ERROR = 'Order has already been cancelled';
export const ORDER_NOT_FOUND = 'Order not found';

const CONFLICTS: Record<string, string> = {
  email_taken: 'Email already in use by another customer',
  phone_taken: 'Phone already in use by another customer',
};

const text = (body: unknown, isError: boolean): CallToolResult => ({
  ...(isError ? { isError: true } : {}),
  content: [{ type: 'text', text: JSON.stringify(body) }],
});

/** The contract's error object for a failure. */
export const errorBody = (f: ToolFailure): Record<string, unknown> => {
  const d = f.error?.details ?? {};
  switch (f.code) {
    case 'VALIDATION_FAILED':
      return {
        error: 'Validation failed',
        details: d.issues && d.issues.length > 0 ? d.issues : [{ field: '(arguments)', message: f.message }],
      };
    case 'NOT_FOUND':
      if (d.entity === 'order') return { error: ORDER_NOT_FOUND };
      if (d.entity === 'customer' && d.key !== undefined && d.value !== undefined) {
        return { error: `Couldn't find a user with ${d.key} of ${d.value}` };
      }
      return { error: f.message };
    case 'INVALID_STATE':
      if (d.entity === 'order' && d.state !== undefined) {
        return { error: d.state === 'cancelled' ? ALREADY_CANCELLED_ERROR : SHIPPED_ERROR, status: presentStatus(d.state) };
      }
      return { error: f.message };
    case 'CONFLICT':
      return { error: (d.reason !== undefined ? CONFLICTS[d.reason] : undefined) ?? f.message };
    case 'INTERNAL_ERROR':
      return f.correlationId ? { error: f.message, details: { correlation_id: f.correlationId } } : { error: f.message };
    default:
      return { error: f.message };
  }
};

export const blackbirdPresenter: Presenter = {
  structured: false,
  success: (_tool, value) => text(value, false),
  failure: (_tool, f) => text(errorBody(f), true),
};
