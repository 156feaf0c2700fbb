// `support-mcp [serve]`: resolves configuration (flags > environment > defaults), builds the
// repository, services and tool selection, and starts the transport. Composition root.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LOG_LEVELS } from '../logging/levels.js';
import type { LogLevel } from '../logging/logger.js';
import type { SupportRepository } from '../repository/types.js';
import { ConfigError } from './errors.js';

export interface ServeConfig {
  backend: { kind: 'fixtures'; dir?: string } | { kind: 'postgres'; url: string };
  profiles: string[];
  readOnly: boolean;
  tools: string[];
  excludeTools: string[];
  logLevel: LogLevel;
  logToolArgs: boolean;
}

const SERVE_HELP = `Options (each has an environment variable; flags win):
  --fixtures [DIR]         serve the in-memory demo data (default when no database is configured)
  --database-url URL       serve from Postgres                               DATABASE_URL
  --profile NAME[,NAME]    tool profile(s) (default: support)                SUPPORT_MCP_PROFILE
  --read-only              drop every tool that writes                       MCP_READ_ONLY=true
  --tools a,b              expose only these tools                           MCP_TOOLS
  --exclude-tools a,b      hide these tools                                  MCP_EXCLUDE_TOOLS
  --log-level LEVEL        fatal|error|warn|info|debug|trace|silent (info)   LOG_LEVEL
  --log-tool-args          include redacted tool arguments in logs           LOG_TOOL_ARGS=true
  --help, --version
Logs are JSON lines on stderr; stdout carries only MCP messages.
`;

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** `--fixtures` takes an optional directory: rewrite a bare one so parseArgs accepts it. */
const expandOptionalValues = (argv: string[]): string[] =>
  argv.flatMap((a, i) => (a === '--fixtures' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) ? ['--fixtures='] : [a]));

export function resolveServeConfig(argv: string[], env: NodeJS.ProcessEnv, profileNames: string[]): ServeConfig | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: expandOptionalValues(argv),
      allowPositionals: false,
      strict: true,
      options: {
        fixtures: { type: 'string' },
        'database-url': { type: 'string' },
        profile: { type: 'string' },
        'read-only': { type: 'boolean' },
        tools: { type: 'string' },
        'exclude-tools': { type: 'string' },
        'log-level': { type: 'string' },
        'log-tool-args': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';

  const dbUrl = v['database-url'] ?? (v.fixtures === undefined ? env.DATABASE_URL : undefined);
  if (v.fixtures !== undefined && v['database-url'] !== undefined) {
    throw new ConfigError('--fixtures and --database-url cannot be combined: choose one backend');
  }
  let backend: ServeConfig['backend'];
  if (dbUrl) {
    if (!/^postgres(ql)?:\/\//.test(dbUrl)) throw new ConfigError('the database URL must start with postgres:// or postgresql://');
    backend = { kind: 'postgres', url: dbUrl };
  } else {
    backend = { kind: 'fixtures', ...(v.fixtures ? { dir: v.fixtures } : {}) };
  }

  const profiles = list(v.profile ?? env.SUPPORT_MCP_PROFILE);
  if (profiles.length === 0) profiles.push('support');
  const unknownProfile = profiles.find((p) => !profileNames.includes(p));
  if (unknownProfile) throw new ConfigError(`unknown profile '${unknownProfile}' (available: ${profileNames.join(', ')})`);

  const logLevel = (v['log-level'] ?? env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`invalid log level '${logLevel}' (expected ${LOG_LEVELS.join('|')})`);
  }
  return {
    backend,
    profiles,
    readOnly: v['read-only'] ?? truthy(env.MCP_READ_ONLY),
    tools: list(v.tools ?? env.MCP_TOOLS),
    excludeTools: list(v['exclude-tools'] ?? env.MCP_EXCLUDE_TOOLS),
    logLevel: logLevel as LogLevel,
    logToolArgs: v['log-tool-args'] ?? truthy(env.LOG_TOOL_ARGS),
  };
}

export async function openRepository(backend: ServeConfig['backend'], readOnly: boolean): Promise<SupportRepository> {
  if (backend.kind === 'fixtures') {
    const { FixtureRepository } = await import('../repository/fixtures/index.js');
    return FixtureRepository.load(backend.dir);
  }
  // Loaded only on this path: the fixture-backed server never loads pg or kysely.
  const { createPostgresRepository } = await import('../repository/postgres/index.js');
  return createPostgresRepository({ connectionString: backend.url, readOnly });
}

export async function runServeCommand(argv: string[], env: NodeJS.ProcessEnv, usage: string): Promise<number> {
  const { PROFILES } = await import('../tools/profiles.js');
  const config = resolveServeConfig(argv, env, Object.keys(PROFILES));
  if (config === 'help') {
    process.stdout.write(`${usage}\n${SERVE_HELP}`);
    return 0;
  }
  if (config === 'version') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { selectTools, SelectionError } = await import('../server/selection.js');
  let selection;
  try {
    selection = selectTools(config.profiles.map((p) => PROFILES[p]!), {
      readOnly: config.readOnly, tools: config.tools, excludeTools: config.excludeTools,
    });
  } catch (err) {
    if (err instanceof SelectionError) throw new ConfigError(err.message);
    throw err;
  }
  if (config.backend.kind === 'fixtures' && config.backend.dir !== undefined && !existsSync(config.backend.dir)) {
    throw new ConfigError(`fixtures directory not found: ${config.backend.dir}`);
  }
  const [{ createSupportServer }, { serveStdio }] = await Promise.all([
    import('../server/create-server.js'),
    import('../transports/stdio.js'),
  ]);
  // The logger, services and data store load while the client's `initialize` is answered;
  // tool calls wait for them. A data set that fails to load is still a configuration error:
  // one line, exit 2.
  const logger = import('../logging/logger.js').then((m) => m.createLogger(config.logLevel));
  const repo = openRepository(config.backend, config.readOnly);
  repo.catch((err: unknown) => {
    process.stderr.write(`support-mcp: ${(err as Error).message}\n`);
    process.exit(2);
  });
  const deps = (async () => {
    const [{ SupportService }, log, store] = await Promise.all([import('../services/support-service.js'), logger, repo]);
    log.info(
      { backend: config.backend.kind, profiles: config.profiles, tools: selection.map((s) => s.tool.name), read_only: config.readOnly },
      'starting',
    );
    if (config.backend.kind === 'postgres') {
      // Not fatal: calls answer DATABASE_ERROR until the database is back.
      store.ping().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'database not reachable at start-up'));
    }
    return { support: new SupportService(store), logger: log, logToolArgs: config.logToolArgs };
  })();
  const server = createSupportServer({ selection, deps, defaultConversationId: `stdio-${randomUUID()}` });
  await serveStdio({ server, logger, onShutdown: async () => (await repo).close() });
  return 0;
}
