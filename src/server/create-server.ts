// Builds an McpServer exposing a tool selection: one per stdio process, per stateful HTTP or
// SSE session, and one shared by every stateless HTTP request (transports/multiplex.ts).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ListToolsRequestSchema, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { STDIO_PRINCIPAL, type Principal } from '../domain/principal.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { z } from 'zod';
import { NAME, VERSION } from '../version.js';
import { callTool, MAX_INPUT_ELEMENTS, type CallDeps } from './call-tool.js';
import { registerStatementResource, STATEMENT_TOOLS } from './resources.js';
import { conversationFromArgs, type SelectedTool } from './selection.js';
import { scopeRefusal, toolAllowed, toolListFor } from './scopes.js';
import { registerPrompts, type AgentPrompt } from './prompts.js';

export interface ServerOptions {
  /**
   * Services and logger, or a promise of them: stdio answers `initialize` while the data
   * store and logger are still loading, and tool calls wait for them.
   */
  deps: CallDeps | Promise<CallDeps>;
  selection: readonly SelectedTool[];
  /**
   * Conversation id when the transport has no session id: one per process (stdio), or one
   * per request (stateless HTTP, where a shared server answers many clients and the
   * request's internal id names its conversation).
   */
  defaultConversationId: string | ((requestId: RequestId) => string);
  /**
   * Who calls when the transport authenticated nobody: the stdio process (default), or
   * `anonymous` for HTTP without tokens. An authenticated request names its own principal
   * (transports/bearer-tokens.ts puts it in the SDK's AuthInfo).
   */
  principal?: Principal;
  /** What the server tells clients about its tools: the served profiles' own (combinedInstructions). */
  instructions?: string;
  /** MCP prompts (the agent's operating rules per served profile; prompts.ts promptsFor). */
  prompts?: readonly AgentPrompt[];
}

/** The principal behind a request: the one its authentication established, else the server's default. */
export const principalOf = (authInfo: AuthInfo | undefined, fallback: Principal): Principal => {
  if (authInfo === undefined) return fallback;
  const p = authInfo.extra?.['principal'] as Principal | undefined;
  if (p && typeof p.id === 'string' && p.id !== '') return p;
  // Authenticated by something that named no principal: the client id, never shared with
  // the unauthenticated default.
  return { id: `client:${authInfo.clientId}`, kind: 'token' };
};

// The SDK validates nothing itself: call-tool.ts validates with the tool's own schema so a
// bad argument becomes a VALIDATION_FAILED result the model can act on, and "" / null
// optional arguments can be treated as absent before validation.
const PASSTHROUGH = z.object({}).passthrough();

// The SDK builds a new Ajv instance (with formats) for every Server unless given one; it is
// only used to validate elicitation answers, so one per process is enough (every SSE or
// stateful session builds its own server).
let sharedValidator: AjvJsonSchemaValidator | undefined;

export function createSupportServer(opts: ServerOptions): McpServer {
  const fallbackConversation = opts.defaultConversationId;
  const conversationOf = typeof fallbackConversation === 'string' ? () => fallbackConversation : fallbackConversation;
  const defaultPrincipal = opts.principal ?? STDIO_PRINCIPAL;
  const server = new McpServer(
    { name: NAME, version: VERSION },
    {
      capabilities: { tools: { listChanged: false }, logging: {} },
      ...(opts.instructions !== undefined ? { instructions: opts.instructions } : {}),
      jsonSchemaValidator: (sharedValidator ??= new AjvJsonSchemaValidator()),
      // Backstop only: call-tool.ts refuses more than MAX_INPUT_ELEMENTS in the tool's own
      // error format; this bounds the work before our code runs at all.
      maxToolInputElements: 10 * MAX_INPUT_ELEMENTS,
    },
  );
  for (const { tool, presenter, conversationArgument } of opts.selection) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: PASSTHROUGH, annotations: tool.annotations },
      async (args, extra) => {
        // OAuth scopes (scopes.ts): a tool the token does not allow is refused.
        if (!toolAllowed(extra.authInfo, tool)) throw scopeRefusal(tool, extra.authInfo);
        return callTool(
          tool, presenter, args,
          // Stateless HTTP with verified access: an explicit conversation_id names the conversation
          // (an invalid one fails the tool's validation; none: the request is its own conversation).
          (conversationArgument ? conversationFromArgs(args) : undefined) ?? extra.sessionId ?? conversationOf(extra.requestId),
          principalOf(extra.authInfo, defaultPrincipal),
          await opts.deps,
        );
      },
    );
  }
  // Statements as resources (statement://<customer>/<YYYY-MM>) wherever a statement tool is served.
  if (opts.selection.some(({ tool }) => STATEMENT_TOOLS.has(tool.name))) {
    registerStatementResource(server, {
      deps: opts.deps,
      conversationOf: (sessionId, requestId) => sessionId ?? conversationOf(requestId),
      principalOf: (authInfo) => principalOf(authInfo, defaultPrincipal),
    });
  }
  if (opts.prompts?.length) registerPrompts(server, opts.prompts);
  // Built on first use, then cached for the process (shared by every per-request server);
  // an OAuth token sees only the tools its scopes allow (scopes.ts).
  server.server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => ({ tools: toolListFor(opts.selection, extra.authInfo) }));
  return server;
}
