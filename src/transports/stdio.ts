// stdio transport: stdout carries only JSON-RPC; the server stops when stdin closes
// (the client went away) or on SIGTERM/SIGINT, after in-flight calls finish.
import { Transform, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../logging/logger.js';

export interface StdioOptions {
  server: McpServer;
  /** May still be loading when the transport starts. */
  logger: Logger | Promise<Logger>;
  /** Releases resources (database pool); called once on shutdown. */
  onShutdown: () => Promise<void>;
  /**
   * Resolves once the data store and services are up (and their start-up lines are logged):
   * the ready line waits for it, and so does the shutting-down line, so the log reads in order
   * even when stdin closes at once.
   */
  started?: Promise<unknown>;
  /** Upper bound for finishing in-flight calls before exiting anyway. */
  shutdownGraceMs?: number;
  /** Longest message (one line) accepted; longer ones are dropped. Default 10 MiB, the SDK's own limit. */
  maxMessageBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * Passes stdin on one complete line at a time and drops any line longer than `maxLineBytes`.
 * Without it the SDK's read buffer overflows on one oversized line, closes the transport and
 * the process exits (code 0, nothing logged): one bad message ended the whole session. A
 * trailing partial line at end of input is dropped (it could never be processed anyway).
 */
export function lineLimiter(maxLineBytes: number, onDrop: (bytes: number) => void): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping = false;
  let droppedBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const lines: Buffer[] = [];
      let start = 0;
      while (start < chunk.length) {
        const nl = chunk.indexOf(0x0a, start);
        const end = nl === -1 ? chunk.length : nl + 1;
        const piece = chunk.subarray(start, end);
        start = end;
        if (dropping) {
          droppedBytes += piece.length;
        } else {
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes > maxLineBytes + 2) { // + "\r\n"
            dropping = true;
            droppedBytes = pendingBytes;
            pending = [];
            pendingBytes = 0;
          }
        }
        if (nl !== -1) {
          if (dropping) {
            onDrop(droppedBytes);
            dropping = false;
            droppedBytes = 0;
          } else {
            lines.push(...pending);
            pending = [];
            pendingBytes = 0;
          }
        }
      }
      if (lines.length > 0) this.push(lines.length === 1 ? lines[0] : Buffer.concat(lines));
      callback();
    },
  });
}

/**
 * The SDK transport's stdout: answers finished in the same turn of the event loop leave in
 * one write. On Linux a write to a pipe is a synchronous syscall that also wakes the reader;
 * with requests in flight one per answer cost more server CPU than the answer itself
 * (bench/README.md). Corked on the first write of a turn, uncorked in setImmediate (after the
 * I/O callbacks of that turn); order is kept and backpressure passes through (write returns
 * false, 'drain' follows the real stream's).
 */
export class CoalescingWriter extends Writable {
  #scheduled = false;
  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: false, highWaterMark: 1024 * 1024 });
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.cork();
      setImmediate(() => this.flush());
    }
    return (super.write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  }

  /** Writes what is corked now (also before the process exits). */
  flush(): void {
    if (!this.#scheduled) return;
    this.#scheduled = false;
    this.uncork();
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#forward(chunk, callback);
  }

  override _writev(chunks: Array<{ chunk: string | Buffer }>, callback: (error?: Error | null) => void): void {
    this.#forward(chunks.length === 1 ? chunks[0]!.chunk : chunks.map((c) => c.chunk.toString()).join(''), callback);
  }

  #forward(data: string | Buffer, callback: () => void): void {
    if (this.out.write(data)) callback();
    else this.out.once('drain', () => callback());
  }
}

export async function serveStdio(opts: StdioOptions): Promise<void> {
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const withLogger = (fn: (logger: Logger) => void): void => void Promise.resolve(opts.logger).then(fn);
  const input = process.stdin.pipe(lineLimiter(maxMessageBytes, (bytes) =>
    withLogger((l) => l.warn({ bytes, max_bytes: maxMessageBytes }, 'ignored a message larger than the limit'))));
  // Our lines are at most maxMessageBytes; the SDK buffer holds one of them plus a read chunk.
  const stdout = new CoalescingWriter(process.stdout);
  const transport = new StdioServerTransport(input, stdout, { maxBufferSize: 2 * maxMessageBytes + 1024 * 1024 });
  let stopping = false;
  let readyLogged: Promise<void> = Promise.resolve();
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const logger = await opts.logger;
    // 'starting', 'policy' and 'ready' first, then 'shutting down' (bounded: a start-up that
    // hangs must not keep the process from stopping)
    await Promise.race([readyLogged, new Promise((r) => setTimeout(r, opts.shutdownGraceMs ?? 5000).unref())]);
    logger.info({ reason }, 'shutting down');
    const grace = setTimeout(() => {
      logger.warn('shutdown grace period elapsed; exiting');
      stdout.flush();
      process.exit(0);
    }, opts.shutdownGraceMs ?? 5000);
    grace.unref();
    try {
      await opts.server.close();
      await opts.onShutdown();
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
    }
    clearTimeout(grace);
    stdout.flush(); // the last answers, before exit (a write to a pipe or file is synchronous)
    process.exit(0);
  };
  process.stdin.on('end', () => void stop('stdin closed'));
  process.stdin.on('close', () => void stop('stdin closed'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // stdout may close under us (client killed): EPIPE must not crash with a stack on stderr.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') void stop('stdout closed');
  });
  // A line that is not JSON or not a JSON-RPC message is skipped by the SDK; say so (debug:
  // the kind of problem only, never the line, which may carry personal data).
  opts.server.server.onerror = (err) =>
    withLogger((l) => l.debug({ err_name: err.name }, 'ignored a line that is not a valid JSON-RPC message'));
  // If the transport closes for any other reason, shut down cleanly and say why, rather
  // than leave a process that reads nothing (or exits without a word).
  opts.server.server.onclose = () => void stop('transport closed');
  // Connected before the services are up: `initialize` is answered while they load.
  const connected = opts.server.connect(transport);
  readyLogged = Promise.all([connected, opts.logger, opts.started])
    .then(([, logger]) => logger.info({ transport: 'stdio' }, 'support-mcp ready'))
    .catch(() => undefined); // a failed start-up has said why and exits
  await connected;
}
