// `support-mcp [serve]`: resolves configuration (serve/config.ts, from the option table in
// serve/options.ts), builds the repository, services and tool selection, and starts the
// chosen transport (serve/transports.ts). Composition root.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { PostgresRepository } from '../repository/postgres/repository.js';
import type { SupportRepository } from '../repository/types.js';
import { combinedInstructions } from '../tools/profile.js';
import { loadProfiles } from '../tools/profiles.js';
import { ConfigError } from './errors.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestObserver } from '../observability/instrument.js';
import type { Metrics } from '../observability/metrics.js';
import { resolvePolicy, resolveServeConfig, type BackendConfig, type ServeConfig } from './serve/config.js';
import { transportFor } from './serve/transports.js';

export async function openRepository(
  backend: BackendConfig,
  readOnly: boolean,
  onPoolError?: (err: Error) => void,
): Promise<SupportRepository> {
  if (backend.kind === 'fixtures') {
    const { FixtureRepository } = await import('../repository/fixtures/index.js');
    return FixtureRepository.load(backend.dir);
  }
  // Loaded only on this path: the fixture-backed server never loads pg or kysely.
  const { createPostgresRepository } = await import('../repository/postgres/index.js');
  return createPostgresRepository({
    connectionString: backend.url, readOnly, max: backend.poolSize, statementTimeoutMs: backend.statementTimeoutMs,
    preparedStatements: backend.preparedStatements,
    ...(onPoolError ? { onError: onPoolError } : {}),
  });
}

const HELP_FOOTER = `  --help, --version
Logs are JSON lines on stderr; stdout carries only MCP messages.
`;

