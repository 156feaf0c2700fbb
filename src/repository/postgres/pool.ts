// The pg Pool and Kysely instance for the Postgres backend. Type parsing is configured per
// pool (pg's `types` option), never on the global pg.types, so nothing else in the process
// is affected and every backend returns the same JS value types:
//   date (1082)        → the raw 'YYYY-MM-DD' text (never a JS Date: no timezone shifts)
//   int8 (20)          → number (audit ids, counts)
//   numeric (1700)     → number (money is numeric(12,2), exact in a double)
//   timestamptz (1184) → ISO-8601 string from Date#toISOString()
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';
import { kyselyLogOption } from './query-log.js';

export interface PostgresPoolOptions {
  /** postgres://user:pass@host:port/db (DATABASE_URL). */
  connectionString: string;
  /** Pool size; default 10. Use 1 for PGlite served through pglite-socket. */
  max?: number;
  /**
   * Every session starts with default_transaction_read_only=on, so the server refuses any
   * write even if a write path were reached (defence in depth for --read-only).
   */
  readOnly?: boolean;
  /**
   * Connections of the second, writable pool a read-only repository keeps for its control
   * tables (see createControlPool); default min(max, 4). Ignored unless readOnly.
   */
  controlMax?: number;
  /**
   * Put this schema first in search_path (and create it when missing, unless readOnly), so
   * several test runs can share one database. Lower-case letters, digits and _ only.
   */
  schema?: string;
  /** Default 'support-mcp'. */
  applicationName?: string;
  /** Time allowed to open a connection or wait for a free one; default 5000 ms. */
  connectionTimeoutMillis?: number;
  /** Idle connections are closed after this; default 30000 ms. */
  idleTimeoutMillis?: number;
  /** Server-side statement_timeout; default 30000 ms, 0 disables. */
  statementTimeoutMs?: number;
  /** Errors of idle clients (server restart, network). Default: a one-line note on stderr. */
  onError?: (err: Error) => void;
  /**
   * Send parameterised statements as named prepared statements (default true). Off for a
   * connection pooler that does not keep them per client (PgBouncer in transaction mode
   * before 1.21): every statement is then parsed again, as pg does by default.
   */
  preparedStatements?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name '${schema}': use lower-case letters, digits and _ (max 63)`);
  }
}

const OID = { int8: 20, date: 1082, timestamptz: 1184, numeric: 1700 } as const;

const parseTimestamptz = pg.types.getTypeParser(OID.timestamptz, 'text') as (v: string) => unknown;

/** Per-pool type parsers (pg's CustomTypesConfig). */
export const supportTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === undefined || format === 'text') {
      switch (oid) {
        case OID.date:
          return (v: string) => v;
        case OID.int8:
        case OID.numeric:
          return (v: string) => Number(v);
        case OID.timestamptz:
          return (v: string) => {
            const d = parseTimestamptz(v);
            return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : v;
          };
        default:
          break;
      }
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The `options` startup parameter; merged with any `options` already in the URL (pg lets
 * the connection string override the config object, so we move it into the config).
 */
function startupOptions(opts: PostgresPoolOptions): { connectionString: string; options: string | undefined } {
  const parts: string[] = ['-c TimeZone=UTC'];
  if (opts.readOnly) parts.push('-c default_transaction_read_only=on');
  if (opts.schema) parts.push(`-c search_path=${opts.schema},public`);
  let connectionString = opts.connectionString;
  try {
    const url = new URL(connectionString);
    const fromUrl = url.searchParams.get('options');
    if (fromUrl !== null) {
      parts.unshift(fromUrl);
      url.searchParams.delete('options');
      connectionString = url.toString();
    }
  } catch {
    // not a URL (e.g. a libpq key=value string): leave it as it is
  }
  return { connectionString, options: parts.join(' ') };
}

const defaultOnError = (err: Error): void => {
  process.stderr.write(`support-mcp: idle Postgres connection error: ${err.message}\n`);
};

/** See the 'connect' listener in buildPool: the error already reached the query or the pool. */
const ignoreCheckedOutClientError = (): void => {};

/** How long after statement_timeout the client gives up on a server that does not answer. */
const QUERY_TIMEOUT_GRACE_MS = 2_000;

/** Builds a pg Pool with the per-pool type parsers, startup options and error handling. */
export function createPool(opts: PostgresPoolOptions): pg.Pool {
  return buildPool(opts, !opts.readOnly);
}

/**
 * The read-only split (--read-only is enforced twice: writing tools are not registered, AND
 * the database refuses writes). A read-only repository sends every customer-data statement
 * through a pool whose sessions start with default_transaction_read_only=on, so even a write
 * path reached by mistake fails (ReadOnlyError). The server's own bookkeeping must still be
 * written in read-only mode: the audit trail (every call is audited), the rate-limit counters
 * (limits hold), identity verifications and the verification outbox (verified access needs
 * them). Those few control-table methods use this second, small pool of ordinary sessions.
 * It never creates the schema (the read-only deployment expects a migrated database).
 */
export function createControlPool(opts: PostgresPoolOptions): pg.Pool {
  const max = opts.controlMax ?? Math.min(opts.max ?? 10, 4);
  return buildPool({
    ...opts, readOnly: false, max, applicationName: `${opts.applicationName ?? 'support-mcp'} (control)`,
  }, false);
}

function buildPool(opts: PostgresPoolOptions, createSchema: boolean): pg.Pool {
  if (opts.schema !== undefined) assertSchemaName(opts.schema);
  const { connectionString, options } = startupOptions(opts);
  const statementTimeout = opts.statementTimeoutMs ?? 30_000;
  let schemaReady: Promise<void> | undefined;

  const pool = new pg.Pool({
    connectionString,
    options,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'support-mcp',
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: opts.idleTimeoutMillis ?? 30_000,
    // 0 means "no limit" to Postgres; pg omits the parameter when it is falsy.
    statement_timeout: statementTimeout > 0 ? statementTimeout : false,
    // Client-side backstop: statement_timeout is enforced by the server, so a server that
    // stops answering (frozen, or a network black hole) would leave a call waiting forever.
    // pg fails the query QUERY_TIMEOUT_GRACE_MS after the server's own limit would have.
    ...(statementTimeout > 0 ? { query_timeout: statementTimeout + QUERY_TIMEOUT_GRACE_MS } : {}),
    idle_in_transaction_session_timeout: 60_000,
    keepAlive: true,
    types: supportTypes,
    // Runs on every new connection before pg hands it out. Some servers (PGlite through
    // pglite-socket) ignore the startup `options`, so the session settings are applied
    // again here; on a real server they are no-ops that cost one round trip per connection.
    onConnect: async (client) => {
      const schema = opts.schema;
      if (schema !== undefined && createSchema) {
        schemaReady ??= client.query(`create schema if not exists ${schema}`).then(
          () => undefined,
          (err: unknown) => {
            schemaReady = undefined;
            // a concurrent creator won the race: the schema exists, which is all we need
            if ((err as { code?: string }).code === '23505' || (err as { code?: string }).code === '42P06') return;
            throw err;
          },
        );
        await schemaReady;
      }
      const settings: string[] = [`set time zone 'UTC'`];
      if (schema !== undefined) settings.push(`set search_path to ${schema}, public`);
      if (opts.readOnly) settings.push('set default_transaction_read_only = on');
      await client.query(settings.join('; '));
    },
  });
  pool.on('error', opts.onError ?? defaultOnError);
  // pg-pool listens for errors only on IDLE clients ('error' above). A client that is checked
  // out (a query running, or a transaction between statements) emits 'error' on itself when
  // the server terminates it (57P01 on `pg_ctl stop -m fast`, a reset socket on a crash), and
  // an 'error' event nobody listens to kills the process (found by
  // test/reliability/db-outage.test.ts). So every client gets a listener for its whole life.
  // It swallows the error on purpose: pg also rejects the query that is running with it (the
  // call answers DATABASE_ERROR and is logged with its correlation id), a later query on the
  // dead client fails at once ("not queryable"), and pg-pool discards such a client when it is
  // released. An idle client's error still reaches onError through the pool listener above.
  pool.on('connect', (client) => {
    client.on('error', ignoreCheckedOutClientError);
    if (opts.preparedStatements !== false) namedStatements(client);
  });
  trackPool(pool, createSchema || opts.readOnly ? 'data' : 'control');
  return pool;
}

/** Distinct statement texts given a name; past this, statements run unnamed (parsed every time). */
export const MAX_NAMED_STATEMENTS = 2_000;
/** Statement text → its number, the same for every connection of the process. */
const statementNumbers = new Map<string, number>();
let connections = 0;

/**
 * Every parameterised statement Kysely sends runs as a named prepared statement: Postgres
 * parses and plans it once per connection and then only binds and executes it (pg remembers
 * which names each connection has parsed). Kysely passes the SQL text and its values; the
 * name is derived from the text, one per distinct text in the process, so nothing in the
 * repository changes. Statements without values (transaction control, migrations, DDL) stay
 * unnamed, so a migration never meets a plan cached for an older table shape.
 * Why: on the look-up path Postgres's parse/plan was a sizeable share of the database CPU,
 * which shares the machine with the server (bench/README.md).
 */
function namedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => unknown;
  // Names are per connection: pg remembers what each client parsed, and a server session can
  // outlive one client (PGlite serves every connection from one session), where a name
  // another client parsed would already exist.
  const prefix = `support_mcp_${process.pid.toString(36)}_${(++connections).toString(36)}_`;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      let n = statementNumbers.get(config);
      if (n === undefined && statementNumbers.size < MAX_NAMED_STATEMENTS) {
        n = statementNumbers.size + 1;
        statementNumbers.set(config, n);
      }
      if (n !== undefined) return query({ name: `${prefix}${n}`, text: config, values }, callback);
    }
    return query(config, values, callback);
  };
}

// Open pools, for the metrics (total, idle, waiting per pool); a pool leaves when it is ended.
const openPools = new Map<pg.Pool, string>();
function trackPool(pool: pg.Pool, name: string): void {
  openPools.set(pool, name);
  const end = pool.end.bind(pool);
  pool.end = ((cb?: () => void) => {
    openPools.delete(pool);
    return cb ? end(cb) : end();
  }) as typeof pool.end;
}

/** The process's open Postgres pools with their connection counts (observability/metrics.ts). */
export const poolStats = (): { name: string; totalCount: number; idleCount: number; waitingCount: number }[] =>
  [...openPools].map(([p, name]) => ({ name, totalCount: p.totalCount, idleCount: p.idleCount, waitingCount: p.waitingCount }));

/** A Kysely instance over an existing pool (the pool's lifetime becomes Kysely's: destroy() ends it). */
export function kyselyOverPool(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...kyselyLogOption() }); // query spans when tracing is on
}

/** Kysely over a new pool built from the options; `await db.destroy()` closes it. */
export function createDb(opts: PostgresPoolOptions): Kysely<Database> {
  return kyselyOverPool(createPool(opts));
}
