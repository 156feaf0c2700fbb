// Which tools a server exposes: profiles combined, then --read-only, --tools and
// --exclude-tools applied. Every mistake is reported at start-up, never at call time.
import { z } from 'zod';
import { isWritingTool, type AnyToolDefinition } from '../tools/define.js';
import type { Presenter } from '../tools/presenter.js';
import type { Profile } from '../tools/profile.js';

export interface SelectedTool {
  tool: AnyToolDefinition;
  presenter: Presenter;
  profile: string;
  /** The tool takes an optional `conversation_id` argument naming the call's conversation (see withConversationArgument). */
  conversationArgument?: boolean;
}

export interface SelectionOptions {
  readOnly?: boolean;
  /** Allow-list of tool names; empty or undefined means all. */
  tools?: string[];
  excludeTools?: string[];
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

export function selectTools(profiles: Profile[], opts: SelectionOptions = {}): readonly SelectedTool[] {
  const byName = new Map<string, SelectedTool>();
  for (const profile of profiles) {
    for (const tool of profile.tools) {
      const existing = byName.get(tool.name);
      if (existing) {
        throw new SelectionError(
          `profiles '${existing.profile}' and '${profile.name}' both define the tool '${tool.name}'; they cannot be combined`,
        );
      }
      byName.set(tool.name, { tool, presenter: profile.presenter, profile: profile.name });
    }
  }
  for (const [flag, names] of [['--tools', opts.tools], ['--exclude-tools', opts.excludeTools]] as const) {
    const unknown = (names ?? []).filter((n) => !byName.has(n));
    if (unknown.length > 0) {
      throw new SelectionError(
        `${flag}: unknown tool ${unknown.map((n) => `'${n}'`).join(', ')} (available: ${[...byName.keys()].join(', ')})`,
      );
    }
  }
  const allow = opts.tools && opts.tools.length > 0 ? new Set(opts.tools) : null;
  const deny = new Set(opts.excludeTools ?? []);
  const selected = [...byName.values()].filter(
    ({ tool }) => (!allow || allow.has(tool.name)) && !deny.has(tool.name) && !(opts.readOnly && isWritingTool(tool)),
  );
  return Object.freeze(selected);
}

/** The argument that names a conversation on transports without sessions (stateless HTTP). */
export const CONVERSATION_ARG = 'conversation_id';

export const ConversationIdArg = z
  .string()
  .min(1)
  .max(128)
  .refine((v) => /^[A-Za-z0-9._:-]+$/.test(v), 'use letters, digits and . _ : - only')
  .describe(
    'The conversation this call belongs to: the conversation_id returned by the identity-verification tool. '
    + 'Pass it on every call of the conversation; without it the call is a conversation of its own and no verification applies.',
  );

/** The conversation named by raw tool arguments, when it is a valid one. */
export const conversationFromArgs = (raw: unknown): string | undefined => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const parsed = ConversationIdArg.safeParse((raw as Record<string, unknown>)[CONVERSATION_ARG]);
  return parsed.success ? parsed.data : undefined;
};

/**
 * Stateless HTTP has no session to tie calls together, so with verified access a conversation
 * is an explicit argument: every tool gets an optional `conversation_id` (once, here, not per
 * request). It is part of tools/list and validated like any argument; the tool's handler never
 * sees it (it reaches the tool as ToolContext.conversationId).
 */
export function withConversationArgument(selection: readonly SelectedTool[]): readonly SelectedTool[] {
  return Object.freeze(selection.map((s): SelectedTool => {
    const tool = s.tool;
    if (CONVERSATION_ARG in (tool.input as z.ZodObject).shape) {
      throw new SelectionError(`tool '${tool.name}' already has an argument named ${CONVERSATION_ARG}`);
    }
    const wrapped: AnyToolDefinition = {
      ...tool,
      input: (tool.input as z.ZodObject).safeExtend({ [CONVERSATION_ARG]: ConversationIdArg.optional() }),
      handler: (args: Record<string, unknown>, ctx) => {
        const { [CONVERSATION_ARG]: _conversation, ...rest } = args;
        return tool.handler(rest, ctx);
      },
    };
    return { ...s, tool: wrapped, conversationArgument: true };
  }));
}
