// The shape of a tool definition. A tool is data + a handler that calls domain services;
// how its results and errors look on the wire is decided by the profile's presenter.
import type { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { ErrorCode } from '../services/errors.js';
import type { DomainServices } from '../services/domain-services.js';

/** All four MCP hints are required: the spec defaults (destructive, open-world) are unsafe. */
export interface CompleteToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * What a handler may use. Handlers never see the repository nor the access guard: the
 * services apply access, business rules and error translation; a handler only renames
 * arguments and maps results.
 */
export interface ToolContext {
  /** The call's domain services (customers, orders, billing, banking, tickets, verification). */
  services: DomainServices;
  /** The conversation this call belongs to (MCP session, stdio process, or given by the client). */
  conversationId: string;
  correlationId: string;
  logger: Logger;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** Written for a model: what it does, when to use it, when not. */
  description: string;
  input: I;
  output: O;
  annotations: CompleteToolAnnotations;
  /** Next step per error code, shown with the error so the model can recover. */
  nextSteps?: Partial<Record<ErrorCode, string>>;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<z.input<O>>;
  /**
   * Adjusts the JSON Schema derived from `input`, for contract keywords zod cannot express
   * (e.g. minProperties). Validation still runs on `input`; keep the two in agreement.
   */
  patchInputJsonSchema?: (schema: Record<string, unknown>) => Record<string, unknown>;
  /**
   * The tool writes only the server's own records, never customer data, so --read-only keeps
   * it: `verification` (verifications, outbox: a read-only deployment with verified access must
   * still let a customer verify, or nothing could ever be unlocked) or `handoff` (the queue to a
   * person, who must always be reachable). In Postgres those records live in the control
   * tables, which stay writable through the separate control pool. OAuth scopes: verification
   * needs the verify scope, a handoff only read (server/scopes.ts).
   */
  writesOnlyServerRecords?: 'verification' | 'handoff';
}

/**
 * A document that goes with a tool's result (a PDF statement): the structured presenter adds it
 * as an embedded resource (base64 blob) after the text; plain-text contracts keep their one
 * text item and name `uri` in it, which resources/read serves behind the same access guard.
 */
export interface ToolAttachment {
  uri: string;
  mimeType: string;
  /** The bytes, base64. */
  blob: string;
}

const ATTACHMENTS = Symbol('attachments');

/** A handler's value with documents attached (see ToolAttachment). The value itself is checked against the output schema as usual. */
export const withAttachments = <T extends object | string>(value: T, attachments: ToolAttachment[]): T => {
  if (typeof value === 'string') return Object.assign(new String(value), { [ATTACHMENTS]: attachments }) as unknown as T;
  return Object.assign(value, { [ATTACHMENTS]: attachments });
};

/** The attachments of a handler's value, and the plain value (a boxed string unboxed). */
export const splitAttachments = (value: unknown): { value: unknown; attachments: ToolAttachment[] } => {
  if (value === null || typeof value !== 'object' || !(ATTACHMENTS in value)) return { value, attachments: [] };
  const attachments = (value as { [ATTACHMENTS]: ToolAttachment[] })[ATTACHMENTS];
  return { value: value instanceof String ? value.valueOf() : value, attachments };
};

/** Identity helper that keeps the handler's argument and result types tied to the schemas. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodType>(def: ToolDefinition<I, O>): ToolDefinition<I, O> => def;

// The registry stores tools of different schema types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolDefinition = ToolDefinition<any, any>;

/** A tool that changes customer data (not read-only, not server bookkeeping); --read-only drops them. */
export const isWritingTool = (tool: AnyToolDefinition): boolean => !tool.annotations.readOnlyHint && tool.writesOnlyServerRecords === undefined;
