// `support-mcp schema --profile P[,P] --format mcp|anthropic|openai|arena [...]`: prints the
// tool definitions of a selection in another client's format. Only the definitions go to
// stdout; remarks go to stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseCommandArgs } from './errors.js';

export const SCHEMA_HELP = `Usage:
  support-mcp schema [--profile NAME[,NAME]] --format FORMAT [--read-only] [--tools a,b] [--exclude-tools a,b]
  support-mcp schema --profile arena --format arena --out DIR

Prints the tool definitions of a profile selection, derived from the same code as tools/list:
  mcp        {"tools": [...]} exactly as tools/list returns it
  anthropic  [{name, description, input_schema}] for the Anthropic Messages API
  openai     [{type: "function", function: {name, description, parameters, strict: true}}],
             rewritten for OpenAI strict mode (every property required, optional ones
             nullable, additionalProperties false, unsupported keywords removed)
  arena      PromptArena/PromptKit "kind: Tool" manifests with mode: mcp, as a YAML stream;
             --out DIR writes one <tool-name>.tool.yaml file per tool instead
  prompts    {"prompts": [...]} as prompts/list returns them, each with the "messages" that
             prompts/get returns without arguments (the agent's operating rules)
The profile defaults to 'support'; --read-only, --tools and --exclude-tools select as for the server.
`;

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export async function runSchemaCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      profile: { type: 'string' },
      format: { type: 'string' },
      'read-only': { type: 'boolean' },
      tools: { type: 'string' },
      'exclude-tools': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }, 'support-mcp schema --help');
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(SCHEMA_HELP);
    return 0;
  }

  const [{ PROFILE_NAMES, DEFAULT_PROFILE, isProfileName, loadProfiles }, exporter, { selectTools, SelectionError }] = await Promise.all([
    import('../tools/profiles.js'),
    import('./export/index.js'),
    import('../server/selection.js'),
  ]);

  const format = v.format;
  const formats = [...exporter.SCHEMA_FORMATS, 'prompts'];
  if (format === undefined) throw new ConfigError(`schema: --format is required (${formats.join('|')})`);
  if (!formats.includes(format)) {
    throw new ConfigError(`schema: unknown format '${format}' (expected ${formats.join('|')})`);
  }
  if (v.out !== undefined && format !== 'arena') throw new ConfigError('schema: --out is only for --format arena');

  const names = list(v.profile);
  if (names.length === 0) names.push(DEFAULT_PROFILE);
  const unknown = names.find((p) => !isProfileName(p));
  if (unknown) throw new ConfigError(`unknown profile '${unknown}' (available: ${PROFILE_NAMES.join(', ')})`);
  const profiles = await loadProfiles(names);

  let selection;
  try {
    selection = selectTools(profiles, {
      readOnly: v['read-only'] ?? false, tools: list(v.tools), excludeTools: list(v['exclude-tools']),
    });
  } catch (err) {
    if (err instanceof SelectionError) throw new ConfigError(err.message);
    throw err;
  }
  if (selection.length === 0) throw new ConfigError('schema: the selection has no tools');

  if (format === 'prompts') {
    const { promptsFor, promptResult, PROMPT_ARGUMENTS } = await import('../server/prompts.js');
    const prompts = promptsFor(names, selection).map((p) => ({
      name: p.name, title: p.title, description: p.description, arguments: PROMPT_ARGUMENTS, messages: promptResult(p, {}).messages,
    }));
    process.stdout.write(`${JSON.stringify({ prompts }, null, 2)}\n`);
    return 0;
  }
  try {
    if (v.out !== undefined) {
      const flags = [
        `--profile ${names.join(',')}`, '--format arena',
        ...(v['read-only'] ? ['--read-only'] : []),
        ...(list(v.tools).length ? [`--tools ${list(v.tools).join(',')}`] : []),
        ...(list(v['exclude-tools']).length ? [`--exclude-tools ${list(v['exclude-tools']).join(',')}`] : []),
      ];
      const files = exporter.arenaFiles(selection, `support-mcp schema ${flags.join(' ')}`);
      await mkdir(v.out, { recursive: true });
      for (const { fileName, text } of files) {
        const file = path.join(v.out, fileName);
        await writeFile(file, text);
        process.stderr.write(`wrote ${file}\n`);
      }
      return 0;
    }
    const { text, notes } = exporter.renderSchema(selection, format as (typeof exporter.SCHEMA_FORMATS)[number]);
    for (const note of notes) process.stderr.write(`support-mcp: ${note}\n`);
    process.stdout.write(text);
    return 0;
  } catch (err) {
    if (err instanceof exporter.ExportError) throw new ConfigError(err.message);
    throw err;
  }
}
