// The banking contract's envelope (seed 002, "Tool Response Schema"), as one JSON text block:
//   success: { success: true, data, toolCallId, executionTime }
//   error:   { success: false, error: { code, message, details? }, toolCallId }   (isError: true)
// toolCallId is the call's correlation id (the one in the server log); executionTime is in ms.
// No structuredContent and no advertised output schema: the contract predates them.
//
// Our ServiceError codes (+ details.entity / state / issues) become the contract's codes, per
// tool where the contract lists tool-specific ones.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CustomerStatus } from '../../domain/index.js';
import type { CallbackRefusal, CardRefusal, EntityKind, ServiceErrorDetails, VerificationRefusal } from '../../services/errors.js';
import type { AnyToolDefinition } from '../define.js';
import type { Presenter, ToolFailure } from '../presenter.js';

export type BankingErrorCode =
  // tool-specific
  | 'CUSTOMER_NOT_FOUND' | 'INVALID_PARAMETERS' | 'DATABASE_ERROR'
  | 'INVALID_CUSTOMER' | 'INVALID_TYPE' | 'MISSING_DESCRIPTION'
  | 'ACCOUNT_NOT_FOUND' | 'AUTH_REQUIRED' | 'PERMISSION_DENIED'
  | 'INVALID_METHOD' | 'AUTH_FAILED' | 'AUTH_EXPIRED'
  // general
  | 'INTERNAL_ERROR' | 'INVALID_REQUEST' | 'TIMEOUT' | 'RATE_LIMITED' | 'CUSTOMER_SUSPENDED' | 'CUSTOMER_BLOCKED'
  | 'DATA_NOT_FOUND' | 'INVALID_OPERATION' | 'DUPLICATE_ENTRY' | 'VALIDATION_FAILED';

/** The banking contract's tools (index.ts lists their definitions). */
export type BankingToolName = 'lookup_customer' | 'create_support_ticket' | 'check_account_balance' | 'verify_customer_identity'
  | 'check_transaction_history' | 'block_card' | 'unblock_card' | 'transfer_to_agent' | 'update_customer_preferences' | 'schedule_callback';

/** Argument fields whose problems have their own code in a tool's contract. */
const FIELD_CODES: Partial<Record<BankingToolName, Record<string, BankingErrorCode>>> = {
  create_support_ticket: { type: 'INVALID_TYPE', description: 'MISSING_DESCRIPTION' },
  verify_customer_identity: { method: 'INVALID_METHOD' },
};

/** What an unknown customer is called in each tool's contract (default CUSTOMER_NOT_FOUND). */
const CUSTOMER_NOT_FOUND: Partial<Record<BankingToolName, BankingErrorCode>> = {
  create_support_ticket: 'INVALID_CUSTOMER',
};

/** NOT_FOUND per entity; the contract names customers and accounts, everything else is data. */
const NOT_FOUND = {
  customer: 'CUSTOMER_NOT_FOUND',
  bank_account: 'ACCOUNT_NOT_FOUND',
  order: 'DATA_NOT_FOUND',
  subscription: 'DATA_NOT_FOUND',
  billing_account: 'DATA_NOT_FOUND',
  ticket: 'DATA_NOT_FOUND',
  verification: 'DATA_NOT_FOUND',
  outbox_message: 'DATA_NOT_FOUND',
  return: 'DATA_NOT_FOUND',
  statement: 'DATA_NOT_FOUND',
  record: 'DATA_NOT_FOUND',
  card: 'DATA_NOT_FOUND',
  transaction: 'DATA_NOT_FOUND',
  callback: 'DATA_NOT_FOUND',
  handoff: 'DATA_NOT_FOUND',
} as const satisfies Record<EntityKind, BankingErrorCode>;

