// SupportRepository over Postgres (or PGlite) through Kysely: the per-aggregate modules
// composed into one object. Every write is one atomic statement (or one transaction when an
// audit entry rides along); the database enforces the rules (unique indexes, CHECKs, FKs)
// and mapDbError turns its refusals into typed errors (see context.ts).
import { sql, type Kysely } from 'kysely';
import { UnavailableError } from '../errors.js';
import type { RepositoryMethods, SupportRepository } from '../types.js';
import { postgresAudit } from './audit.js';
import { postgresBanking } from './banking.js';
import { postgresBilling } from './billing.js';
import { postgresCallbacks } from './callbacks.js';
import { pgContext, type PgContext } from './context.js';
import { postgresCounters } from './counters.js';
import { postgresCustomers } from './customers.js';
import { postgresOrders } from './orders.js';
import { postgresHandoffs } from './handoffs.js';
import { postgresOutbox } from './outbox.js';
import { postgresPreferences } from './preferences.js';
import type { Database } from './schema.js';
import { postgresTickets } from './tickets.js';
import { postgresVerifications } from './verifications.js';

/** Longest wait of ping() (readiness); below the pool's 5 s connect timeout. */
const PING_TIMEOUT_MS = 3_000;

/** Every aggregate's methods over one context; typed so that a missing method fails to compile. */
const aggregates = (ctx: PgContext): RepositoryMethods => ({
  ...postgresCustomers(ctx),
  ...postgresPreferences(ctx),
  ...postgresOrders(ctx),
  ...postgresBilling(ctx),
  ...postgresBanking(ctx),
  ...postgresCallbacks(ctx),
  ...postgresTickets(ctx),
  ...postgresVerifications(ctx),
  ...postgresOutbox(ctx),
  ...postgresHandoffs(ctx),
  ...postgresAudit(ctx),
  ...postgresCounters(ctx),
});

export interface PostgresRepositoryOptions {
  /** Whether close() destroys the Kysely instance (and so ends its pool). Default true. */
  ownsDb?: boolean;
  /**
   * Writable connection for the control tables (audit_log, verifications, outbox,
   * rate_limit_counters) when `db` is read-only (--read-only; see createControlPool in
   * pool.ts). Default: `db`. close() destroys it when ownsDb is true.
   */
  control?: Kysely<Database>;
}

// The methods are the aggregates' (assigned in the constructor); this merge declares them.
export interface PostgresRepository extends RepositoryMethods {}

export class PostgresRepository implements SupportRepository {
  readonly backend = 'postgres' as const;
  readonly #ownsDb: boolean;
  /** Where control-table writes go: the writable pool of a read-only repository, else `db`. */
  readonly #control: Kysely<Database>;
  readonly #ctx: PgContext;
  #closed = false;

  constructor(readonly db: Kysely<Database>, opts: PostgresRepositoryOptions = {}) {
    this.#ownsDb = opts.ownsDb ?? true;
    this.#control = opts.control ?? db;
    this.#ctx = pgContext(db, this.#control);
    Object.assign(this, aggregates(this.#ctx));
  }

  /**
   * Readiness (/readyz) and the start-up check. Bounded: a server that accepts connections but
   * never answers (frozen, or a network black hole) would otherwise hang the probe for as long
   * as a pooled connection waits on it, with no timeout of its own (test/reliability
   * db-outage.test.ts, "frozen"). The statement itself may finish later; nothing waits for it.
   */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(new Error(`no answer within ${PING_TIMEOUT_MS} ms`))), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#ctx.read((db) => sql`select 1`.execute(db)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDb) {
      if (this.#control !== this.db) await this.#control.destroy().catch(() => undefined);
      await this.db.destroy();
    }
  }
}
