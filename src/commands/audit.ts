// `support-mcp audit`: the operator's view of the audit trail (one entry per tool call: time,
// conversation, tool, customer, outcome, error code, duration, redacted arguments). Reads the
// Postgres audit_log table through a read-only session. A fixtures-mode server keeps its trail
// in its own memory, so there is nothing another process could read: that is exit 2.
import type { AuditEntry } from '../domain/index.js';
import { assertPostgresUrl, ConfigError, parseCommandArgs } from './errors.js';

const HELP = `Usage:
  support-mcp audit [--database-url URL] [--customer ID] [--since T] [--limit N] [--json]
      Print audit entries (oldest first): time, conversation, tool, customer, outcome, error
      code, duration and the arguments as stored (PII redacted).
      --database-url  the Postgres database (default DATABASE_URL)
      --customer ID   only calls that acted on this customer
      --since T       only entries at or after T: an ISO-8601 time (2025-01-31T09:00:00Z) or
                      an age such as 90s, 15m, 2h, 7d
      --limit N       the newest N matching entries (1..10000, default 100)
      --json          one JSON object per line instead of a table
  A fixtures-mode server has no shared store: its audit trail lives in its own memory only.`;

const AGE = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO-8601 instant, or an age relative to `now` (90s, 15m, 2h, 7d). */
export function parseSince(value: string, now: number = Date.now()): string {
  const age = AGE.exec(value.trim());
  if (age) return new Date(now - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS]).toISOString();
  // A bare date or a date-time with an explicit zone only: a local time would depend on the host.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw new ConfigError(`invalid --since '${value}': use an ISO-8601 time with a zone (2025-01-31T09:00:00Z) or an age (15m, 2h, 7d)`);
}

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

const shortArgs = (args: Record<string, unknown>): string => {
  const text = JSON.stringify(args);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
};

export async function runAuditCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      customer: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }, 'support-mcp audit --help');
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const url = v['database-url'] ?? env.DATABASE_URL;
  if (!url) {
    throw new ConfigError(
      'no database: the audit trail is kept in Postgres (--database-url or DATABASE_URL). '
      + 'A fixtures-mode server has no shared store; its audit trail lives in its own memory only.',
    );
  }
  assertPostgresUrl(url);
  let limit = 100;
  if (v.limit !== undefined) {
    if (!/^\d+$/.test(v.limit) || Number(v.limit) < 1 || Number(v.limit) > 10_000) {
      throw new ConfigError(`invalid --limit '${v.limit}' (expected 1..10000)`);
    }
    limit = Number(v.limit);
  }
  const since = v.since === undefined ? undefined : parseSince(v.since);
  const customerId = v.customer?.trim();
  if (customerId === '') throw new ConfigError('--customer needs a customer id');

  const { createPostgresRepository } = await import('../repository/postgres/index.js');
  // One SELECT; no read-only session setting, which PGlite (one shared session behind
  // pglite-socket) would carry over to every other client of the same database.
  const repo = createPostgresRepository({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  let entries: AuditEntry[];
  try {
    entries = await repo.listAudit({
      limit, newest: true, ...(since !== undefined ? { since } : {}), ...(customerId !== undefined ? { customerId } : {}),
    });
  } catch (err) {
    throw new Error(`could not read the audit_log table (${(err as Error).message}); is the database migrated? (support-mcp db migrate)`);
  } finally {
    await repo.close();
  }

  if (v.json) {
    for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
    return 0;
  }
  if (entries.length === 0) {
    process.stderr.write('no audit entries match\n');
    return 0;
  }
  const rows = [['AT', 'PRINCIPAL', 'CONVERSATION', 'TOOL', 'CUSTOMER', 'OUTCOME', 'CODE', 'MS', 'ARGS']];
  for (const e of entries) {
    rows.push([
      e.at, e.principal ?? '-', (e.conversation_id ?? '-').slice(0, 48), e.tool, e.customer_id ?? '-', e.outcome, e.error_code ?? '-',
      String(e.duration_ms), shortArgs(e.args),
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  return 0;
}
