// The serve option table: every option declared once generates the parseArgs config, the
// environment resolution, --help and the README's flag tables.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHelp, renderReadmeTable, updateReadme } from '../../src/commands/options/render.js';
import { resolveServeConfig, type ServeConfig } from '../../src/commands/serve/config.js';
import { SERVE_GROUPS, SERVE_OPTIONS } from '../../src/commands/serve/options.js';
import { TRANSPORT_NAMES } from '../../src/commands/serve/transports.js';

const README = path.resolve(import.meta.dirname, '..', '..', 'README.md');
const options = Object.entries(SERVE_OPTIONS);

const config = (argv: string[], env: Record<string, string> = {}): ServeConfig => {
  const c = resolveServeConfig(argv, env);
  if (typeof c === 'string') throw new Error(`expected a configuration, got ${c}`);
  return c;
};
const failure = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    resolveServeConfig(argv, env);
  } catch (err) {
    expect((err as Error).name).toBe('ConfigError');
    return (err as Error).message;
  }
  throw new Error(`expected a ConfigError for ${argv.join(' ')} ${JSON.stringify(env)}`);
};

describe('the README is in step with the option table', () => {
  const readme = readFileSync(README, 'utf8');

  it('regenerating its flag tables changes nothing (else run `npm run docs:options`)', () => {
    expect(updateReadme(readme, SERVE_OPTIONS)).toBe(readme);
  });

  it('has a generated table for every group, so every option is documented once', () => {
    const blocks = [...readme.matchAll(/<!-- options: ([a-z ,]+) -->/g)].flatMap((m) => m[1]!.split(',').map((g) => g.trim()));
    expect([...blocks].sort()).toEqual(Object.keys(SERVE_GROUPS).sort());
    for (const [name] of options) expect(readme.split(`| \`--${name}`).length - 1, name).toBe(1);
  });

  it('a table row per option, with its environment variable and default', () => {
    const table = renderReadmeTable(SERVE_OPTIONS, ['http']);
    expect(table).toContain('| `--port N` | `MCP_PORT` | `3000` |');
    expect(table).toContain('| `--stateful` | `MCP_STATEFUL=true` | off |');
    expect(table).toContain('| `--transport stdio\\|http` | `MCP_TRANSPORT` | `stdio` |');
  });
});

describe('--help', () => {
  const help = renderHelp(SERVE_OPTIONS, SERVE_GROUPS);

  it('lists every flag and environment variable under its group heading', () => {
    for (const [name, spec] of options) {
      expect(help, name).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
      if (spec.env) expect(help, name).toContain(spec.env);
    }
    expect(Object.values(SERVE_GROUPS).map((h) => help.indexOf(h))).toEqual(
      Object.values(SERVE_GROUPS).map((h) => help.indexOf(h)).sort((a, b) => a - b),
    );
  });

  it('shows defaults and keeps lines readable', () => {
    expect(help).toMatch(/--port N\s+port, 0 = any free port \(3000\)\s+MCP_PORT/);
    expect(help).toMatch(/--read-only\s+drop tools that change customer data\s+MCP_READ_ONLY=true/);
    expect(help).toMatch(/--profile NAME\[,NAME\]\s+tool profile\(s\) \(default: support\)/);
    for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(110);
  });
});

