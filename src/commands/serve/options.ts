// Every option of `support-mcp [serve]`, declared once. --help, the parseArgs config, the
// environment resolution and the README's flag tables are all generated from this table
// (README: `npm run docs:options`; test/commands/options-docs.test.ts keeps it in step).
import { LOG_LEVELS } from '../../logging/levels.js';
import { DEFAULT_PROFILE, isProfileName, PROFILE_NAMES } from '../../tools/profiles.js';
import { assertPostgresUrl, ConfigError } from '../errors.js';
import { parseStaticTokens } from '../../transports/static-tokens.js';
import { choice, flag, int, list, splitList, text, type OptionSpec, type OptionTable } from '../options/define.js';
import { TRANSPORT_NAMES } from './transports.js';
import { DEFAULT_BUSINESS_HOURS_TEXT, parseBusinessHours } from '../../services/business-hours.js';

/** Help sections, in order, with their headings; the README has one table per section name. */
export const SERVE_GROUPS = {
  general: 'Options (each has an environment variable; flags win):',
  policy: 'Policy (see README "Security model"):',
  http: 'HTTP (Streamable HTTP at /mcp, legacy SSE at /sse, probes at /healthz and /readyz):',
  oauth: 'OAuth resource server (README "Remote deployments with OAuth"):',
} as const;

const MIN_SECRET = 16;

const profiles: OptionSpec<string[]> = {
  kind: 'string', env: 'SUPPORT_MCP_PROFILE', arg: 'NAME[,NAME]', group: 'general', default: [DEFAULT_PROFILE],
  help: 'tool profile(s) (default: {default})', doc: `tool profile(s): ${PROFILE_NAMES.join(', ')}; several may be combined`,
  read: ({ flag: given, env }) => {
    const names = splitList(typeof given === 'string' ? given : env);
    if (names.length === 0) names.push(DEFAULT_PROFILE);
    const unknown = names.find((p) => !isProfileName(p));
    if (unknown) throw new ConfigError(`unknown profile '${unknown}' (available: ${PROFILE_NAMES.join(', ')})`);
    return names;
  },
};

