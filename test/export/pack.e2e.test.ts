// The snippets work as pasted: the project packed with `npm pack`, the tarball installed
// globally into an empty prefix (as `npm install -g ./support-mcp-*.tgz` does), and every
// configuration in examples/ and every runnable `mcpServers` entry of the README started
// exactly as written, with only PATH in the environment (Claude Desktop passes a minimal
// one), answering tools/list.
//
// Network: the install runs with --offline (dependencies from the npm cache). Only when the
// cache lacks a dependency does it fall back to the registry (--prefer-offline), bounded by
// INSTALL_TIMEOUT_MS; the fallback is printed so a CI log shows it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { ROOT } from '../server/cli.js'; // refuses a stale dist/: the tarball packs dist/ as built
import { readYaml } from './yaml-reader.js';

const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 120_000;
const PROFILES = await loadAllProfiles();

interface ServerEntry { command: string; args?: string[]; env?: Record<string, string> }

/** Every example configuration: where it comes from, and the command it runs. */
function exampleEntries(): { source: string; entry: ServerEntry; profile: string }[] {
  const out: { source: string; entry: ServerEntry; profile: string }[] = [];
  const desktop = path.join(ROOT, 'examples', 'claude-desktop');
  for (const file of readdirSync(desktop).filter((f) => f.endsWith('.json'))) {
    const config = JSON.parse(readFileSync(path.join(desktop, file), 'utf8')) as { mcpServers: Record<string, ServerEntry> };
    for (const entry of Object.values(config.mcpServers)) out.push({ source: `examples/claude-desktop/${file}`, entry, profile: profileOf(entry) });
  }
  const arena = readYaml(readFileSync(path.join(ROOT, 'examples', 'promptarena', 'config.arena.yaml'), 'utf8')) as unknown as { spec: { mcp_servers: ServerEntry[] } };
  for (const entry of arena.spec.mcp_servers) out.push({ source: 'examples/promptarena/config.arena.yaml', entry, profile: profileOf(entry) });
  // README: the `mcpServers` JSON blocks that run the installed command on the demo data (the
  // absolute-path variant names the author's home, the Postgres one a database that is not here).
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const [, block] of readme.matchAll(/```json\n([\s\S]*?)```/g)) {
    const parsed = JSON.parse(block!) as { mcpServers?: Record<string, ServerEntry & { url?: string }> };
    for (const entry of Object.values(parsed.mcpServers ?? {})) {
      if (entry.command === 'support-mcp' && entry.env === undefined) out.push({ source: 'README.md', entry, profile: profileOf(entry) });
    }
  }
  return out;
}

function profileOf(entry: ServerEntry): string {
  const args = entry.args ?? [];
  const i = args.indexOf('--profile');
  return i >= 0 ? args[i + 1]! : 'support';
}

describe('npm pack → npm install -g → every example configuration starts', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'support-mcp-pack-'));
  const prefix = path.join(work, 'prefix');
  const cache = process.env.npm_config_cache; // the developer's / CI's npm cache, if npm set one
  let binDir = '';
  const examples = exampleEntries();

  beforeAll(async () => {
    // --ignore-scripts: dist/ is fresh (checked above); prepack would rebuild it.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT });
    const tarball = path.join(work, stdout.trim().split('\n').pop()!);
    const install = (mode: '--offline' | '--prefer-offline') =>
      run('npm', ['install', '-g', '--prefix', prefix, tarball, mode, '--omit=dev', '--no-audit', '--no-fund', ...(cache ? ['--cache', cache] : [])], {
        cwd: work, timeout: INSTALL_TIMEOUT_MS,
      });
    try {
      await install('--offline');
    } catch (err) {
      if (!/ENOTCACHED/.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
      process.stderr.write('pack test: a dependency is not in the npm cache; installing from the registry (--prefer-offline)\n');
      await install('--prefer-offline');
    }
    binDir = path.join(prefix, 'bin');
  }, INSTALL_TIMEOUT_MS * 2 + 30_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('every example runs the installed command, not npx (the package is not on the registry)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7); // five Claude Desktop files, Arena, README
    for (const { source, entry } of examples) expect(entry.command, source).toBe('support-mcp');
  });

  it('the tarball holds what the server needs and no sources or tests', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('db/migrations/0001_init.sql');
    expect(files.some((f) => f.startsWith('fixtures/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it.each(exampleEntries().map((e) => [`${e.source} (--profile ${e.profile})`, e] as const))('%s answers tools/list', async (_name, { entry, profile }) => {
    // Claude Desktop passes a minimal environment: PATH (with the install's bin and node), nothing else.
    const env = { PATH: [binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), ...(entry.env ?? {}) };
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args ?? [], env, cwd: tmpdir(), stderr: 'pipe' });
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const expected = profile.split(',').flatMap((p) => PROFILES[p]!.tools.map((t) => t.name)).sort();
      expect(tools.map((t) => t.name).sort()).toEqual(expected);
    } finally {
      await client.close();
    }
  });
});
