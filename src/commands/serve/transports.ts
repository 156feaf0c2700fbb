// How clients connect, by --transport name. Each entry loads its transport only when chosen
// (the stdio server never loads express), checks the configuration it needs, and starts.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { ANONYMOUS_PRINCIPAL, STDIO_PRINCIPAL, type Principal } from '../../domain/principal.js';
import type { Logger } from '../../logging/logger.js';
import type { SelectedTool } from '../../server/selection.js';
import { parseStaticTokens } from '../../transports/static-tokens.js';
import { ConfigError } from '../errors.js';
import type { ServeConfig } from './config.js';

/** What the composition root hands a transport. */
export interface TransportContext {
  config: ServeConfig;
  /**
   * A server for one conversation (stdio, a session), or for many (stateless HTTP: named per
   * request); `principal` is who calls when the transport authenticated nobody.
   */
  makeServer: (conversationId: string | ((requestId: RequestId) => string), principal: Principal) => McpServer;
  /** A session id presented by a principal other than its owner (audit and warn log). */
  recordRefusedSession: (transport: string, principal: Principal, sessionId: string) => void;
  /** Resolves once the data store and services are up (a data set that fails to load exits 2 before). */
  started: Promise<unknown>;
  logger: Promise<Logger>;
  /** Readiness: resolves when the data store answers. */
  ready: () => Promise<void>;
  /** Releases the services (audit flush, database pool); called once on shutdown. */
  close: () => Promise<void>;
  /** The tools served (OAuth derives the scope each one needs). */
  selection: readonly SelectedTool[];
  /** Prometheus metrics (observability/metrics.ts): GET /metrics over HTTP, --metrics-port for stdio. */
  metrics?: { contentType: string; render(): Promise<string> };
}

export interface Transport {
  /** Configuration the transport cannot run with; a ConfigError (exit 2) before anything starts. */
  check?: (config: ServeConfig) => void;
  /** Loads the transport's modules and returns how to start it. */
  load: () => Promise<(ctx: TransportContext) => Promise<void>>;
}

// Kept here (not imported from transports/http.ts) so configuration parsing stays light.
const isLoopbackHost = (host: string): boolean => ['localhost', '::1', '[::1]'].includes(host) || host.startsWith('127.');

const HTTP_SHUTDOWN_GRACE_MS = 10_000;

export const TRANSPORTS = {
  stdio: {
    load: async () => {
      const { serveStdio } = await import('../../transports/stdio.js');
      return async (ctx) => {
        const server = ctx.makeServer(`stdio-${randomUUID()}`, STDIO_PRINCIPAL); // one caller: the process
        if (ctx.metrics && ctx.config.metricsPort !== undefined) {
          const { startMetricsServer } = await import('../../observability/metrics-server.js');
          const { host } = ctx.config.http;
          const m = await startMetricsServer(ctx.metrics, { host, port: ctx.config.metricsPort, tokens: parseStaticTokens(ctx.config.http.authTokens) });
          void ctx.logger.then((l) => l.info({ host, port: m.port, auth: ctx.config.http.authTokens.length > 0 }, 'metrics at GET /metrics'));
        }
        await serveStdio({ server, logger: ctx.logger, onShutdown: ctx.close, started: ctx.started });
      };
    },
  },
  http: {
    check: (config) => {
      if (!isLoopbackHost(config.http.host) && config.http.authTokens.length === 0 && !config.http.oauth) {
        throw new ConfigError(`refusing to listen on ${config.http.host} without authentication: set --oauth-issuer, --auth-token or MCP_AUTH_TOKEN (or bind to 127.0.0.1)`);
      }
    },
    load: async () => {
      const [{ startHttpServer }, { toolScopesOf }] = await Promise.all([import('../../transports/http.js'), import('./oauth.js')]);
      return async (ctx) => {
        const log = await ctx.logger;
        await ctx.started; // a data set that fails to load must stop start-up before the port opens
        const { oauth, ...httpConfig } = ctx.config.http;
        const http = await startHttpServer(
          {
            ...httpConfig, authTokens: parseStaticTokens(ctx.config.http.authTokens), shutdownGraceMs: HTTP_SHUTDOWN_GRACE_MS,
            ...(oauth ? { oauth: { ...oauth, toolScopes: await toolScopesOf(ctx.selection, oauth.scopes) } } : {}),
          },
          {
            // without tokens (loopback only) every caller is the same anonymous principal
            makeServer: (conversationId) => ctx.makeServer(conversationId, ANONYMOUS_PRINCIPAL),
            ready: ctx.ready,
            logger: log,
            onRefusedSession: ctx.recordRefusedSession,
            ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
          },
        );
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          log.info({ signal }, 'shutting down: draining in-flight requests');
          await http.close();
          await ctx.close();
          log.info('stopped');
          process.exit(0);
        };
        process.on('SIGTERM', () => void stop('SIGTERM'));
        process.on('SIGINT', () => void stop('SIGINT'));
      };
    },
  },
} satisfies Record<string, Transport>;

export type TransportName = keyof typeof TRANSPORTS;
export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as TransportName[];
export const transportFor = (name: TransportName): Transport => TRANSPORTS[name];
