// `support-mcp handoffs`: the operator's view of the handoff queue (transfer_to_agent), and a
// stand-in for a help desk in demos: --accept ID / --close ID move a handoff on. Reads the
// Postgres `handoffs` table (a fixtures-mode server keeps its handoffs in its own memory, which
// no other process can read). A real help-desk integration does the same through the
// repository (listHandoffs / setHandoffStatus) or SQL; see README "Handoff queue".
import type { Handoff } from '../domain/index.js';
import { assertPostgresUrl, ConfigError, parseCommandArgs } from './errors.js';

const HELP = `Usage:
  support-mcp handoffs [--database-url URL] [--all] [--json]
  support-mcp handoffs [--database-url URL] --accept ID | --close ID
      List the conversations waiting for a person (open and accepted handoffs, oldest first):
      queue, priority, reason, customer (as given, and whether verified), summary.
      --all     also closed handoffs
      --json    one JSON object per line instead of a table
      --accept  mark a handoff accepted (a person took it over)
      --close   mark a handoff closed (done; the conversation may ask for a person again)
  Needs Postgres: --database-url or DATABASE_URL.`;

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export async function runHandoffsCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      accept: { type: 'string' },
      close: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }, 'support-mcp handoffs --help');
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (v.accept !== undefined && v.close !== undefined) throw new ConfigError('--accept and --close cannot be combined');
  const url = v['database-url'] ?? env.DATABASE_URL;
  if (!url) throw new ConfigError('handoffs needs a Postgres database: --database-url or DATABASE_URL (a fixtures-mode server keeps its handoffs in its own memory)');
  assertPostgresUrl(url);
  const { createPostgresRepository } = await import('../repository/postgres/index.js');
  const repo = createPostgresRepository({ connectionString: url, max: 1 });
  try {
    const id = v.accept ?? v.close;
    if (id !== undefined) {
      const { NotFoundError, InvalidStateError } = await import('../repository/errors.js');
      try {
        const h = await repo.setHandoffStatus(id, v.accept !== undefined ? 'accepted' : 'closed');
        process.stdout.write(v.json ? `${JSON.stringify(h)}\n` : `handoff ${h.id} is ${h.status}\n`);
        return 0;
      } catch (err) {
        if (err instanceof NotFoundError) throw new ConfigError(`no handoff with id ${id}`);
        if (err instanceof InvalidStateError) throw new ConfigError(`handoff ${id} is ${err.state}: it cannot be accepted`);
        throw err;
      }
    }
    let handoffs: Handoff[];
    try {
      handoffs = await repo.listHandoffs({ status: v.all ? undefined : ['open', 'accepted'], limit: 1000 });
    } catch (err) {
      throw new Error(`could not read the handoffs table (${(err as Error).message}); is the database migrated? (support-mcp db migrate)`);
    }
    if (v.json) {
      for (const h of handoffs) process.stdout.write(`${JSON.stringify(h)}\n`);
      return 0;
    }
    if (handoffs.length === 0) {
      process.stderr.write(`no ${v.all ? '' : 'open '}handoffs\n`);
      return 0;
    }
    const rows = [['CREATED', 'ID', 'STATUS', 'QUEUE', 'PRIORITY', 'REASON', 'CUSTOMER', 'SUMMARY']];
    for (const h of handoffs) {
      const customer = h.customer_id === null ? '-' : `${h.customer_id}${h.customer_verified ? ' (verified)' : ' (unverified)'}`;
      rows.push([h.created_at, h.id, h.status, h.queue, h.priority, h.reason, customer, oneLine(h.summary, 80)]);
    }
    process.stdout.write(`${table(rows)}\n`);
    return 0;
  } finally {
    await repo.close();
  }
}
