// Every registered profile, exported in every format, checked against that format's rules:
// - mcp: the SDK's ListToolsResultSchema, and equal to what a real client gets from tools/list;
// - anthropic: Messages API tool rules (name ^[a-zA-Z0-9_-]{1,64}$, input_schema of type
//   object, only name/description/input_schema), schemas unchanged from tools/list;
// - openai: function tool shape and the strict-mode rules (./openai-strict-rules.ts), with the
//   meaning kept: null is accepted exactly where an argument was optional, and the server
//   treats those nulls as "not given";
// - arena: a YAML stream that reads back into PromptKit Tool manifests (mode: mcp) carrying
//   the tools/list schemas, valid draft-07 and RE2-compatible.
import { ListToolsResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { normalizeArgs } from '../../src/server/call-tool.js';
import { selectTools } from '../../src/server/selection.js';
import { outputJsonSchema } from '../../src/server/tool-list.js';
import { renderSchema, toArenaManifests } from '../../src/commands/export/index.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { connect, type Connected } from '../server/harness.js';
import { strictViolations } from './openai-strict-rules.js';
import { draft07Problems, re2Problems, validates } from './schema-checks.js';
import { hasPyYaml, loadWithPyYaml } from './yaml-loaders.js';
import { readYamlStream } from './yaml-reader.js';

const PROFILES = await loadAllProfiles();

type Json = Record<string, unknown>;

const profiles = Object.values(PROFILES);

/** The shape of a PromptKit Tool manifest in mode mcp (promptarena.md §2.5, §3.3, §4). */
const ARENA_MANIFEST = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'promptkit.altairalabs.ai/v1alpha1' },
    kind: { const: 'Tool' },
    metadata: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
    spec: {
      type: 'object',
      required: ['description', 'input_schema', 'output_schema', 'mode'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        description: { type: 'string', minLength: 1 },
        input_schema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
        output_schema: { type: 'object' },
        mode: { const: 'mcp' },
        // PromptKit's MCP executor caps every call at 30 s; 0 or less means its default.
        timeout_ms: { type: 'integer', minimum: 1, maximum: 30_000 },
      },
    },
  },
};

const optionalKeys = (schema: Json): string[] => {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.keys((schema.properties as Json | undefined) ?? {}).filter((k) => !required.has(k));
};