export async function runServeCommand(argv: string[], env: NodeJS.ProcessEnv, usage: string): Promise<number> {
  const config = resolveServeConfig(argv, env);
  if (config === 'help') {
    const [{ renderHelp }, { SERVE_OPTIONS, SERVE_GROUPS }] = await Promise.all([import('./options/render.js'), import('./serve/options.js')]);
    process.stdout.write(`${usage}\n${renderHelp(SERVE_OPTIONS, SERVE_GROUPS)}${HELP_FOOTER}`);
    return 0;
  }
  if (config === 'version') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { selectTools, SelectionError, withConversationArgument } = await import('../server/selection.js');
  const profiles = await loadProfiles(config.profiles);
  const instructions = combinedInstructions(profiles);
  const policy = resolvePolicy(config.policy, profiles, () => randomBytes(32).toString('hex'));
  // Stateless HTTP has no session: with verified access a conversation is an explicit
  // conversation_id argument of every tool (see README "Security model").
  const conversationArgument = config.transport === 'http' && !config.http.stateful && policy.access === 'verified';
  let selection;
  try {
    selection = selectTools(profiles, {
      readOnly: config.readOnly, tools: config.tools, excludeTools: config.excludeTools,
    });
    if (conversationArgument) selection = withConversationArgument(selection);
  } catch (err) {
    if (err instanceof SelectionError) throw new ConfigError(err.message);
    throw err;
  }
  if (config.backend.kind === 'fixtures' && config.backend.dir !== undefined && !existsSync(config.backend.dir)) {
    throw new ConfigError(`fixtures directory not found: ${config.backend.dir}`);
  }
  const [{ createSupportServer }, start, { promptsFor }] = await Promise.all([
    import('../server/create-server.js'),
    transportFor(config.transport).load(),
    import('../server/prompts.js'),
  ]);
  const prompts = promptsFor(config.profiles, selection); // the agent's operating rules per profile
  // Observability (issue 16): metrics on the HTTP transport and with --metrics-port; every MCP
  // request observed at the transport (observability/instrument.ts). Nothing loads without them.
  const observability = await loadObservability(config, env, [...selection.map((s) => s.tool.name), ...prompts.map((p) => p.name)]);
  // The logger, services and data store load while the client's `initialize` is answered;
  // tool calls wait for them. A data set that fails to load is still a configuration error:
  // one line, exit 2.
  const logger = import('../logging/logger.js').then((m) => m.createLogger(config.logLevel));
  // Idle-connection errors (database restart) are logged as JSON like everything else.
  const repo = openRepository(config.backend, config.readOnly, (err) => {
    void logger.then((l) => l.warn({ err: err.message }, 'idle Postgres connection error'));
  }).then(async (store) => {
    // Is the schema the one this binary knows? Not migrated / pending / newer: one line, exit 2
    // (--migrate applies them); unreachable: logged with host, port and reason, served anyway.
    const backend = config.backend;
    if (backend.kind === 'postgres') {
      const { checkDatabaseAtStart } = await import('./serve/database.js');
      await checkDatabaseAtStart({ db: (store as PostgresRepository).db, url: backend.url, migrate: backend.migrate, readOnly: config.readOnly, logger: await logger });
    }
    return store;
  });
  repo.catch((err: unknown) => {
    process.stderr.write(`support-mcp: ${(err as Error).message}\n`);
    process.exit(2);
  });
  const deps = (async () => {
    const [{ ServiceHub }, { Outbox, DEFAULT_OUTBOX_FILE }, log, store] = await Promise.all([
      import('../services/hub.js'), import('../services/outbox.js'), logger, repo,
    ]);
    log.info(
      { backend: config.backend.kind, profiles: config.profiles, tools: selection.map((s) => s.tool.name), read_only: config.readOnly },
      'starting',
    );
    if (!config.policy.verificationSecret && config.backend.kind === 'postgres') {
      log.warn('no --verification-secret / SUPPORT_MCP_SECRET: one-time codes are hashed with a per-process key, so replicas cannot check each other\'s codes');
    }
    log.info({ access: policy.access, rate_limits: policy.rateLimits !== null }, 'policy');
    if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) log.info('tracing: spans are exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)');
    // Fixtures mode: codes also go to a file that `support-mcp outbox` (another process) reads.
    const outboxFile = config.backend.kind === 'fixtures' ? (config.policy.outboxFile ?? DEFAULT_OUTBOX_FILE) : null;
    const outbox = new Outbox(store, {
      file: outboxFile,
      onFileError: (err) => log.warn({ err: err.message, outbox_file: outboxFile }, 'could not append to the outbox file'),
    });
    if (outboxFile !== null && policy.access === 'verified') log.info({ outbox_file: outboxFile }, 'one-time codes are written to the outbox file (support-mcp outbox)');
    const hub = new ServiceHub({ repo: store, policy, outbox, conversationArgument, logger: log });
    if (observability.metrics) {
      const pools = config.backend.kind === 'postgres' ? (await import('../repository/postgres/pool.js')).poolStats : undefined;
      observability.metrics.setSources({
        audit: () => (hub.audit ? { pending: hub.audit.pending, dropped: hub.audit.dropped } : null),
        ...(pools ? { pools } : {}),
      });
    }
    return { hub, logger: log, logToolArgs: config.logToolArgs };
  })();
  await start({
    config,
    makeServer: (conversationId, principal) => observability.observe(createSupportServer({ selection, deps, instructions, prompts, defaultConversationId: conversationId, principal })),
    ...(observability.metrics ? { metrics: observability.metrics } : {}),
    recordRefusedSession: (transport, principal, sessionId) => void deps.then(({ hub }) => hub.recordRefusedSession(transport, principal, sessionId)),
    started: deps,
    logger,
    ready: async () => {
      const store = await repo;
      await store.ping();
      if (config.backend.kind === 'postgres') await (await import('./serve/database.js')).schemaReady((store as PostgresRepository).db);
    },
    close: async () => {
      await (await deps).hub.close();
      await observability.shutdown();
    },
    selection,
  });
  return 0;
}

interface Observability {
  metrics?: Metrics;
  observe: (server: McpServer) => McpServer;
  /** Flushes traces on shutdown. */
  shutdown: () => Promise<void>;
}

/**
 * Metrics (HTTP transport, --metrics-port) and traces (only with OTEL_EXPORTER_OTLP_ENDPOINT),
 * fed by one request observer at the transport. Neither: nothing is loaded or wrapped.
 */
async function loadObservability(config: ServeConfig, env: NodeJS.ProcessEnv, names: string[]): Promise<Observability> {
  const metrics = config.transport === 'http' || config.metricsPort !== undefined
    ? (await import('../observability/metrics.js')).createMetrics()
    : undefined;
  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const tracing = otlp
    ? await (await import('../observability/tracing.js')).createTracing({ networkTransport: config.transport === 'stdio' ? 'pipe' : 'tcp' })
    : undefined;
  const observers: RequestObserver[] = [...(tracing ? [tracing] : []), ...(metrics ? [metrics] : [])];
  const shutdown = async () => {
    await tracing?.shutdown().catch(() => undefined);
  };
  if (observers.length === 0) return { observe: (server) => server, shutdown };
  const { observeServer } = await import('../observability/instrument.js');
  const known = new Set(names);
  return { ...(metrics ? { metrics } : {}), observe: (server) => observeServer(server, observers, known), shutdown };
}
