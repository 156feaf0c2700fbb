// `support-mcp [serve]`: resolves configuration (flags > environment > defaults), builds the
// repository, services and tool selection, and starts the transport. Composition root.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { LOG_LEVELS } from '../logging/levels.js';
import type { LogLevel } from '../logging/logger.js';
import type { SupportRepository } from '../repository/types.js';
import type { PolicyConfig } from '../services/policy.js';
import type { Profile } from '../tools/profile.js';

// Kept here (not imported from transports/http.ts) so configuration parsing stays light.
const isLoopbackHost = (host: string): boolean => ['localhost', '::1', '[::1]'].includes(host) || host.startsWith('127.');
import { assertPostgresUrl, ConfigError, parseCommandArgs } from './errors.js';
import { parseStaticTokens } from '../transports/static-tokens.js';
import { ANONYMOUS_PRINCIPAL, STDIO_PRINCIPAL } from '../domain/principal.js';
import { resolveOAuthConfig, type OAuthConfig } from './serve-oauth.js';

export interface HttpConfig {
  host: string;
  port: number;
  stateful: boolean;
  authTokens: string[];
  allowedHosts?: string[];
  allowedOrigins?: string[];
  maxBodyBytes: number;
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  sessionIdleTtlMs: number;
  maxSessions: number;
  /** OAuth resource server (--oauth-issuer …); see serve-oauth.ts. */
  oauth?: OAuthConfig;
}

export interface ServeConfig {
  transport: 'stdio' | 'http';
  http: HttpConfig;
  backend: { kind: 'fixtures'; dir?: string } | { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number };
  profiles: string[];
  readOnly: boolean;
  tools: string[];
  excludeTools: string[];
  logLevel: LogLevel;
  logToolArgs: boolean;
  policy: PolicyFlags;
}

/** Policy settings as given; profile defaults are applied once the profiles are known. */
export interface PolicyFlags {
  access?: 'open' | 'verified';
  limits?: boolean;
  limitConversationPerMinute: number;
  limitCustomerPerHour: number;
  limitGlobalPerHour: number;
  limitVerificationPerHour: number;
  verificationSecret?: string;
  challengeTtlMs: number;
  verifiedTtlMs: number;
  maxAttempts: number;
  outboxFile?: string;
}