describe('resolution: flags > environment > defaults', () => {
  it('defaults', () => {
    const c = config([]);
    expect(c).toMatchObject({
      transport: 'stdio', backend: { kind: 'fixtures' }, profiles: ['support'], readOnly: false, tools: [], excludeTools: [],
      logLevel: 'info', logToolArgs: false,
      http: { host: '127.0.0.1', port: 3000, stateful: false, authTokens: [], maxBodyBytes: 1_000_000, rateLimitPerMinute: 600, requestTimeoutMs: 30_000, sessionIdleTtlMs: 1_800_000, maxSessions: 1000 },
      policy: { limitConversationPerMinute: 10, limitCustomerPerHour: 20, limitGlobalPerHour: 1000, limitVerificationPerHour: 10, challengeTtlMs: 600_000, verifiedTtlMs: 1_800_000, maxAttempts: 5 },
    });
    expect(c.policy).not.toHaveProperty('access');
    expect(c.policy).not.toHaveProperty('limits');
    expect(c.http).not.toHaveProperty('allowedHosts');
  });

  it('the environment, and a flag over it', () => {
    const env = { MCP_PORT: '4000', SUPPORT_MCP_PROFILE: 'arena', MCP_READ_ONLY: 'yes', LOG_LEVEL: 'DEBUG', SUPPORT_MCP_LIMITS: 'off', MCP_ALLOWED_HOSTS: 'a, b' };
    expect(config([], env)).toMatchObject({ http: { port: 4000, allowedHosts: ['a', 'b'] }, profiles: ['arena'], readOnly: true, logLevel: 'debug', policy: { limits: false } });
    expect(config(['--port', '5000', '--profile', 'billing,arena', '--limits', 'on'], env)).toMatchObject({
      http: { port: 5000 }, profiles: ['billing', 'arena'], policy: { limits: true },
    });
  });

  it('backends: --fixtures [DIR], DATABASE_URL only without --fixtures, pool settings only for Postgres', () => {
    expect(config(['--fixtures']).backend).toEqual({ kind: 'fixtures' });
    expect(config(['--fixtures', 'data', '--read-only']).backend).toEqual({ kind: 'fixtures', dir: 'data' });
    expect(config(['--fixtures'], { DATABASE_URL: 'postgres://h/db' }).backend).toEqual({ kind: 'fixtures' });
    expect(config([], { DATABASE_URL: 'postgres://h/db', DATABASE_POOL_SIZE: '3' }).backend).toEqual({
      kind: 'postgres', url: 'postgres://h/db', poolSize: 3, statementTimeoutMs: 30_000, migrate: false, preparedStatements: true,
    });
    expect(config(['--db-prepare', 'OFF'], { DATABASE_URL: 'postgres://h/db' }).backend).toMatchObject({ preparedStatements: false });
    expect(config([], { DATABASE_URL: 'postgres://h/db', DATABASE_PREPARED_STATEMENTS: 'off' }).backend).toMatchObject({ preparedStatements: false });
    expect(failure(['--database-url', 'postgres://h/db', '--db-prepare', 'maybe'])).toBe("invalid --db-prepare 'maybe' (expected on or off)");
    expect(config(['--migrate'], { DATABASE_URL: 'postgres://h/db' }).backend).toMatchObject({ kind: 'postgres', migrate: true });
    expect(config([], { DATABASE_URL: 'postgres://h/db', SUPPORT_MCP_MIGRATE: 'true' }).backend).toMatchObject({ migrate: true });
    expect(config(['--db-pool-size', '0']).backend).toEqual({ kind: 'fixtures' });
    expect(failure(['--fixtures', '--database-url', 'postgres://h/db'])).toBe('--fixtures and --database-url cannot be combined: choose one backend');
    expect(failure([], { DATABASE_URL: 'mysql://h/db' })).toBe('--database-url must be a postgres:// or postgresql:// URL');
    expect(failure(['--database-url', 'postgres://h/db', '--db-pool-size', '201'])).toBe("--db-pool-size must be an integer from 1 to 200, got '201'");
  });

  it('auth tokens: comma-separated, the flag repeatable (then the environment is ignored); entries kept as given', () => {
    const t = 'x'.repeat(16);
    expect(config(['--auth-token', `${t}1,${t}2`, '--auth-token', `name=${t}`], { MCP_AUTH_TOKEN: `${t}env` }).http.authTokens)
      .toEqual([`${t}1`, `${t}2`, `name=${t}`]);
    expect(config([], { MCP_AUTH_TOKEN: `${t}a, ${t}b` }).http.authTokens).toEqual([`${t}a`, `${t}b`]);
    expect(failure(['--auth-token', 'short'])).toBe('auth tokens must be at least 16 characters (use a random secret)');
  });

  it('clear errors naming the flag, also for values from the environment', () => {
    expect(failure(['--port', '70000'])).toBe("--port must be an integer from 0 to 65535, got '70000'");
    expect(failure([], { SUPPORT_MCP_MAX_ATTEMPTS: 'x' })).toBe("--max-attempts must be an integer from 1 to 100, got 'x'");
    expect(failure(['--log-level', 'LOUD'])).toBe("invalid log level 'loud' (expected fatal|error|warn|info|debug|trace|silent)");
    expect(failure(['--transport', 'carrier-pigeon'])).toBe(`invalid transport 'carrier-pigeon' (expected ${TRANSPORT_NAMES.join(' or ')})`);
    expect(failure(['--access', 'closed'])).toBe("invalid --access 'closed' (expected open or verified)");
    expect(failure([], { SUPPORT_MCP_LIMITS: 'maybe' })).toBe("invalid --limits 'maybe' (expected on or off)");
    expect(failure(['--verification-secret', 'short'])).toBe('the verification secret must be at least 16 characters');
    expect(failure(['--profile', 'support,nope'])).toBe("unknown profile 'nope' (available: support, blackbird, banking, arena, billing)");
    expect(failure(['--frobnicate'])).toBe("Unknown option '--frobnicate' (see support-mcp --help)");
    expect(failure(['--transport', 'http', '--host', '0.0.0.0'])).toBe(
      'refusing to listen on 0.0.0.0 without authentication: set --oauth-issuer, --auth-token or MCP_AUTH_TOKEN (or bind to 127.0.0.1)',
    );
  });

  it('with several mistakes, the first in the order backend, profile, log level, transport, HTTP, policy is reported', () => {
    expect(failure(['--port', 'x', '--auth-token', 'short', '--max-attempts', '0'])).toMatch(/^auth tokens/);
    expect(failure(['--max-attempts', '0', '--access', 'bad'])).toMatch(/^invalid --access/);
    expect(failure(['--profile', 'nope', '--log-level', 'loud', '--transport', 'x'])).toMatch(/^unknown profile/);
  });

  it('--help and --version win over everything but a malformed command line', () => {
    expect(resolveServeConfig(['--help', '--port', 'x'], {})).toBe('help');
    expect(resolveServeConfig(['-v'], {})).toBe('version');
    expect(failure(['--help', '--frobnicate'])).toMatch(/Unknown option/);
  });
});
