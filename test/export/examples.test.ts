// examples/: the PromptArena drop-in (config + mode: mcp tool manifests) and the Claude
// Desktop configurations stay valid, consistent with each other, and in sync with the
// generator and the registered profiles.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectTools, SelectionError } from '../../src/server/selection.js';
import { arenaFiles } from '../../src/commands/export/index.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { validates } from './schema-checks.js';
import { hasPyYaml, loadWithPyYaml } from './yaml-loaders.js';
import { readYaml } from './yaml-reader.js';

const PROFILES = await loadAllProfiles();

type Json = Record<string, unknown>;

const ROOT = path.resolve(import.meta.dirname, '..', '..'); // not ../server/cli.js: this fast-tier suite needs no build

const ARENA_DIR = path.join(ROOT, 'examples', 'promptarena');
const DESKTOP_DIR = path.join(ROOT, 'examples', 'claude-desktop');
const read = (file: string) => readFileSync(file, 'utf8');

/** PromptKit's MCPServerConfig (promptarena.md §2.1): name required, no other keys. */
const MCP_SERVER_CONFIG = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    command: { type: 'string' },
    args: { type: 'array', items: { type: 'string' } },
    env: { type: 'object', additionalProperties: { type: 'string' } },
    working_dir: { type: 'string' },
    url: { type: 'string' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    transport: { enum: ['', 'stdio', 'sse', 'streamable_http'] },
    source: { type: 'string' },
    scope: { enum: ['run', 'scenario', 'session'] },
    source_args: { type: 'object' },
    timeout_ms: { type: 'integer' },
    tool_filter: {
      type: 'object',
      additionalProperties: false,
      properties: { allowlist: { type: 'array', items: { type: 'string' } }, blocklist: { type: 'array', items: { type: 'string' } } },
    },
  },
};

// The example's tool contract (promptarena.md §3.3), which the LLM must keep seeing.
const ARENA_CONTRACT: Record<string, { description: string; input_schema: Json }> = {
  get_customer_info: {
    description: 'Retrieve customer account details by email address',
    input_schema: { type: 'object', properties: { email: { type: 'string', description: 'Customer email address' } }, required: ['email'] },
  },
  get_order_history: {
    description: 'Get recent orders for a customer',
    input_schema: {
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address' },
        limit: { type: 'integer', description: 'Number of recent orders to retrieve', default: 5 },
      },
      required: ['email'],
    },
  },
  check_subscription_status: {
    description: 'Check subscription details and billing information',
    input_schema: { type: 'object', properties: { email: { type: 'string', description: 'Customer email address' } }, required: ['email'] },
  },
  create_support_ticket: {
    description: 'Create a support ticket for issues requiring escalation',
    input_schema: {
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address' },
        issue_type: { type: 'string', description: 'Type of issue', enum: ['billing', 'shipping', 'technical', 'account', 'other'] },
        priority: { type: 'string', description: 'Priority level', enum: ['low', 'medium', 'high', 'urgent'], default: 'medium' },
        description: { type: 'string', description: 'Detailed description of the issue' },
      },
      required: ['email', 'issue_type', 'description'],
    },
  },
};
// prompts/support-bot.yaml allowed_tools (§3.2): the bare names stay.
const ALLOWED_TOOLS = ['get_customer_info', 'get_order_history', 'check_subscription_status', 'create_support_ticket'];