describe.each(profiles.map((p) => [p.name, p] as const))('profile %s', (name, profile) => {
  const selection = selectTools([profile]);
  const mcp = JSON.parse(renderSchema(selection, 'mcp').text) as { tools: Tool[] };
  const byName = new Map(mcp.tools.map((t) => [t.name, t]));

  describe('mcp', () => {
    let client: Connected;
    beforeAll(async () => {
      client = await connect(await FixtureRepository.load(), { profiles: [profile] });
    });
    afterAll(async () => client.close());

    it('passes the SDK ListToolsResultSchema', () => {
      expect(ListToolsResultSchema.safeParse(mcp).success).toBe(true);
      expect(mcp.tools.map((t) => t.name)).toEqual(profile.tools.map((t) => t.name));
    });

    it('equals tools/list from a running server', async () => {
      const listed = await client.client.listTools();
      expect(mcp.tools).toEqual(JSON.parse(JSON.stringify(listed.tools)));
    });

    it('--read-only keeps exactly the read-only tools (and identity verification, and the handoff to a person)', () => {
      const ro = JSON.parse(renderSchema(selectTools([profile], { readOnly: true }), 'mcp').text) as { tools: Tool[] };
      const keeps = (t: Tool) => t.annotations?.readOnlyHint === true || /^(verify_(identity|customer_identity)|transfer_to_agent)$/.test(t.name);
      expect(ro.tools.map((t) => t.name)).toEqual(mcp.tools.filter(keeps).map((t) => t.name));
    });
  });

  describe('anthropic', () => {
    const tools = JSON.parse(renderSchema(selection, 'anthropic').text) as Json[];

    it('follows the Messages API tool rules and keeps the tools/list schemas', () => {
      expect(tools).toHaveLength(mcp.tools.length);
      for (const tool of tools) {
        const listed = byName.get(tool.name as string)!;
        expect(Object.keys(tool).sort()).toEqual(['description', 'input_schema', 'name']);
        expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        const schema = tool.input_schema as Json;
        expect(schema.type).toBe('object');
        for (const r of (schema.required as string[] | undefined) ?? []) expect(Object.keys(schema.properties as Json)).toContain(r);
        expect(draft07Problems(schema)).toEqual([]);
        expect(tool.description).toBe(listed.description);
        expect(schema).toEqual(listed.inputSchema);
      }
    });
  });

  describe('openai', () => {
    const { text } = renderSchema(selection, 'openai');
    const tools = JSON.parse(text) as { type: string; function: Json }[];

    it('is a list of strict function tools', () => {
      expect(tools).toHaveLength(mcp.tools.length);
      for (const tool of tools) {
        expect(Object.keys(tool).sort()).toEqual(['function', 'type']);
        expect(tool.type).toBe('function');
        expect(Object.keys(tool.function).sort()).toEqual(['description', 'name', 'parameters', 'strict']);
        expect(tool.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(tool.function.strict).toBe(true);
        expect(tool.function.description).toBe(byName.get(tool.function.name as string)!.description);
      }
    });

    it.each(tools.map((t) => [t.function.name as string, t.function.parameters as Json]))(
      '%s satisfies every strict-mode rule',
      (_tool, parameters) => {
        expect(strictViolations(parameters)).toEqual([]);
        expect(draft07Problems(parameters)).toEqual([]);
      },
    );

    it.each(tools.map((t) => [t.function.name as string, t.function.parameters as Json]))(
      '%s accepts null exactly where an argument was optional, and every enum value',
      (toolName, parameters) => {
        const original = byName.get(toolName)!.inputSchema as Json;
        const optional = new Set(optionalKeys(original));
        const props = parameters.properties as Json;
        expect(Object.keys(props)).toEqual(Object.keys((original.properties as Json | undefined) ?? {}));
        for (const [key, prop] of Object.entries(props)) {
          expect(validates(prop, null), `${toolName}.${key} null`).toBe(optional.has(key));
          for (const value of ((original.properties as Record<string, Json>)[key]!.enum as unknown[] | undefined) ?? []) {
            expect(validates(prop, value), `${toolName}.${key}=${String(value)}`).toBe(true);
          }
        }
      },
    );

    it.each(profile.tools.map((t) => [t.name, t] as const))('%s: the server treats the nulls strict mode sends as "not given"', (_n, tool) => {
      const original = byName.get(tool.name)!.inputSchema as Json;
      const optional = optionalKeys(original);
      const args = Object.fromEntries(optional.map((k) => [k, null]));
      const normalized = normalizeArgs(tool, args) as Json;
      expect(Object.keys(normalized)).toEqual([]);
      const parsed = (tool.input as z.ZodObject).safeParse(normalized);
      const blamed = parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0] ?? '')).filter((k) => optional.includes(k));
      expect(blamed).toEqual([]);
      // Nested optional properties would arrive as null too, and only top-level nulls are
      // dropped: keep optional arguments at the top level.
      const nested = JSON.stringify(
        Object.values((original.properties as Json | undefined) ?? {}).filter((p) => optionalKeys(p as Json).length > 0),
      );
      expect(nested, `${tool.name} has nested optional properties`).toBe('[]');
    });
  });

  describe('arena', () => {
    const { text } = renderSchema(selection, 'arena');
    const docs = readYamlStream(text) as Json[];

    it('reads back as one Tool manifest per tool, identical to the generated values', () => {
      expect(docs).toHaveLength(mcp.tools.length);
      expect(docs).toEqual(JSON.parse(JSON.stringify(toArenaManifests(selection))));
    });

    it('every document is a PromptKit Tool manifest in mode mcp carrying the tools/list schemas', () => {
      for (const [i, doc] of docs.entries()) {
        expect(validates(ARENA_MANIFEST, doc), JSON.stringify(doc).slice(0, 200)).toBe(true);
        const spec = doc.spec as Json;
        const meta = doc.metadata as Json;
        const listed = mcp.tools[i]!;
        expect(meta.name).toBe(listed.name);
        expect(spec.name).toBe(listed.name);
        expect(spec.description).toBe(listed.description);
        expect(spec.input_schema).toEqual(listed.inputSchema);
        expect(spec.output_schema).toEqual(listed.outputSchema ?? outputJsonSchema(profile.tools[i]!));
        for (const key of ['input_schema', 'output_schema'] as const) {
          expect(draft07Problems(spec[key]), `${listed.name} ${key}`).toEqual([]);
          expect(re2Problems(spec[key]), `${listed.name} ${key}`).toEqual([]);
        }
        // Under native MCP naming Arena shows mcp__<server>__<tool>; providers cap names at 64.
        expect(`mcp__support__${listed.name}`.length).toBeLessThanOrEqual(64);
      }
    });

    it.skipIf(!hasPyYaml)('PyYAML reads the same documents', () => {
      expect(loadWithPyYaml(text)).toEqual(docs);
    });
  });

  it(`${name}: every format lists the same tools in the same order`, () => {
    const names = mcp.tools.map((t) => t.name);
    expect((JSON.parse(renderSchema(selection, 'anthropic').text) as Json[]).map((t) => t.name)).toEqual(names);
    expect((JSON.parse(renderSchema(selection, 'openai').text) as { function: Json }[]).map((t) => t.function.name)).toEqual(names);
    expect(readYamlStream(renderSchema(selection, 'arena').text).map((d) => ((d as Json).metadata as Json).name)).toEqual(names);
  });
});