const SERVE_HELP = `Options (each has an environment variable; flags win):
  --fixtures [DIR]         serve the in-memory demo data (default when no database is configured)
  --database-url URL       serve from Postgres                               DATABASE_URL
  --db-pool-size N         Postgres connections per process (10)             DATABASE_POOL_SIZE
  --db-statement-timeout-ms N  longest query; a server that stops answering    DATABASE_STATEMENT_TIMEOUT_MS
                           fails the call 2 s later (30000; 0: no limit)
  --profile NAME[,NAME]    tool profile(s) (default: support)                SUPPORT_MCP_PROFILE
  --read-only              drop tools that change customer data              MCP_READ_ONLY=true
  --tools a,b              expose only these tools                           MCP_TOOLS
  --exclude-tools a,b      hide these tools                                  MCP_EXCLUDE_TOOLS
  --log-level LEVEL        fatal|error|warn|info|debug|trace|silent (info)   LOG_LEVEL
  --log-tool-args          include redacted tool arguments in logs           LOG_TOOL_ARGS=true
  --transport stdio|http   how clients connect (stdio)                       MCP_TRANSPORT
Policy (see README "Security model"):
  --access open|verified   customer data only after identity verification   SUPPORT_MCP_ACCESS
                           (default: verified for support/banking, else open)
  --limits on|off          tool-call rate limits (default: on for support/banking) SUPPORT_MCP_LIMITS
  --limit-conversation N   calls per minute per conversation (10)            SUPPORT_MCP_LIMIT_CONVERSATION
  --limit-customer N       calls per hour per customer (20)                  SUPPORT_MCP_LIMIT_CUSTOMER
  --limit-global N         calls per hour in total (1000)                    SUPPORT_MCP_LIMIT_GLOBAL
  --limit-verification N   verification calls per hour per customer (10)     SUPPORT_MCP_LIMIT_VERIFICATION
  --verification-secret S  HMAC key for one-time codes; share it between replicas  SUPPORT_MCP_SECRET
  --challenge-ttl-ms N     one-time code / KBA challenge lifetime (600000)   SUPPORT_MCP_CHALLENGE_TTL_MS
  --verified-ttl-ms N      how long a verification unlocks a customer (1800000) SUPPORT_MCP_VERIFIED_TTL_MS
  --max-attempts N         wrong answers before a challenge fails (5)        SUPPORT_MCP_MAX_ATTEMPTS
  --outbox-file PATH       fixtures mode: where codes to deliver are written SUPPORT_MCP_OUTBOX_FILE
HTTP (Streamable HTTP at /mcp, legacy SSE at /sse, probes at /healthz and /readyz):
  --host ADDR              bind address (127.0.0.1)                          MCP_HOST
  --port N                 port, 0 = any free port (3000)                    MCP_PORT
  --stateful               sessions (Mcp-Session-Id) instead of stateless    MCP_STATEFUL=true
  --auth-token [NAME=]T[,…] accepted bearer tokens (required off loopback); MCP_AUTH_TOKEN
                           tokens sharing a NAME are one principal (rotation)
  --allowed-hosts h[,h]    Host header allow-list (loopback names)           MCP_ALLOWED_HOSTS
  --allowed-origins o[,o]  browser Origin allow-list (loopback origins)      MCP_ALLOWED_ORIGINS
  --max-body-bytes N       request body cap, 413 above it (1000000)          MCP_MAX_BODY_BYTES
  --rate-limit N           requests per minute per client, 429 above (600)   MCP_RATE_LIMIT
  --request-timeout-ms N   deadline for one request, 504 after it (30000)    MCP_REQUEST_TIMEOUT_MS
  --session-ttl-ms N       idle stateful session lifetime (1800000)          MCP_SESSION_TTL_MS
  --max-sessions N         live stateful/SSE sessions (1000)                 MCP_MAX_SESSIONS
OAuth resource server (README "Remote deployments with OAuth"):
  --oauth-issuer URL       accept JWT access tokens from this issuer          MCP_OAUTH_ISSUER
  --oauth-audience URI     accepted aud (default: PUBLIC-URL/mcp)             MCP_OAUTH_AUDIENCE
  --oauth-jwks-url URL     the issuer's keys (default: from discovery)        MCP_OAUTH_JWKS_URL
  --oauth-customer-claim C claim binding a token to a customer (customer_id)  MCP_OAUTH_CUSTOMER_CLAIM
  --oauth-scopes read=S,write=S,verify=S  scope names (support:read, …)       MCP_OAUTH_SCOPES
  --public-url URL         base URL clients use (http://HOST:PORT)            MCP_PUBLIC_URL
  --help, --version
Logs are JSON lines on stderr; stdout carries only MCP messages.
`;

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** `--fixtures` takes an optional directory: rewrite a bare one so parseArgs accepts it. */
const expandOptionalValues = (argv: string[]): string[] =>
  argv.flatMap((a, i) => (a === '--fixtures' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) ? ['--fixtures='] : [a]));