describe('examples/promptarena', () => {
  const configText = read(path.join(ARENA_DIR, 'config.arena.yaml'));
  const config = readYaml(configText) as Json;
  const spec = config.spec as Json;
  const toolFiles = (spec.tools as { file: string }[]).map((t) => t.file);
  const manifests = toolFiles.map((f) => readYaml(read(path.join(ARENA_DIR, f))) as Json);

  it('config: an Arena with spec.mcp_servers as a list holding the support server over stdio', () => {
    expect(config.apiVersion).toBe('promptkit.altairalabs.ai/v1alpha1');
    expect(config.kind).toBe('Arena');
    const servers = spec.mcp_servers as Json[];
    expect(Array.isArray(servers)).toBe(true);
    for (const s of servers) expect(validates(MCP_SERVER_CONFIG, s), JSON.stringify(s)).toBe(true);
    expect(servers).toHaveLength(1);
    const server = servers[0]!;
    expect(server.name).toBe('support');
    // the installed command (README "Install"): `npx support-mcp` 404s until the package is published
    expect(server.command).toBe('support-mcp');
    expect(server.args).toEqual(['--profile', 'arena']);
    expect(server.url).toBeUndefined();
    expect((server.tool_filter as Json).allowlist).toEqual(ALLOWED_TOOLS);
    // Other settings as in the original example.
    expect((spec.prompt_configs as Json[])[0]).toEqual({ id: 'support', file: 'prompts/support-bot.yaml' });
    expect((spec.providers as Json[]).map((p) => p.file)).toContain('providers/mock-tool-simulation.provider.yaml');
    expect((spec.scenarios as Json[]).length).toBe(6);
  });

  it('tool files: the four example tools, mode mcp, named as in the example, with the example contract', () => {
    expect(toolFiles).toEqual(ALLOWED_TOOLS.map((n) => `tools/${n.replace(/_/g, '-')}.tool.yaml`));
    expect(readdirSync(path.join(ARENA_DIR, 'tools')).sort()).toEqual(toolFiles.map((f) => path.basename(f)).sort());
    for (const [i, m] of manifests.entries()) {
      const s = m.spec as Json;
      const name = ALLOWED_TOOLS[i]!;
      expect(m.kind).toBe('Tool');
      expect((m.metadata as Json).name).toBe(name);
      expect(s.mode).toBe('mcp');
      expect(s.mock_result).toBeUndefined();
      expect(s.timeout_ms).toBeGreaterThanOrEqual(5000);
      expect(s.timeout_ms).toBeLessThanOrEqual(30_000);
      expect(s.description).toBe(ARENA_CONTRACT[name]!.description);
      expect(s.input_schema).toEqual(ARENA_CONTRACT[name]!.input_schema);
      expect(typeof s.output_schema).toBe('object');
    }
  });

  it('tool files are exactly what `support-mcp schema --profile arena --format arena --out tools` writes', () => {
    const generated = arenaFiles(selectTools([PROFILES.arena!]), 'support-mcp schema --profile arena --format arena');
    expect(generated.map((f) => `tools/${f.fileName}`)).toEqual(toolFiles);
    for (const f of generated) {
      expect(read(path.join(ARENA_DIR, 'tools', f.fileName)), `${f.fileName} is stale: regenerate it (see examples/promptarena/README.md)`).toBe(f.text);
    }
  });

  it.skipIf(!hasPyYaml)('PyYAML reads the config and the tool files the same way', () => {
    expect(loadWithPyYaml(configText)).toEqual([config]);
    expect(toolFiles.map((f) => loadWithPyYaml(read(path.join(ARENA_DIR, f)))[0])).toEqual(manifests);
  });

  it('the README names the command that regenerates the tool files', () => {
    expect(read(path.join(ARENA_DIR, 'README.md'))).toContain('support-mcp schema --profile arena --format arena --out tools');
  });
});

describe('examples/claude-desktop', () => {
  const EXPECTED = ['support', 'arena', 'blackbird', 'banking', 'billing'];
  const readme = read(path.join(DESKTOP_DIR, 'README.md'));

  it('has one config per profile', () => {
    const files = readdirSync(DESKTOP_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(EXPECTED.map((p) => `claude_desktop_config.${p}.json`).sort());
  });

  it.each(EXPECTED)('%s: one stdio server running support-mcp --profile %s', (profile) => {
    const config = JSON.parse(read(path.join(DESKTOP_DIR, `claude_desktop_config.${profile}.json`))) as { mcpServers: Record<string, Json> };
    expect(Object.keys(config)).toEqual(['mcpServers']);
    const servers = Object.entries(config.mcpServers);
    expect(servers).toHaveLength(1);
    const [key, server] = servers[0]!;
    expect(key).toMatch(/^support(-[a-z]+)?$/);
    expect(server).toEqual({ command: 'support-mcp', args: ['--profile', profile] });
  });

  it.each(EXPECTED)('%s: the README lists the profile\'s tools', (profile) => {
    expect(PROFILES[profile], `profile ${profile} is registered`).toBeDefined();
    const row = readme.split('\n').find((l) => l.includes(`claude_desktop_config.${profile}.json`))!;
    for (const tool of PROFILES[profile]!.tools) expect(row, `${profile} row`).toContain(`\`${tool.name}\``);
  });

  it('the README\'s combination advice holds for the registered profiles', () => {
    expect(() => selectTools([PROFILES.support!, PROFILES.arena!])).not.toThrow();
    expect(() => selectTools([PROFILES.arena!, PROFILES.banking!])).toThrow(SelectionError);
  });
});
