// tools/list is computed once per tool selection and reused: the SDK would otherwise
// convert every zod schema to JSON Schema on every list (and per request in stateless HTTP).
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnyToolDefinition } from '../tools/define.js';
import type { SelectedTool } from './selection.js';

type Json = Record<string, unknown>;

/**
 * Input schemas are sent to model providers as they are. Keep them to the portable core:
 * no $schema, no additionalProperties, no $ref (zod only emits $ref for reused/recursive
 * schemas, which we reject here so a new tool cannot slip one in).
 */
export const portableInputSchema = (tool: AnyToolDefinition): Json => {
  const schema = z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }) as Json;
  const clean = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(clean);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$schema' || k === 'additionalProperties') continue;
      if (k === '$ref' || k === '$defs' || k === 'definitions') {
        throw new Error(`tool ${tool.name}: input schema must not use ${k}`);
      }
      out[k] = clean(v);
    }
    return out;
  };
  const portable = clean(schema) as Json;
  return tool.patchInputJsonSchema ? tool.patchInputJsonSchema(portable) : portable;
};

/**
 * Output schemas keep their full constraints, but nullable fields are spelled as anyOf
 * branches with one `type` each (zod emits `type: [X, "null"]`, which single-type dialects
 * such as Gemini's reject; the Inspector's --strict check warns about it).
 */
export const outputJsonSchema = (tool: AnyToolDefinition): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(tool.output, { target: 'draft-7', io: 'output' }) as Json;
  const split = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(split);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) out[k] = split(v);
    if (Array.isArray(out.type)) {
      const { type, ...constraints } = out;
      const { description, ...others } = constraints;
      return {
        ...(description !== undefined ? { description } : {}),
        anyOf: (type as string[]).map((t) => (t === 'null' ? { type: 'null' } : { type: t, ...others })),
      };
    }
    return out;
  };
  return split(rest) as Json;
};

const cache = new WeakMap<readonly SelectedTool[], Tool[]>();

export const buildToolList = (selection: readonly SelectedTool[]): Tool[] => {
  const cached = cache.get(selection);
  if (cached) return cached;
  const list: Tool[] = selection.map(({ tool, presenter }) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: portableInputSchema(tool) as Tool['inputSchema'],
    ...(presenter.structured ? { outputSchema: outputJsonSchema(tool) as Tool['outputSchema'] } : {}),
    annotations: { title: tool.title, ...tool.annotations },
  }));
  cache.set(selection, list);
  return list;
};
