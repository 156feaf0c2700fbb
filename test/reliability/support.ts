// Helpers for the reliability suites: the built CLI as a child process we can observe (pid,
// exit code, signal) and kill, a private throw-away PostgreSQL cluster we may stop and start
// at will (never the shared server), per-test databases on DATABASE_URL, and MCP calls that
// classify every answer (ok / tool error code / transport failure) with their duration.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { CLI } from '../server/cli.js';

export { CLI, runCli } from '../server/cli.js';

const run = promisify(execFile);

export const isCI = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false';
};

// ---------------------------------------------------------------- the server under test

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  logs: string[];
  /** Resolves when the process has exited (code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `support-mcp --transport http --port 0 …`, resolved on its ready line. Like
 * test/server/cli.ts startHttpServer, but exposes the child so a test can tell "same process,
 * still running" from "crashed" and can SIGKILL it.
 */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, '--transport', 'http', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${logs.join('\n')}`)), 20_000);
    let buf = '';
    let ready = false;
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (logs.length < 20_000) logs.push(line); // bounded: load runs log every call
        if (ready) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'support-mcp ready' && entry.port) {
            ready = true;
            clearTimeout(timer);
            resolve({
              url: `http://127.0.0.1:${entry.port}`,
              port: entry.port,
              pid: child.pid!,
              child,
              logs,
              exited,
              alive: () => child.exitCode === null && child.signalCode === null,
              kill: async (signal = 'SIGTERM') => {
                if (child.exitCode === null && child.signalCode === null) child.kill(signal);
                return exited;
              },
            });
          }
        } catch {
          // not JSON (a configuration error line): kept for the message
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${logs.join('\n')}`));
    });
  });
}

// ---------------------------------------------------------------- MCP calls

export type Outcome =
  | { kind: 'ok'; data: Record<string, any>; ms: number } // eslint-disable-line @typescript-eslint/no-explicit-any
  | { kind: 'tool_error'; code: string; hasStructured: boolean; ms: number }
  | { kind: 'transport_error'; message: string; ms: number };

export async function connectClient(url: string): Promise<Client> {
  const client = new Client({ name: 'reliability', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

/** The error code a failed result carries in its text block ({"error":{"code":…}}). */
export const errorCodeOf = (r: CallToolResult): string => {
  const text = r.content?.[0]?.type === 'text' ? r.content[0].text : '';
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? `unparsed:${text.slice(0, 80)}`;
  } catch {
    return `unparsed:${text.slice(0, 80)}`;
  }
};

/** One tools/call, never throwing: what came back and how long it took. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>, timeoutMs = 20_000): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as CallToolResult;
    const ms = performance.now() - t0;
    if (r.isError) return { kind: 'tool_error', code: errorCodeOf(r), hasStructured: r.structuredContent !== undefined, ms };
    return { kind: 'ok', data: r.structuredContent as Record<string, any>, ms }; // eslint-disable-line @typescript-eslint/no-explicit-any
  } catch (err) {
    return { kind: 'transport_error', message: (err as Error).message, ms: performance.now() - t0 };
  }
}

/** GET a probe: the status, or 0 when nothing answers. */
export async function probe(url: string): Promise<number> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await r.text();
    return r.status;
  } catch {
    return 0;
  }
}

/** A JSON-RPC answer from a Streamable HTTP POST body: plain JSON, or SSE `data:` lines. */
export function parseRpcBody(contentType: string | null, body: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (contentType?.includes('text/event-stream')) {
    const out: unknown[] = [];
    for (const event of body.split(/\r?\n\r?\n/)) {
      const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) out.push(JSON.parse(data));
    }
    return out;
  }
  const parsed = JSON.parse(body) as unknown;
  return Array.isArray(parsed) ? parsed : [parsed];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- databases on DATABASE_URL

/** Creates a uniquely named database on the server of `adminUrl`; returns its URL and a dropper. */
export async function createTempDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs `fn` with a short-lived pg client (not the server's pool). */
export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- a private PostgreSQL cluster

export type ClusterPrerequisites =
  | { ok: true; bin: string; asPostgres: boolean }
  | { ok: false; reason: string };

const versionOf = (dir: string): number => Number.parseFloat(dir) || 0;

/** Where initdb/pg_ctl are, and whether they must run as the `postgres` OS user (we are root). */
export async function clusterPrerequisites(): Promise<ClusterPrerequisites> {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => versionOf(b) - versionOf(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not a Debian-style install
  }
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // no pg_config on PATH
  }
  const bin = candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')));
  if (!bin) return { ok: false, reason: 'PostgreSQL server binaries (initdb, pg_ctl) not found (set PG_BIN)' };
  const root = process.getuid?.() === 0;
  if (!root) return { ok: true, bin, asPostgres: false }; // initdb only refuses to run as root
  try {
    await run('runuser', ['-u', 'postgres', '--', 'true']);
  } catch (err) {
    return { ok: false, reason: `running as root but 'runuser -u postgres' failed (${(err as Error).message.split('\n')[0]})` };
  }
  return { ok: true, bin, asPostgres: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/<db> */
  url(db?: string): string;
  start(): Promise<void>;
  stop(mode: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /**
   * SIGSTOP (true) or SIGCONT (false) the postmaster and its backends: a server that still
   * holds its sockets and accepts TCP connections but never answers (as behind a network black
   * hole), which a stop cannot simulate.
   */
  freeze(frozen: boolean): void;
  /** Stops it (immediate) and deletes its directory. Idempotent, never throws. */
  destroy(): Promise<void>;
}

/** The postmaster of a data directory and its child processes (Linux /proc). */
function clusterPids(data: string): number[] {
  const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after ')'
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster ? [Number(d)] : [];
    } catch {
      return []; // exited meanwhile
    }
  });
  return [postmaster, ...children];
}

/**
 * initdb into a temp directory and start a postmaster on a free loopback port, with its
 * socket in that directory: entirely separate from the shared server on 5432.
 */
export async function startPrivateCluster(pre: { bin: string; asPostgres: boolean }): Promise<PrivateCluster> {
  const dir = mkdtempSync('/tmp/support-mcp-pg-');
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  if (pre.asPostgres) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const exec = (tool: string, args: string[]) => {
    const file = path.join(pre.bin, tool);
    return pre.asPostgres ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  let destroyed = false;
  let frozen: number[] = [];
  const freeze = (on: boolean) => {
    if (on) frozen = clusterPids(data);
    for (const pid of frozen) {
      try {
        process.kill(pid, on ? 'SIGSTOP' : 'SIGCONT');
      } catch {
        // gone already
      }
    }
    if (!on) frozen = [];
  };
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    if (frozen.length) freeze(false); // a stopped postmaster cannot shut down
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // --no-sync: a throw-away cluster; durability across an OS crash is not what we test
    // (a postmaster stop or crash keeps everything the server acknowledged as committed).
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    const start = () => exec('pg_ctl', [
      '-D', data, '-l', log, '-w', '-t', '30',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`,
      'start',
    ]).then(() => undefined);
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await start();
        break;
      } catch (err) {
        if (attempt >= 2) throw err; // (someone took the port between probe and bind)
      }
    }
    return {
      port,
      url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
      start,
      stop: async (mode) => {
        await exec('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      },
      freeze,
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}