/** INVALID_STATE per entity and state. */
const invalidState = (d: ServiceErrorDetails): BankingErrorCode => {
  if (d.state === undefined) return 'INVALID_OPERATION';
  switch (d.entity) {
    case 'customer': {
      const byStatus = { suspended: 'CUSTOMER_SUSPENDED', blocked: 'CUSTOMER_BLOCKED', active: 'INVALID_OPERATION' } as const satisfies Record<CustomerStatus, BankingErrorCode>;
      return byStatus[d.state];
    }
    case 'verification': {
      const byState = { expired: 'AUTH_EXPIRED', failed: 'AUTH_FAILED', locked: 'AUTH_FAILED' } as const satisfies Record<VerificationRefusal, BankingErrorCode>;
      return byState[d.state];
    }
    case 'order':
    case 'billing_account':
    case 'return':
      return 'INVALID_OPERATION';
    case 'card': {
      // a replaced card, or a lost/stolen/fraud block a caller cannot lift: not an operation on it
      const byState = { replaced: 'INVALID_OPERATION', lost: 'INVALID_OPERATION', stolen: 'INVALID_OPERATION', suspected_fraud: 'INVALID_OPERATION' } as const satisfies Record<CardRefusal, BankingErrorCode>;
      return byState[d.state];
    }
    case 'callback': {
      const byState = { completed: 'INVALID_OPERATION', no_phone_on_file: 'INVALID_OPERATION' } as const satisfies Record<CallbackRefusal, BankingErrorCode>;
      return byState[d.state];
    }
    default: {
      const unhandled: never = d;
      return unhandled;
    }
  }
};

const BANKING_TOOLS: ReadonlySet<string> = new Set<BankingToolName>([
  'lookup_customer', 'create_support_ticket', 'check_account_balance', 'verify_customer_identity',
  'check_transaction_history', 'block_card', 'unblock_card', 'transfer_to_agent', 'update_customer_preferences', 'schedule_callback',
]);
const isBankingTool = (name: string): name is BankingToolName => BANKING_TOOLS.has(name);

export const bankingErrorCode = (toolName: string, f: ToolFailure): BankingErrorCode => {
  const details: ServiceErrorDetails = f.error?.details ?? {};
  const tool = isBankingTool(toolName) ? toolName : undefined;
  switch (f.code) {
    case 'VALIDATION_FAILED': {
      // Invalid or missing arguments; a tool's own code when the contract names the field.
      const fields = (tool && FIELD_CODES[tool]) ?? {};
      const hit = (details.issues ?? []).find((i) => fields[i.field] !== undefined);
      return hit ? fields[hit.field]! : 'INVALID_PARAMETERS';
    }
    case 'NOT_FOUND':
      if (details.entity === undefined) return 'DATA_NOT_FOUND';
      if (details.entity === 'customer') return (tool && CUSTOMER_NOT_FOUND[tool]) ?? NOT_FOUND.customer;
      return NOT_FOUND[details.entity];
    case 'INVALID_STATE':
      return invalidState(details);
    case 'CONFLICT':
      // the open-callback limit is a rule of the operation, not a duplicate
      return details.reason === 'callback_limit_reached' ? 'INVALID_OPERATION' : 'DUPLICATE_ENTRY';
    case 'AUTH_REQUIRED':
    case 'RATE_LIMITED':
    case 'DATABASE_ERROR':
    case 'INTERNAL_ERROR':
      return f.code;
  }
};

const text = (body: unknown): CallToolResult['content'] => [{ type: 'text', text: JSON.stringify(body) }];

export const bankingPresenter: Presenter = {
  structured: false,
  success: (_tool, value, meta) => ({
    content: text({ success: true, data: value, toolCallId: meta.correlationId, executionTime: meta.elapsedMs() }),
  }),
  failure: (tool: AnyToolDefinition, f, meta) => {
    const issues = f.error?.details.issues;
    const retryAfterSeconds = f.error?.details.retryAfterSeconds;
    return {
      isError: true,
      content: text({
        success: false,
        error: {
          code: bankingErrorCode(tool.name, f),
          message: f.message,
          // The contract leaves details open: what to do next, and what exactly was wrong.
          details: {
            nextStep: f.nextStep,
            ...(issues && issues.length > 0 ? { issues } : {}),
            ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
          },
        },
        toolCallId: meta.correlationId,
      }),
    };
  },
};
