// Tool definitions of a selection in other formats, for clients that are configured with a
// tool list instead of (or before) connecting over MCP. Everything is derived from the
// tools/list entries (src/server/tool-list.ts buildToolList), so an export can never
// disagree with what the server advertises.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { SelectedTool } from '../../server/selection.js';
import { buildToolList, outputJsonSchema } from '../../server/tool-list.js';
import { ExportError } from './errors.js';
import { toStrictSchema, type Removal } from './openai.js';
import { toYaml, toYamlStream, type JsonValue } from './yaml.js';

export { ExportError } from './errors.js';

export const SCHEMA_FORMATS = ['mcp', 'anthropic', 'openai', 'arena'] as const;
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number];

type Json = Record<string, unknown>;

/** `mcp`: the tools/list result, exactly as the server returns it. */
export const toMcp = (selection: readonly SelectedTool[]): { tools: Tool[] } => ({ tools: buildToolList(selection) });

// ---------------------------------------------------------------------------------------
// Anthropic Messages API: tools[] = {name, description, input_schema}. The name must match
// ^[a-zA-Z0-9_-]{1,64}$ and input_schema is a JSON Schema whose type is "object".

export const ANTHROPIC_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: { type: 'object'; properties?: Json; required?: string[]; [k: string]: unknown };
}

export const toAnthropic = (selection: readonly SelectedTool[]): AnthropicTool[] =>
  buildToolList(selection).map((t) => {
    if (!ANTHROPIC_TOOL_NAME.test(t.name)) {
      throw new ExportError(`tool name '${t.name}' is not a valid Anthropic tool name (${ANTHROPIC_TOOL_NAME.source})`);
    }
    if (t.inputSchema.type !== 'object') throw new ExportError(`tool ${t.name}: input schema type must be object`);
    return {
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      input_schema: t.inputSchema as AnthropicTool['input_schema'],
    };
  });

// ---------------------------------------------------------------------------------------
// OpenAI (Chat Completions tools[]): {type: 'function', function: {name, description,
// parameters, strict: true}}; the name allows a-z, A-Z, 0-9, _ and -, at most 64 characters.
// parameters is rewritten for strict mode by ./openai.ts (rules and removals listed there).

export const OPENAI_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters: Json; strict: true };
}

export const toOpenAI = (selection: readonly SelectedTool[]): { tools: OpenAITool[]; removed: (Removal & { tool: string })[] } => {
  const removed: (Removal & { tool: string })[] = [];
  const tools = buildToolList(selection).map((t): OpenAITool => {
    if (!OPENAI_FUNCTION_NAME.test(t.name)) {
      throw new ExportError(`tool name '${t.name}' is not a valid OpenAI function name (${OPENAI_FUNCTION_NAME.source})`);
    }
    const strict = toStrictSchema(t.inputSchema as Json, t.name);
    removed.push(...strict.removed.map((r) => ({ tool: t.name, ...r })));
    return {
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: strict.schema,
        strict: true,
      },
    };
  });
  return { tools, removed };
};

/** One line for stderr: what strict mode made us drop, counted by keyword. */
export const summarizeRemovals = (removed: readonly Removal[]): string | null => {
  if (removed.length === 0) return null;
  const counts = new Map<string, number>();
  for (const r of removed) counts.set(r.keyword, (counts.get(r.keyword) ?? 0) + 1);
  const list = [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
  return `openai strict mode: removed ${list} (not supported there; support-mcp still validates every argument and applies defaults)`;
};

// ---------------------------------------------------------------------------------------
// PromptArena / PromptKit `kind: Tool` manifests bound to an MCP server (`mode: mcp`): the
// tool is routed by its bare name to whichever configured MCP server lists it. PromptKit
// requires description, input_schema and output_schema (draft-07, compiled with
// gojsonschema) and mode; metadata.name is the registry name. spec.name is optional and
// overwritten by metadata.name; it is written anyway, as in the PromptArena examples.

export const ARENA_API_VERSION = 'promptkit.altairalabs.ai/v1alpha1';
/** Per-call deadline PromptKit applies; its MCP executor caps every call at 30 s anyway. */
export const ARENA_TIMEOUT_MS = 10_000;

export interface ArenaManifest {
  apiVersion: typeof ARENA_API_VERSION;
  kind: 'Tool';
  metadata: { name: string };
  spec: {
    description: string;
    input_schema: Json;
    output_schema: Json;
    mode: 'mcp';
    timeout_ms: number;
    name: string;
  };
}

/** The file name PromptArena's examples use for a tool: `get_customer_info` → `get-customer-info.tool.yaml`. */
export const arenaFileName = (toolName: string): string => `${toolName.replace(/_/g, '-')}.tool.yaml`;

const knownOutputSchema = (tool: SelectedTool['tool']): Json => {
  try {
    return outputJsonSchema(tool);
  } catch {
    return {};
  }
};

export const toArenaManifests = (selection: readonly SelectedTool[]): ArenaManifest[] => {
  const listed = buildToolList(selection);
  return listed.map((t, i) => {
    // tools/list advertises an output schema only for structured profiles; the others still
    // declare their result shape, and PromptKit requires output_schema in every manifest
    // (an empty schema, "anything", when the shape has no JSON Schema form).
    const output = (t.outputSchema as Json | undefined) ?? knownOutputSchema(selection[i]!.tool);
    return {
      apiVersion: ARENA_API_VERSION,
      kind: 'Tool',
      metadata: { name: t.name },
      spec: {
        description: t.description ?? t.title ?? t.name,
        input_schema: t.inputSchema as Json,
        output_schema: output,
        mode: 'mcp',
        timeout_ms: ARENA_TIMEOUT_MS,
        name: t.name,
      },
    };
  });
};

/**
 * One YAML file per tool (PromptKit reads one manifest per file), named as in PromptArena's
 * examples, each opening with a comment that says how it was produced.
 */
export const arenaFiles = (selection: readonly SelectedTool[], generatedBy: string): { fileName: string; text: string }[] =>
  toArenaManifests(selection).map((manifest) => ({
    fileName: arenaFileName(manifest.metadata.name),
    text: `# Generated by: ${generatedBy}\n${toYaml(manifest as unknown as JsonValue)}`,
  }));

// ---------------------------------------------------------------------------------------

export interface Rendered {
  /** What goes to stdout. */
  text: string;
  /** Remarks for stderr (never stdout). */
  notes: string[];
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function renderSchema(selection: readonly SelectedTool[], format: SchemaFormat): Rendered {
  switch (format) {
    case 'mcp':
      return { text: json(toMcp(selection)), notes: [] };
    case 'anthropic':
      return { text: json(toAnthropic(selection)), notes: [] };
    case 'openai': {
      const { tools, removed } = toOpenAI(selection);
      const summary = summarizeRemovals(removed);
      return { text: json(tools), notes: summary ? [summary] : [] };
    }
    case 'arena':
      return { text: toYamlStream(toArenaManifests(selection) as unknown as JsonValue[]), notes: [] };
  }
}