export function resolveServeConfig(argv: string[], env: NodeJS.ProcessEnv, profileNames: string[]): ServeConfig | 'help' | 'version' {
  const parsed = parseCommandArgs({
    args: expandOptionalValues(argv),
    allowPositionals: false,
    strict: true,
    options: {
      fixtures: { type: 'string' },
      'database-url': { type: 'string' },
      'db-pool-size': { type: 'string' },
      'db-statement-timeout-ms': { type: 'string' },
      profile: { type: 'string' },
      'read-only': { type: 'boolean' },
      tools: { type: 'string' },
      'exclude-tools': { type: 'string' },
      'log-level': { type: 'string' },
      'log-tool-args': { type: 'boolean' },
      transport: { type: 'string' },
      access: { type: 'string' },
      limits: { type: 'string' },
      'limit-conversation': { type: 'string' },
      'limit-customer': { type: 'string' },
      'limit-global': { type: 'string' },
      'limit-verification': { type: 'string' },
      'verification-secret': { type: 'string' },
      'challenge-ttl-ms': { type: 'string' },
      'verified-ttl-ms': { type: 'string' },
      'max-attempts': { type: 'string' },
      'outbox-file': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      stateful: { type: 'boolean' },
      'auth-token': { type: 'string', multiple: true },
      'allowed-hosts': { type: 'string' },
      'allowed-origins': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'rate-limit': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'session-ttl-ms': { type: 'string' },
      'max-sessions': { type: 'string' },
      'oauth-issuer': { type: 'string' },
      'oauth-audience': { type: 'string' },
      'oauth-jwks-url': { type: 'string' },
      'oauth-customer-claim': { type: 'string' },
      'oauth-scopes': { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  }, 'support-mcp --help');
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';

  const dbUrl = v['database-url'] ?? (v.fixtures === undefined ? env.DATABASE_URL : undefined);
  if (v.fixtures !== undefined && v['database-url'] !== undefined) {
    throw new ConfigError('--fixtures and --database-url cannot be combined: choose one backend');
  }
  let backend: ServeConfig['backend'];
  if (dbUrl) {
    assertPostgresUrl(dbUrl);
    const rawPool = v['db-pool-size'] ?? env.DATABASE_POOL_SIZE;
    const poolSize = rawPool === undefined ? 10 : Number(rawPool);
    if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 200) {
      throw new ConfigError(`--db-pool-size must be an integer from 1 to 200, got '${rawPool}'`);
    }
    const rawTimeout = v['db-statement-timeout-ms'] ?? env.DATABASE_STATEMENT_TIMEOUT_MS;
    const statementTimeoutMs = rawTimeout === undefined ? 30_000 : Number(rawTimeout);
    if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 0 || statementTimeoutMs > 3_600_000) {
      throw new ConfigError(`--db-statement-timeout-ms must be an integer from 0 to 3600000, got '${rawTimeout}'`);
    }
    backend = { kind: 'postgres', url: dbUrl, poolSize, statementTimeoutMs };
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
  const transport = (v.transport ?? env.MCP_TRANSPORT ?? 'stdio').toLowerCase();
  if (transport !== 'stdio' && transport !== 'http') throw new ConfigError(`invalid transport '${transport}' (expected stdio or http)`);
  const int = (flag: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${flag} must be an integer from ${min} to ${max}, got '${raw}'`);
    return n;
  };
  const host = v.host ?? env.MCP_HOST ?? '127.0.0.1';
  const authTokens = [...(v['auth-token'] ?? []).flatMap(list), ...(v['auth-token'] ? [] : list(env.MCP_AUTH_TOKEN))];
  try {
    parseStaticTokens(authTokens); // checked here so a bad token stops start-up with exit 2
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const allowedHosts = list(v['allowed-hosts'] ?? env.MCP_ALLOWED_HOSTS);
  const allowedOrigins = list(v['allowed-origins'] ?? env.MCP_ALLOWED_ORIGINS);
  const http: HttpConfig = {
    host,
    port: int('port', v.port ?? env.MCP_PORT, 3000, 0, 65535),
    stateful: v.stateful ?? truthy(env.MCP_STATEFUL),
    authTokens,
    ...(allowedHosts.length ? { allowedHosts } : {}),
    ...(allowedOrigins.length ? { allowedOrigins } : {}),
    maxBodyBytes: int('max-body-bytes', v['max-body-bytes'] ?? env.MCP_MAX_BODY_BYTES, 1_000_000, 1_024, 100_000_000),
    rateLimitPerMinute: int('rate-limit', v['rate-limit'] ?? env.MCP_RATE_LIMIT, 600, 1, 1_000_000),
    requestTimeoutMs: int('request-timeout-ms', v['request-timeout-ms'] ?? env.MCP_REQUEST_TIMEOUT_MS, 30_000, 100, 600_000),
    sessionIdleTtlMs: int('session-ttl-ms', v['session-ttl-ms'] ?? env.MCP_SESSION_TTL_MS, 1_800_000, 1_000, 86_400_000),
    maxSessions: int('max-sessions', v['max-sessions'] ?? env.MCP_MAX_SESSIONS, 1000, 1, 1_000_000),
  };
  const oauth = resolveOAuthConfig(v, env, transport, host);
  if (oauth) http.oauth = oauth;
  const access = v.access ?? env.SUPPORT_MCP_ACCESS;
  if (access !== undefined && access !== 'open' && access !== 'verified') {
    throw new ConfigError(`invalid --access '${access}' (expected open or verified)`);
  }
  const limitsRaw = (v.limits ?? env.SUPPORT_MCP_LIMITS)?.toLowerCase();
  if (limitsRaw !== undefined && !['on', 'off', 'true', 'false'].includes(limitsRaw)) {
    throw new ConfigError(`invalid --limits '${limitsRaw}' (expected on or off)`);
  }
  const secret = v['verification-secret'] ?? env.SUPPORT_MCP_SECRET;
  if (secret !== undefined && secret.length < 16) throw new ConfigError('the verification secret must be at least 16 characters');
  const policy: PolicyFlags = {
    ...(access ? { access } : {}),
    ...(limitsRaw ? { limits: limitsRaw === 'on' || limitsRaw === 'true' } : {}),
    limitConversationPerMinute: int('limit-conversation', v['limit-conversation'] ?? env.SUPPORT_MCP_LIMIT_CONVERSATION, 10, 1, 1_000_000),
    limitCustomerPerHour: int('limit-customer', v['limit-customer'] ?? env.SUPPORT_MCP_LIMIT_CUSTOMER, 20, 1, 1_000_000),
    limitGlobalPerHour: int('limit-global', v['limit-global'] ?? env.SUPPORT_MCP_LIMIT_GLOBAL, 1000, 1, 100_000_000),
    limitVerificationPerHour: int('limit-verification', v['limit-verification'] ?? env.SUPPORT_MCP_LIMIT_VERIFICATION, 10, 1, 1_000_000),
    ...(secret ? { verificationSecret: secret } : {}),
    challengeTtlMs: int('challenge-ttl-ms', v['challenge-ttl-ms'] ?? env.SUPPORT_MCP_CHALLENGE_TTL_MS, 600_000, 1_000, 86_400_000),
    verifiedTtlMs: int('verified-ttl-ms', v['verified-ttl-ms'] ?? env.SUPPORT_MCP_VERIFIED_TTL_MS, 1_800_000, 1_000, 86_400_000),
    maxAttempts: int('max-attempts', v['max-attempts'] ?? env.SUPPORT_MCP_MAX_ATTEMPTS, 5, 1, 100),
    ...((v['outbox-file'] ?? env.SUPPORT_MCP_OUTBOX_FILE) ? { outboxFile: (v['outbox-file'] ?? env.SUPPORT_MCP_OUTBOX_FILE)! } : {}),
  };
  if (transport === 'http' && !isLoopbackHost(host) && authTokens.length === 0 && !oauth) {
    throw new ConfigError(`refusing to listen on ${host} without authentication: set --oauth-issuer, --auth-token or MCP_AUTH_TOKEN (or bind to 127.0.0.1)`);
  }
  return {
    transport,
    http,
    backend,
    profiles,
    readOnly: v['read-only'] ?? truthy(env.MCP_READ_ONLY),
    tools: list(v.tools ?? env.MCP_TOOLS),
    excludeTools: list(v['exclude-tools'] ?? env.MCP_EXCLUDE_TOOLS),
    logLevel: logLevel as LogLevel,
    logToolArgs: v['log-tool-args'] ?? truthy(env.LOG_TOOL_ARGS),
    policy,
  };
}

/** Flags plus profile defaults → the policy the services enforce. The strictest profile wins. */
export function resolvePolicy(flags: PolicyFlags, profiles: Profile[], randomSecret: () => string): PolicyConfig {
  const access = flags.access ?? (profiles.some((p) => p.defaultAccess === 'verified') ? 'verified' : 'open');
  const limits = flags.limits ?? profiles.some((p) => p.defaultRateLimits);
  return {
    access,
    rateLimits: limits
      ? {
          perConversationPerMinute: flags.limitConversationPerMinute,
          perCustomerPerHour: flags.limitCustomerPerHour,
          globalPerHour: flags.limitGlobalPerHour,
          verificationPerCustomerPerHour: flags.limitVerificationPerHour,
        }
      : null,
    verification: {
      challengeTtlMs: flags.challengeTtlMs,
      verifiedTtlMs: flags.verifiedTtlMs,
      maxAttempts: flags.maxAttempts,
      secret: flags.verificationSecret ?? randomSecret(),
    },
    audit: { enabled: true, flushIntervalMs: 1000 },
  };
}

export async function openRepository(
  backend: ServeConfig['backend'],
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
    ...(onPoolError ? { onError: onPoolError } : {}),
  });
}

export async function runServeCommand(argv: string[], env: NodeJS.ProcessEnv, usage: string): Promise<number> {
  const { PROFILE_LOADERS } = await import('../tools/profile-loaders.js');
  const config = resolveServeConfig(argv, env, Object.keys(PROFILE_LOADERS));
  if (config === 'help') {
    process.stdout.write(`${usage}\n${SERVE_HELP}`);
    return 0;
  }
  if (config === 'version') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { selectTools, SelectionError, withConversationArgument } = await import('../server/selection.js');
  const profiles = await Promise.all(config.profiles.map((p) => PROFILE_LOADERS[p]!()));
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
  const [{ createSupportServer }, { serveStdio }] = await Promise.all([
    import('../server/create-server.js'),
    import('../transports/stdio.js'),
  ]);
  // The logger, services and data store load while the client's `initialize` is answered;
  // tool calls wait for them. A data set that fails to load is still a configuration error:
  // one line, exit 2.
  const logger = import('../logging/logger.js').then((m) => m.createLogger(config.logLevel));
  // Idle-connection errors (database restart) are logged as JSON like everything else.
  const repo = openRepository(config.backend, config.readOnly, (err) => {
    void logger.then((l) => l.warn({ err: err.message }, 'idle Postgres connection error'));
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
    if (config.backend.kind === 'postgres') {
      // Not fatal: calls answer DATABASE_ERROR until the database is back.
      store.ping().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'database not reachable at start-up'));
    }
    if (!config.policy.verificationSecret && config.backend.kind === 'postgres') {
      log.warn('no --verification-secret / SUPPORT_MCP_SECRET: one-time codes are hashed with a per-process key, so replicas cannot check each other\'s codes');
    }
    log.info({ access: policy.access, rate_limits: policy.rateLimits !== null }, 'policy');
    // Fixtures mode: codes also go to a file that `support-mcp outbox` (another process) reads.
    const outboxFile = config.backend.kind === 'fixtures' ? (config.policy.outboxFile ?? DEFAULT_OUTBOX_FILE) : null;
    const outbox = new Outbox(store, {
      file: outboxFile,
      onFileError: (err) => log.warn({ err: err.message, outbox_file: outboxFile }, 'could not append to the outbox file'),
    });
    if (outboxFile !== null && policy.access === 'verified') log.info({ outbox_file: outboxFile }, 'one-time codes are written to the outbox file (support-mcp outbox)');
    return { hub: new ServiceHub({ repo: store, policy, outbox, conversationArgument, logger: log }), logger: log, logToolArgs: config.logToolArgs };
  })();
  if (config.transport === 'stdio') {
    const server = createSupportServer({ selection, deps, defaultConversationId: `stdio-${randomUUID()}`, principal: STDIO_PRINCIPAL });
    await serveStdio({ server, logger, onShutdown: async () => (await deps).hub.close() });
    return 0;
  }
  const [{ startHttpServer }, { toolScopesOf }, log] = await Promise.all([import('../transports/http.js'), import('./serve-oauth.js'), logger]);
  await deps; // a data set that fails to load must stop start-up before the port opens
  const { oauth, ...httpConfig } = config.http;
  const http = await startHttpServer(
    {
      ...httpConfig, authTokens: parseStaticTokens(config.http.authTokens), shutdownGraceMs: 10_000,
      ...(oauth ? { oauth: { ...oauth, toolScopes: await toolScopesOf(selection, oauth.scopes) } } : {}),
    },
    {
      makeServer: (conversationId) => createSupportServer({ selection, deps, defaultConversationId: conversationId, principal: ANONYMOUS_PRINCIPAL }),
      ready: async () => (await repo).ping(),
      logger: log,
      onRefusedSession: (transport, principal, sessionId) => void deps.then(({ hub }) => hub.recordRefusedSession(transport, principal, sessionId)),
    },
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    await http.close();
    await (await deps).hub.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return 0;
}
