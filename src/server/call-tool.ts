// The one place where a tool call becomes a result: argument normalisation and validation,
// the handler, output validation, and the error policy. Expected failures (ServiceError)
// become actionable results; anything else becomes a generic INTERNAL_ERROR with a
// correlation id, its details only in the log.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { redactArgs } from '../domain/masking.js';
import { idFingerprint, type Principal } from '../domain/principal.js';
import type { Logger } from '../logging/logger.js';
import { telemetry } from '../logging/telemetry.js';
import { ServiceError, type ErrorCode } from '../services/errors.js';
import type { CallServices, ServiceHub } from '../services/hub.js';
import { splitAttachments, type AnyToolDefinition } from '../tools/define.js';
import type { Presenter, ToolFailure } from '../tools/presenter.js';

export interface CallDeps {
  hub: ServiceHub;
  logger: Logger;
  /** Log tool arguments (redacted) with each call; off by default. */
  logToolArgs?: boolean;
}

const DEFAULT_NEXT_STEPS: Record<ErrorCode, string> = {
  NOT_FOUND: 'Check the identifier with the customer and try again.',
  INVALID_STATE: 'Explain to the customer why this is not possible now; offer an alternative or create a ticket.',
  CONFLICT: 'Ask the customer for a different value.',
  VALIDATION_FAILED: 'Fix the arguments listed in the message and call the tool again.',
  AUTH_REQUIRED: 'Verify the customer\'s identity first, then call the tool again.',
  RATE_LIMITED: 'Wait for the time given, then try again; do not retry in a loop.',
  DATABASE_ERROR: 'Tell the customer there is a temporary problem and try again in a moment.',
  INTERNAL_ERROR: 'Try again once; if it fails again, tell the customer there is a technical problem and give them the reference.',
};

// Optional arguments sent as "" or null (OpenAI strict mode sends every property) mean
// "not given". Computed once per tool.
const optionalKeysCache = new WeakMap<AnyToolDefinition, Set<string>>();
const optionalKeys = (tool: AnyToolDefinition): Set<string> => {
  let keys = optionalKeysCache.get(tool);
  if (!keys) {
    const shape = (tool.input as z.ZodObject).shape as Record<string, z.ZodType>;
    keys = new Set(Object.entries(shape).filter(([, s]) => s.safeParse(undefined).success).map(([k]) => k));
    optionalKeysCache.set(tool, keys);
  }
  return keys;
};

export const normalizeArgs = (tool: AnyToolDefinition, raw: unknown): unknown => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw ?? {};
  const optional = optionalKeys(tool);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if ((v === '' || v === null) && optional.has(k)) continue;
    out[k] = v;
  }
  return out;
};

/** Array elements + object members allowed in one call's arguments (DoS guard). */
export const MAX_INPUT_ELEMENTS = 2000;

// Counts array elements and object members, stopping past `max` (no recursion: deep nesting
// cannot overflow the stack). The SDK has the same guard (maxToolInputElements), but its
// refusal is a bare protocol-level message in no profile's format; ours is VALIDATION_FAILED
// in the tool's own error shape. The SDK's stays on as a higher backstop (create-server.ts).
const countElements = (value: unknown, max: number): number => {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    count += children.length;
    if (count > max) return count;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push(child);
  }
  return count;
};

const validationFailure = (tool: AnyToolDefinition, error: z.ZodError): ToolFailure => {
  const issues = error.issues.map((i) => ({ field: i.path.join('.') || '(arguments)', message: i.message }));
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  const err = new ServiceError('VALIDATION_FAILED', `Invalid arguments for ${tool.name}: ${summary}.`, { issues });
  return { code: err.code, message: err.message, nextStep: tool.nextSteps?.VALIDATION_FAILED ?? DEFAULT_NEXT_STEPS.VALIDATION_FAILED, error: err };
};

// A stdio process or a session logs the same conversation on every call: hash it once.
let lastConversation = '';
let lastFingerprint = idFingerprint('');
const conversationFingerprint = (id: string): string => {
  if (id !== lastConversation) {
    lastConversation = id;
    lastFingerprint = idFingerprint(id);
  }
  return lastFingerprint;
};

