// The Postgres backend at start-up and in /readyz: is the database reachable, and is its
// schema the one this binary was built for (repository/postgres/readiness.ts)?
//
// - not migrated, or migrations pending: one line naming `support-mcp db migrate` and exit 2,
//   or apply them first with --migrate (demos, single-replica deployments);
// - newer than the binary: refuse (exit 2) unless --read-only;
// - unreachable: start anyway (calls answer DATABASE_ERROR until it is back), logging host,
//   port and the driver's reason.
import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger.js';
import { ConfigError } from '../errors.js';

/** Where a URL points, without credentials: for logs. */
export function databaseTarget(url: string): { host: string; port: number; database: string } {
  try {
    const u = new URL(url);
    const host = decodeURIComponent(u.hostname) || new URLSearchParams(u.search).get('host') || 'localhost';
    return { host, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.replace(/^\//, '')) };
  } catch {
    return { host: '(unparsable URL)', port: 0, database: '' };
  }
}

/** The driver's own words for a failure (an UnavailableError keeps it as its cause). */
export function driverReason(err: unknown): { reason: string; driver_code?: string } {
  // A repository UnavailableError keeps the driver's error as its cause.
  const e = (err as { kind?: unknown })?.kind === 'unavailable' ? (err as Error).cause : err;
  const any = e as { message?: unknown; code?: unknown; errors?: { message?: string }[] } | null;
  // An AggregateError (IPv4 and IPv6 both refused) has an empty message; its parts say why.
  const message = typeof any?.message === 'string' && any.message !== ''
    ? any.message
    : (any?.errors ?? []).map((x) => x.message).filter(Boolean).join('; ') || String(e);
  return { reason: message, ...(typeof any?.code === 'string' ? { driver_code: any.code } : {}) }; // not `code`: the logger redacts it (one-time codes)
}

const CHECK_TIMEOUT_MS = 5_000;

const within = async <T>(p: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
};

export interface StartupCheck {
  db: Kysely<any>;
  url: string;
  migrate: boolean;
  readOnly: boolean;
  logger: Logger;
}

/** Throws a ConfigError (one line, exit 2) when the schema does not fit; logs and returns otherwise. */
export async function checkDatabaseAtStart(opts: StartupCheck): Promise<void> {
  const { schemaStatus, describeSchema, schemaState } = await import('../../repository/postgres/readiness.js');
  const target = databaseTarget(opts.url);
  let status;
  try {
    status = await within(schemaStatus(opts.db), CHECK_TIMEOUT_MS);
  } catch (err) {
    opts.logger.warn(
      { ...target, ...driverReason(err) },
      `database not reachable at start-up (${target.host}:${target.port}): serving anyway; calls answer DATABASE_ERROR until it is back`,
    );
    return;
  }
  const state = schemaState(status);
  if (state === 'current') return;
  if (state === 'newer') {
    if (!opts.readOnly) throw new ConfigError(describeSchema(status)!);
    opts.logger.warn({ ...target, unknown_migrations: status.unknown }, 'the database schema is newer than this support-mcp: serving read-only (--read-only)');
    return;
  }
  if (!opts.migrate) throw new ConfigError(describeSchema(status)!);
  // --migrate: the same as `support-mcp db migrate`, on its own short-lived connection (the
  // data pool may be read-only).
  const { createDb, migrateToLatest } = await import('../../repository/postgres/index.js');
  const db = createDb({ connectionString: opts.url, max: 1 });
  try {
    const { applied } = await migrateToLatest(db);
    opts.logger.info({ ...target, applied }, 'applied pending migrations (--migrate)');
  } catch (err) {
    throw new ConfigError(`--migrate failed: ${(err as Error).message}`);
  } finally {
    await db.destroy();
  }
}

/** Readiness beyond reachability: rejects with an operator-readable reason when the schema does not fit. */
export async function schemaReady(db: Kysely<any>): Promise<void> {
  const { schemaStatus, describeSchema } = await import('../../repository/postgres/readiness.js');
  const problem = describeSchema(await within(schemaStatus(db), CHECK_TIMEOUT_MS));
  if (problem !== null) throw Object.assign(new Error(problem), { readyzReason: problem });
}
