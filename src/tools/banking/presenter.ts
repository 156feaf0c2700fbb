// The banking contract's envelope (seed 002, "Tool Response Schema"), as one JSON text block:
//   success: { success: true, data, toolCallId, executionTime }
//   error:   { success: false, error: { code, message, details? }, toolCallId }   (isError: true)
// toolCallId is the call's correlation id (the one in the server log); executionTime is in ms.
// No structuredContent and no advertised output schema: the contract predates them.
//
// Our ServiceError codes (+ details.entity / state / issues) become the contract's codes, per
// tool where the contract lists tool-specific ones.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

/** Argument fields whose problems have their own code in a tool's contract. */
const FIELD_CODES: Record<string, Record<string, BankingErrorCode>> = {
  create_support_ticket: { type: 'INVALID_TYPE', description: 'MISSING_DESCRIPTION' },
  verify_customer_identity: { method: 'INVALID_METHOD' },
};

/** What an unknown customer is called in each tool's contract. */
const CUSTOMER_NOT_FOUND: Record<string, BankingErrorCode> = {
  create_support_ticket: 'INVALID_CUSTOMER',
};

export const bankingErrorCode = (toolName: string, f: ToolFailure): BankingErrorCode => {
  const details = f.error?.details ?? {};
  switch (f.code) {
    case 'VALIDATION_FAILED': {
      // Invalid or missing arguments; a tool's own code when the contract names the field.
      const fields = FIELD_CODES[toolName] ?? {};
      const hit = (details.issues ?? []).find((i) => fields[i.field] !== undefined);
      return hit ? fields[hit.field]! : 'INVALID_PARAMETERS';
    }
    case 'NOT_FOUND':
      if (details.entity === 'customer') return CUSTOMER_NOT_FOUND[toolName] ?? 'CUSTOMER_NOT_FOUND';
      if (details.entity === 'bank_account') return 'ACCOUNT_NOT_FOUND';
      return 'DATA_NOT_FOUND';
    case 'INVALID_STATE':
      if (details.entity === 'customer' && details.state === 'suspended') return 'CUSTOMER_SUSPENDED';
      if (details.entity === 'customer' && details.state === 'blocked') return 'CUSTOMER_BLOCKED';
      if (details.entity === 'verification') return details.state === 'expired' ? 'AUTH_EXPIRED' : 'AUTH_FAILED';
      return 'INVALID_OPERATION';
    case 'CONFLICT':
      return 'DUPLICATE_ENTRY';
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
