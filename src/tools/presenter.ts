// How a profile puts results and errors on the wire. Each legacy contract has its own
// (another module); the default one follows current MCP practice.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ErrorCode } from '../services/errors.js';
import type { ServiceError } from '../services/errors.js';
import type { AnyToolDefinition, ToolAttachment } from './define.js';

export interface ToolFailure {
  code: ErrorCode;
  message: string;
  nextStep: string;
  /** Present for unexpected errors: the id to find the details in the server log. */
  correlationId?: string;
  /** The ServiceError behind an expected failure (absent for unexpected ones). */
  error?: ServiceError;
}

/** Facts about the call itself, for contracts whose envelope reports them. */
export interface CallMeta {
  correlationId: string;
  /** Milliseconds since the call started. */
  elapsedMs: () => number;
}

export interface Presenter {
  /** Whether tools/list advertises output schemas (and results carry structuredContent). */
  structured: boolean;
  /** `attachments`: documents that go with the value (ToolAttachment); a presenter may leave them out of its contract's shape. */
  success(tool: AnyToolDefinition, value: unknown, meta: CallMeta, attachments?: readonly ToolAttachment[]): CallToolResult;
  failure(tool: AnyToolDefinition, failure: ToolFailure, meta: CallMeta): CallToolResult;
}

/**
 * Default presentation: structuredContent matching the output schema plus the same JSON as
 * one text block; failures as isError with a stable code and a next step, and never
 * structuredContent (SDK clients would validate it against the output schema).
 */
export const structuredPresenter: Presenter = {
  structured: true,
  success: (_tool, value, _meta, attachments = []) => ({
    content: [
      { type: 'text', text: JSON.stringify(value) },
      // documents as embedded resources, the way clients expect a file (after the JSON text)
      ...attachments.map((a) => ({ type: 'resource' as const, resource: { uri: a.uri, mimeType: a.mimeType, blob: a.blob } })),
    ],
    structuredContent: value as Record<string, unknown>,
  }),
  failure: (_tool, f) => ({
    isError: true,
    content: [{
      type: 'text',
      text: JSON.stringify({
        error: {
          code: f.code,
          message: f.message,
          next_step: f.nextStep,
          ...(f.correlationId ? { correlation_id: f.correlationId } : {}),
        },
      }),
    }],
  }),
};
