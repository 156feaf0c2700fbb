// An embedded PGlite database served over TCP by @electric-sql/pglite-socket, so tests run
// the real production path (pg Pool + Kysely PostgresDialect) without a Postgres install.
//
// PGlite is ONE Postgres session. pglite-socket accepts several TCP connections but
// multiplexes them all onto that single session (queries are queued; while one connection
// is inside a transaction, the others wait). Clients should therefore use a pool of at
// most one connection (`max: 1`): session state (search_path, SET ...) is shared anyway, and
// row-lock contention between connections cannot be exercised here — that is what the real
// Postgres run (DATABASE_URL) is for.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PGliteServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly connectionString: string;
  readonly port: number;
  readonly db: PGlite;
  /** Closes every client socket, the listener and the database. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPGliteOptions {
  /**
   * TCP connections the server accepts at once (default 4). Each Kysely/pg pool should still
   * use max 1; the headroom is for short-lived extra pools (migrations, raw checks).
   */
  maxConnections?: number;
}

/** Starts an in-memory PGlite and serves it on 127.0.0.1 with an ephemeral port. */
export async function startPGliteServer(opts: StartPGliteOptions = {}): Promise<PGliteServer> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0, // let the OS pick a free port; several test files may run at once
    maxConnections: opts.maxConnections ?? 4,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  // getServerConn() reports the port actually bound once start() has resolved.
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw new Error(`pglite-socket did not report a port (${conn})`);
  }

  let stopped: Promise<void> | undefined;
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    db,
    stop() {
      stopped ??= (async () => {
        // Close the pools that use this server BEFORE calling stop(): stop() destroys the
        // sockets of connected clients, which a pg pool would report as idle-client errors.
        await server.stop();
        if (!db.closed) await db.close();
      })();
      return stopped;
    },
  };
}
