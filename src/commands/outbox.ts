// `support-mcp outbox`: the operator's demo view of the verification outbox. Prints the
// one-time codes waiting for delivery (destination, code, expiry) so a demo can complete an
// OTP verification without a real SMS/e-mail sender. It reads the Postgres `outbox` table, or
// the JSON-lines file a fixtures-mode server writes. It never marks anything sent.
import type { OutboxMessage } from '../repository/types.js';
import { assertPostgresUrl, ConfigError, parseCommandArgs } from './errors.js';

const HELP = `Usage:
  support-mcp outbox [--database-url URL | --outbox-file PATH] [--all] [--json]
      Print the one-time codes waiting for delivery: customer, channel, destination, code, expiry.
      Source: --database-url (or DATABASE_URL) reads the outbox table of that database;
      otherwise the file a fixtures-mode server writes (--outbox-file, SUPPORT_MCP_OUTBOX_FILE,
      default <tmpdir>/support-mcp-outbox.jsonl).
      --all   also messages already sent or expired
      --json  one JSON object per line instead of a table
  This is a demo tool: the output contains live codes.`;

type State = 'pending' | 'sent' | 'expired';

const stateOf = (m: OutboxMessage, nowMs: number): State =>
  m.sent_at !== null ? 'sent' : m.expires_at !== null && Date.parse(m.expires_at) <= nowMs ? 'expired' : 'pending';

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

export async function runOutboxCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      'outbox-file': { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }, 'support-mcp outbox --help');
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (v['database-url'] !== undefined && v['outbox-file'] !== undefined) {
    throw new ConfigError('--database-url and --outbox-file cannot be combined: choose one source');
  }
  const url = v['outbox-file'] !== undefined ? undefined : (v['database-url'] ?? env.DATABASE_URL);
  let messages: OutboxMessage[];
  let source: string;
  if (url) {
    assertPostgresUrl(url);
    const { createPostgresRepository } = await import('../repository/postgres/index.js');
    const repo = createPostgresRepository({ connectionString: url, max: 1 });
    try {
      messages = await repo.listOutbox({ pendingOnly: !v.all, limit: 1000 });
    } catch (err) {
      throw new Error(`could not read the outbox table (${(err as Error).message}); is the database migrated? (support-mcp db migrate)`);
    } finally {
      await repo.close();
    }
    source = 'database';
  } else {
    const { DEFAULT_OUTBOX_FILE, readOutboxFile } = await import('../services/outbox.js');
    const file = v['outbox-file'] ?? env.SUPPORT_MCP_OUTBOX_FILE ?? DEFAULT_OUTBOX_FILE;
    messages = await readOutboxFile(file);
    source = file;
  }
  const nowMs = Date.now();
  const shown = messages
    .map((m) => ({ m, state: stateOf(m, nowMs) }))
    .filter(({ state }) => v.all || state === 'pending');
  if (v.json) {
    for (const { m, state } of shown) {
      process.stdout.write(`${JSON.stringify({
        customer_id: m.customer_id, channel: m.channel, destination: m.destination, code: m.code,
        expires_at: m.expires_at, state, verification_id: m.verification_id, created_at: m.created_at,
      })}\n`);
    }
    return 0;
  }
  if (shown.length === 0) {
    process.stderr.write(`no ${v.all ? '' : 'pending '}messages in the outbox (${source})\n`);
    return 0;
  }
  const rows = [['CREATED', 'CUSTOMER', 'CHANNEL', 'DESTINATION', 'CODE', 'EXPIRES', ...(v.all ? ['STATE'] : [])]];
  for (const { m, state } of shown) {
    rows.push([
      m.created_at, m.customer_id ?? '-', m.channel, m.destination, m.code ?? '-', m.expires_at ?? '-', ...(v.all ? [state] : []),
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  return 0;
}
