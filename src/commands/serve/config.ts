// `support-mcp [serve]` configuration: the option table's values (flags > environment >
// defaults) assembled into what the composition root needs, and the policy once the
// profiles are known.
import type { LogLevel } from '../../logging/logger.js';
import type { PolicyConfig } from '../../services/policy.js';
import { parseBusinessHours } from '../../services/business-hours.js';
import { DEFAULT_CALLBACK_POLICY } from '../../services/callbacks.js';
import type { Profile } from '../../tools/profile.js';
import { ConfigError } from '../errors.js';
import { readOptions, type Options } from '../options/define.js';
import { SERVE_OPTIONS, type ServeOptions } from './options.js';
import { transportFor, type TransportName } from './transports.js';
import { resolveOAuthConfig, type OAuthConfig } from './oauth.js';

export interface HttpConfig {
  host: string;
  port: number;
  stateful: boolean;
  /** Entries as given (comma-separated, repeatable flag or MCP_AUTH_TOKEN). */
  authTokens: string[];
  allowedHosts?: string[];
  allowedOrigins?: string[];
  maxBodyBytes: number;
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  sessionIdleTtlMs: number;
  maxSessions: number;
  /** OAuth resource server (--oauth-issuer …); see oauth.ts. */
  oauth?: OAuthConfig;
}

/** The options resolveOAuthConfig checks together. */
const OAUTH_OPTIONS = ['oauth-issuer', 'oauth-audience', 'oauth-jwks-url', 'oauth-customer-claim', 'oauth-scopes', 'public-url'] as const;

export type BackendConfig = { kind: 'fixtures'; dir?: string } | {
  kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number; migrate: boolean; preparedStatements: boolean;
};

export interface ServeConfig {
  transport: TransportName;
  http: HttpConfig;
  backend: BackendConfig;
  profiles: string[];
  readOnly: boolean;
  tools: string[];
  excludeTools: string[];
  logLevel: LogLevel;
  logToolArgs: boolean;
  policy: PolicyFlags;
  /** stdio: port of the GET /metrics endpoint (0: any free port); undefined: off. */
  metricsPort?: number;
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
  returnWindowDays: number;
  outboxFile?: string;
  /** Business hours of callbacks ("Mon-Fri 09:00-17:00"). */
  callbackHours?: string;
}

type Read = Options<ServeOptions>;

// Options are validated as they are read below, so the order here decides which mistake is
// reported first when there are several (kept as it was before the option table).
function backendOf(o: Read): BackendConfig {
  if (o.given('fixtures')) {
    if (o.given('database-url')) throw new ConfigError('--fixtures and --database-url cannot be combined: choose one backend');
    const dir = o.get('fixtures');
    return { kind: 'fixtures', ...(dir ? { dir } : {}) };
  }
  const url = o.get('database-url'); // DATABASE_URL only counts without --fixtures
  if (!url) return { kind: 'fixtures' };
  return {
    kind: 'postgres', url, poolSize: o.get('db-pool-size'), statementTimeoutMs: o.get('db-statement-timeout-ms'), migrate: o.get('migrate'),
    preparedStatements: o.get('db-prepare') === 'on',
  };
}

function httpOf(o: Read): HttpConfig {
  const host = o.get('host');
  const authTokens = o.get('auth-token');
  const allowedHosts = o.get('allowed-hosts');
  const allowedOrigins = o.get('allowed-origins');
  return {
    host,
    port: o.get('port'),
    stateful: o.get('stateful'),
    authTokens,
    ...(allowedHosts.length ? { allowedHosts } : {}),
    ...(allowedOrigins.length ? { allowedOrigins } : {}),
    maxBodyBytes: o.get('max-body-bytes'),
    rateLimitPerMinute: o.get('rate-limit'),
    requestTimeoutMs: o.get('request-timeout-ms'),
    sessionIdleTtlMs: o.get('session-ttl-ms'),
    maxSessions: o.get('max-sessions'),
  };
}

function policyOf(o: Read): PolicyFlags {
  const access = o.get('access');
  const limits = o.get('limits');
  const secret = o.get('verification-secret');
  const flags: PolicyFlags = {
    ...(access ? { access } : {}),
    ...(limits ? { limits: limits === 'on' || limits === 'true' } : {}),
    limitConversationPerMinute: o.get('limit-conversation'),
    limitCustomerPerHour: o.get('limit-customer'),
    limitGlobalPerHour: o.get('limit-global'),
    limitVerificationPerHour: o.get('limit-verification'),
    ...(secret ? { verificationSecret: secret } : {}),
    challengeTtlMs: o.get('challenge-ttl-ms'),
    verifiedTtlMs: o.get('verified-ttl-ms'),
    maxAttempts: o.get('max-attempts'),
    returnWindowDays: o.get('return-window-days'),
  };
  const outboxFile = o.get('outbox-file');
  const callbackHours = o.get('callback-hours');
  return { ...flags, ...(outboxFile ? { outboxFile } : {}), ...(callbackHours ? { callbackHours } : {}) };
}

function metricsPortOf(o: Read, http: HttpConfig): { metricsPort?: number } {
  const raw = o.get('metrics-port');
  if (!raw) return {};
  const loopback = ['localhost', '::1', '[::1]'].includes(http.host) || http.host.startsWith('127.');
  if (!loopback && http.authTokens.length === 0) {
    throw new ConfigError(`refusing to serve metrics on ${http.host} without authentication: set --auth-token or MCP_AUTH_TOKEN (or bind to 127.0.0.1)`);
  }
  return { metricsPort: Number(raw) };
}

export function resolveServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig | 'help' | 'version' {
  const o = readOptions(SERVE_OPTIONS, argv, env, 'support-mcp --help');
  if (o.help) return 'help';
  if (o.version) return 'version';
  const backend = backendOf(o);
  const profiles = o.get('profile');
  const logLevel = o.get('log-level');
  const transport = o.get('transport');
  const http = httpOf(o);
  // The OAuth settings are read from the table and checked together (they depend on each other).
  const oauth = resolveOAuthConfig(Object.fromEntries(OAUTH_OPTIONS.map((name) => [name, o.get(name)])), {}, transport, http.host);
  if (oauth) http.oauth = oauth;
  const policy = policyOf(o);
  const config: ServeConfig = {
    transport,
    http,
    backend,
    profiles,
    readOnly: o.get('read-only'),
    tools: o.get('tools'),
    excludeTools: o.get('exclude-tools'),
    logLevel,
    logToolArgs: o.get('log-tool-args'),
    policy,
    ...metricsPortOf(o, http),
  };
  transportFor(transport).check?.(config);
  return config;
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
    returnWindowDays: flags.returnWindowDays,
    ...(flags.callbackHours ? { callbacks: { ...DEFAULT_CALLBACK_POLICY, hours: parseBusinessHours(flags.callbackHours) } } : {}),
  };
}
