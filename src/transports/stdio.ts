// stdio transport: stdout carries only JSON-RPC; the server stops when stdin closes
// (the client went away) or on SIGTERM/SIGINT, after in-flight calls finish.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../logging/logger.js';

export interface StdioOptions {
  server: McpServer;
  /** May still be loading when the transport starts. */
  logger: Logger | Promise<Logger>;
  /** Releases resources (database pool); called once on shutdown. */
  onShutdown: () => Promise<void>;
  /** Upper bound for finishing in-flight calls before exiting anyway. */
  shutdownGraceMs?: number;
}

export async function serveStdio(opts: StdioOptions): Promise<void> {
  const transport = new StdioServerTransport();
  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const logger = await opts.logger;
    logger.info({ reason }, 'shutting down');
    const grace = setTimeout(() => {
      logger.warn('shutdown grace period elapsed; exiting');
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
  await opts.server.connect(transport);
  void Promise.resolve(opts.logger).then((logger) => logger.info({ transport: 'stdio' }, 'support-mcp ready'));
}