export async function callTool(
  tool: AnyToolDefinition,
  presenter: Presenter,
  rawArgs: unknown,
  conversationId: string,
  principal: Principal,
  deps: CallDeps,
): Promise<CallToolResult> {
  const started = performance.now();
  const correlationId = randomUUID();
  const log = (outcome: 'ok' | 'error', code?: ErrorCode, extra: Record<string, unknown> = {}): void => {
    // Built only when it is written: the line is the costliest part of a cheap call.
    if (!deps.logger.isLevelEnabled('info')) return;
    deps.logger.info(
      {
        // error_code, not code: the logger redacts every `code` field (one-time codes).
        // The conversation by fingerprint only: a conversation id in clear would be a credential
        // to anyone reading logs, were it not bound to its principal; we keep both defences.
        event: 'tool_call', tool: tool.name, outcome, error_code: code, correlation_id: correlationId, conversation: conversationFingerprint(conversationId), principal: principal.id,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        ...(deps.logToolArgs ? { tool_args: redactArgs(rawArgs) } : {}),
        ...extra,
      },
      'tool call',
    );
  };

  const meta = { correlationId, elapsedMs: () => Math.round((performance.now() - started) * 100) / 100 };
  // Redacted once: the audit entry of a write is built from it before the call ends.
  const redacted = redactArgs(rawArgs ?? {});
  const args = redacted !== null && typeof redacted === 'object' && !Array.isArray(redacted)
    ? (redacted as Record<string, unknown>)
    : { arguments: redacted }; // the audit trail stores an object
  const call = { tool: tool.name, conversationId, principal, correlationId, args };
  // Every call, including one with invalid arguments, ends in exactly one audit record.
  const services: CallServices = deps.hub.forCall(call);
  const finish = (result: CallToolResult, outcome: 'ok' | 'error', code?: ErrorCode): CallToolResult => {
    log(outcome, code);
    telemetry.toolCall?.(tool.name, outcome, code); // metrics, when on (observability/events.ts)
    deps.hub.afterCall(
      {
        ...call, outcome, errorCode: code ?? null, durationMs: Math.round(performance.now() - started),
        customerId: services.access.touchedCustomerId,
      },
      services,
    );
    return result;
  };
  if (countElements(rawArgs, MAX_INPUT_ELEMENTS) > MAX_INPUT_ELEMENTS) {
    const message = `Invalid arguments for ${tool.name}: the arguments contain more than ${MAX_INPUT_ELEMENTS} array elements and object members.`;
    const err = new ServiceError('VALIDATION_FAILED', message, { issues: [{ field: '(arguments)', message: 'too many elements' }] });
    return finish(presenter.failure(tool, {
      code: err.code, message, nextStep: tool.nextSteps?.VALIDATION_FAILED ?? DEFAULT_NEXT_STEPS.VALIDATION_FAILED, error: err,
    }, meta), 'error', 'VALIDATION_FAILED');
  }
  const parsed = tool.input.safeParse(normalizeArgs(tool, rawArgs));
  if (!parsed.success) {
    return finish(presenter.failure(tool, validationFailure(tool, parsed.error), meta), 'error', 'VALIDATION_FAILED');
  }
  try {
    await deps.hub.beforeCall(call);
    const returned = await tool.handler(parsed.data, { services, conversationId, correlationId, logger: deps.logger });
    const { value, attachments } = splitAttachments(returned);
    // Parsing also strips any field the output schema does not declare (data minimisation).
    const output = tool.output.safeParse(value);
    if (!output.success) throw new Error(`output of ${tool.name} does not match its schema: ${output.error.message}`);
    return finish(presenter.success(tool, output.data, meta, attachments), 'ok');
  } catch (err) {
    if (err instanceof ServiceError) {
      const failure = presenter.failure(tool, {
        code: err.code,
        message: err.message,
        nextStep: tool.nextSteps?.[err.code] ?? DEFAULT_NEXT_STEPS[err.code],
        error: err,
      }, meta);
      return finish(failure, 'error', err.code);
    }
    deps.logger.error({ err, tool: tool.name, correlation_id: correlationId }, 'unexpected tool failure');
    return finish(presenter.failure(tool, {
      code: 'INTERNAL_ERROR',
      message: `Something went wrong on our side (reference ${correlationId}).`,
      nextStep: DEFAULT_NEXT_STEPS.INTERNAL_ERROR,
      correlationId,
    }, meta), 'error', 'INTERNAL_ERROR');
  }
}