export const SERVE_OPTIONS = {
  // --- general: data, tools, logs
  fixtures: text({
    arg: '[DIR]', optionalValue: true, group: 'general', defaultText: 'fixtures/',
    help: 'serve the in-memory demo data in DIR ({default}); the default without a database',
    doc: 'serve the in-memory store from DIR (the default when no database is configured)',
  }),
  'database-url': text({
    env: 'DATABASE_URL', arg: 'URL', group: 'general', help: 'serve from Postgres',
    check: (url) => {
      if (url) assertPostgresUrl(url);
    },
  }),
  'db-pool-size': int({
    env: 'DATABASE_POOL_SIZE', arg: 'N', group: 'general', default: 10, min: 1, max: 200, blankIsZero: true,
    help: 'Postgres connections per process',
  }),
  'db-statement-timeout-ms': int({
    env: 'DATABASE_STATEMENT_TIMEOUT_MS', arg: 'N', group: 'general', default: 30_000, min: 0, max: 3_600_000, blankIsZero: true,
    help: 'longest query; a server that stops answering fails the call 2 s later ({default}; 0: no limit)',
    doc: 'longest query (Postgres `statement_timeout`); a database that stops answering fails the call 2 s after it (`DATABASE_ERROR`); 0: no limit',
  }),
  'db-prepare': choice({
    env: 'DATABASE_PREPARED_STATEMENTS', arg: 'on|off', group: 'general', values: ['on', 'off'], default: 'on', lowercase: true,
    help: 'prepared statements (off: PgBouncer < 1.21)',
    doc: 'send queries as named prepared statements, parsed once per connection; `off` behind a pooler that does not keep them per client (PgBouncer in transaction mode before 1.21)',
    invalid: (v) => `invalid --db-prepare '${v}' (expected on or off)`,
  }),
  // issue 16: a database that is not ready says so (serve/database.ts)
  migrate: flag({
    env: 'SUPPORT_MCP_MIGRATE', group: 'general', help: 'apply pending migrations at start (demos, one replica)',
    doc: 'apply pending migrations at start-up (demos, single-replica deployments); without it a database that is not migrated, or is behind this binary, stops start-up with one line naming `support-mcp db migrate` (exit 2)',
  }),
  profile: profiles,
  'read-only': flag({
    env: 'MCP_READ_ONLY', group: 'general', help: 'drop tools that change customer data',
    doc: 'drop every tool that changes customer data (`verify_identity` stays: it writes only verification records; so does `transfer_to_agent`: it writes only the handoff queue, so a person stays reachable); the Postgres data session is read-only too',
  }),
  tools: list({
    env: 'MCP_TOOLS', arg: 'a,b', group: 'general', defaultText: 'all', help: 'expose only these tools',
    doc: 'expose only these tools (unknown names fail at start-up)',
  }),
  'exclude-tools': list({ env: 'MCP_EXCLUDE_TOOLS', arg: 'a,b', group: 'general', defaultText: 'none', help: 'hide these tools' }),
  'log-level': choice({
    env: 'LOG_LEVEL', arg: 'LEVEL', group: 'general', values: LOG_LEVELS, default: 'info', lowercase: true,
    help: `${LOG_LEVELS.join('|')} ({default})`, doc: `how much to log: ${LOG_LEVELS.map((l) => `\`${l}\``).join(', ')}`,
    invalid: (v) => `invalid log level '${v}' (expected ${LOG_LEVELS.join('|')})`,
  }),
  'log-tool-args': flag({
    env: 'LOG_TOOL_ARGS', group: 'general', help: 'include redacted tool arguments in logs',
    doc: 'add tool arguments (with e-mails, phones and codes redacted) to logs',
  }),

  // issue 16: metrics for the stdio server (the HTTP transport serves GET /metrics itself)
  'metrics-port': text({
    env: 'MCP_METRICS_PORT', arg: 'N', group: 'general', defaultText: 'off',
    help: 'stdio: serve Prometheus GET /metrics on this port (loopback, or --host with --auth-token)',
    doc: 'stdio server: serve Prometheus metrics at `GET /metrics` on this port (`0`: any free port, logged), bound to `--host` (loopback by default; anything else requires `--auth-token`, checked like HTTP). The HTTP transport serves `/metrics` on its own port',
    check: (v) => {
      if (v !== '' && !(/^\d+$/.test(v) && Number(v) <= 65_535)) throw new ConfigError(`--metrics-port must be an integer from 0 to 65535, got '${v}'`);
    },
  }),

  // --- policy
  access: choice({
    env: 'SUPPORT_MCP_ACCESS', arg: 'open|verified', group: 'policy', values: ['open', 'verified'],
    defaultText: 'verified for support/banking, else open',
    help: 'customer data only after identity verification',
    doc: 'customer data only after identity verification (see "Security model")',
    invalid: (v) => `invalid --access '${v}' (expected open or verified)`,
  }),
  limits: choice({
    env: 'SUPPORT_MCP_LIMITS', arg: 'on|off', group: 'policy', values: ['on', 'off', 'true', 'false'], lowercase: true,
    defaultText: 'on for support/banking', help: 'tool-call rate limits', doc: 'tool-call rate limits (the `--limit-*` options)',
    invalid: (v) => `invalid --limits '${v}' (expected on or off)`,
  }),
  'limit-conversation': int({
    env: 'SUPPORT_MCP_LIMIT_CONVERSATION', arg: 'N', group: 'policy', default: 10, min: 1, max: 1_000_000,
    help: 'calls per minute per conversation',
  }),
  'limit-customer': int({
    env: 'SUPPORT_MCP_LIMIT_CUSTOMER', arg: 'N', group: 'policy', default: 20, min: 1, max: 1_000_000, help: 'calls per hour per customer',
  }),
  'limit-global': int({
    env: 'SUPPORT_MCP_LIMIT_GLOBAL', arg: 'N', group: 'policy', default: 1000, min: 1, max: 100_000_000, help: 'calls per hour in total',
  }),
  'limit-verification': int({
    env: 'SUPPORT_MCP_LIMIT_VERIFICATION', arg: 'N', group: 'policy', default: 10, min: 1, max: 1_000_000,
    help: 'verification calls per hour per customer',
  }),
  'verification-secret': text({
    env: 'SUPPORT_MCP_SECRET', arg: 'S', group: 'policy', defaultText: 'random per process',
    help: 'HMAC key for one-time codes; share it between replicas',
    doc: 'HMAC key for one-time codes (at least 16 characters); replicas must share it',
    check: (s) => {
      if (s.length < MIN_SECRET) throw new ConfigError(`the verification secret must be at least ${MIN_SECRET} characters`);
    },
  }),
  'challenge-ttl-ms': int({
    env: 'SUPPORT_MCP_CHALLENGE_TTL_MS', arg: 'N', group: 'policy', default: 600_000, min: 1_000, max: 86_400_000,
    help: 'one-time code / KBA challenge lifetime',
  }),
  'verified-ttl-ms': int({
    env: 'SUPPORT_MCP_VERIFIED_TTL_MS', arg: 'N', group: 'policy', default: 1_800_000, min: 1_000, max: 86_400_000,
    help: 'how long a verification unlocks a customer',
  }),
  'max-attempts': int({
    env: 'SUPPORT_MCP_MAX_ATTEMPTS', arg: 'N', group: 'policy', default: 5, min: 1, max: 100, help: 'wrong answers before a challenge fails',
  }),
  'return-window-days': int({
    env: 'SUPPORT_MCP_RETURN_WINDOW_DAYS', arg: 'N', group: 'policy', default: 30, min: 0, max: 3650,
    help: 'days after delivery a return may be requested ({default})',
    doc: 'days after delivery `request_return` accepts a return (0: only on the delivery day)',
  }),
  'callback-hours': text({
    env: 'SUPPORT_MCP_CALLBACK_HOURS', arg: 'HOURS', group: 'policy', default: DEFAULT_BUSINESS_HOURS_TEXT,
    help: 'callback hours, customer\'s time zone ({default})',
    doc: 'business hours for `schedule_callback`, in each customer\'s own time zone, e.g. `Mon-Fri 09:00-17:00` or `Mon,Wed,Sat 08:30-12:00`',
    check: (v) => {
      try {
        parseBusinessHours(v);
      } catch (err) {
        throw new ConfigError(`invalid --callback-hours: ${(err as Error).message}`);
      }
    },
  }),
  'outbox-file': text({
    env: 'SUPPORT_MCP_OUTBOX_FILE', arg: 'PATH', group: 'policy', defaultText: 'temp dir',
    help: 'fixtures mode: where codes to deliver are written',
    doc: 'fixtures mode: where one-time codes are written for `support-mcp outbox`',
  }),

  // --- transport and HTTP
  transport: choice({
    env: 'MCP_TRANSPORT', arg: TRANSPORT_NAMES.join('|'), group: 'http', values: TRANSPORT_NAMES, default: 'stdio', lowercase: true,
    help: 'how clients connect ({default})',
    doc: 'how clients connect: `stdio` (the client that started the process) or `http` (Streamable HTTP and legacy SSE)',
    invalid: (v) => `invalid transport '${v}' (expected ${TRANSPORT_NAMES.join(' or ')})`,
  }),
  host: text({
    env: 'MCP_HOST', arg: 'ADDR', group: 'http', default: '127.0.0.1', help: 'bind address',
    doc: 'bind address; anything but loopback **requires** a token or `--oauth-issuer`',
  }),
  port: int({
    env: 'MCP_PORT', arg: 'N', group: 'http', default: 3000, min: 0, max: 65_535, help: 'port, 0 = any free port',
    doc: '`0` picks a free port (logged in the `support-mcp ready` line)',
  }),
  stateful: flag({ env: 'MCP_STATEFUL', group: 'http', help: 'sessions (Mcp-Session-Id) instead of stateless' }),
  'auth-token': list({
    env: 'MCP_AUTH_TOKEN', arg: '[NAME=]T[,…]', group: 'http', multiple: true, defaultText: 'none',
    help: 'accepted bearer tokens (required off loopback); tokens sharing a NAME are one principal',
    doc: 'accepted bearer tokens (≥16 chars; the flag may be repeated), compared in constant time; tokens sharing a `NAME` are one principal, so a rotation keeps its conversations (see "Who a conversation belongs to")',
    check: (tokens) => {
      try {
        parseStaticTokens(tokens); // named or not, each secret ≥16 chars; one secret, one principal
      } catch (err) {
        throw new ConfigError((err as Error).message);
      }
    },
  }),
  'allowed-hosts': list({
    env: 'MCP_ALLOWED_HOSTS', arg: 'h[,h]', group: 'http', defaultText: 'loopback names', help: 'Host header allow-list',
    doc: '`Host` header allow-list (DNS-rebinding protection, 403)',
  }),
  'allowed-origins': list({
    env: 'MCP_ALLOWED_ORIGINS', arg: 'o[,o]', group: 'http', defaultText: 'loopback origins', help: 'browser Origin allow-list',
    doc: 'browser `Origin` allow-list (403)',
  }),
  'max-body-bytes': int({
    env: 'MCP_MAX_BODY_BYTES', arg: 'N', group: 'http', default: 1_000_000, min: 1_024, max: 100_000_000,
    help: 'request body cap, 413 above it',
  }),
  'rate-limit': int({
    env: 'MCP_RATE_LIMIT', arg: 'N', group: 'http', default: 600, min: 1, max: 1_000_000,
    help: 'requests per minute per client, 429 above',
    doc: 'requests per minute per client (token, else IP); 429 with `Retry-After`',
  }),
  'request-timeout-ms': int({
    env: 'MCP_REQUEST_TIMEOUT_MS', arg: 'N', group: 'http', default: 30_000, min: 100, max: 600_000,
    help: 'deadline for one request, 504 after it',
  }),
  'session-ttl-ms': int({
    env: 'MCP_SESSION_TTL_MS', arg: 'N', group: 'http', default: 1_800_000, min: 1_000, max: 86_400_000,
    help: 'idle stateful session lifetime',
  }),
  'max-sessions': int({
    env: 'MCP_MAX_SESSIONS', arg: 'N', group: 'http', default: 1000, min: 1, max: 1_000_000,
    help: 'live stateful/SSE sessions', doc: 'live stateful/SSE sessions; 503 beyond',
  }),

  // --- OAuth resource server: read here, checked together in oauth.ts
  'oauth-issuer': text({
    env: 'MCP_OAUTH_ISSUER', arg: 'URL', group: 'oauth', defaultText: 'off',
    help: 'accept JWT access tokens from this issuer',
    doc: 'accept JWT access tokens from this issuer (exactly as its tokens\' `iss` spell it; https, http only on loopback); counts as authentication off loopback; see "Remote deployments with OAuth"',
  }),
  'oauth-audience': text({
    env: 'MCP_OAUTH_AUDIENCE', arg: 'URI', group: 'oauth', defaultText: 'PUBLIC-URL/mcp',
    help: 'accepted aud', doc: 'the `aud` tokens must carry (RFC 8707 resource indicator)',
  }),
  'oauth-jwks-url': text({
    env: 'MCP_OAUTH_JWKS_URL', arg: 'URL', group: 'oauth', defaultText: 'from discovery',
    help: 'the issuer\'s keys', doc: 'the issuer\'s JWKS (default: from its OpenID / RFC 8414 discovery document)',
  }),
  'oauth-customer-claim': text({
    env: 'MCP_OAUTH_CUSTOMER_CLAIM', arg: 'CLAIM', group: 'oauth', defaultText: 'customer_id',
    help: 'claim binding a token to a customer', doc: 'claim binding a token to one customer (verified for that customer only, for the token\'s lifetime)',
  }),
  'oauth-scopes': text({
    env: 'MCP_OAUTH_SCOPES', arg: 'read=S,write=S,verify=S', group: 'oauth', defaultText: 'support:read, support:write, support:verify',
    help: 'scope names', doc: 'scope names gating read, write and verification tools',
  }),
  'public-url': text({
    env: 'MCP_PUBLIC_URL', arg: 'URL', group: 'oauth', defaultText: 'http://HOST:PORT',
    help: 'base URL clients use', doc: 'base URL clients use (behind a proxy): names the resource in the protected-resource metadata and the 401s, and the default audience; **required** with `--oauth-issuer` off loopback',
  }),
} satisfies OptionTable;

export type ServeOptions = typeof SERVE_OPTIONS;
