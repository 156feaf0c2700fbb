// Prometheus metrics (prom-client), served at GET /metrics on the HTTP transport and on
// --metrics-port for the stdio server. Names follow the OpenTelemetry MCP semantic conventions
// as exported to Prometheus (mcp.server.operation.duration → mcp_server_operation_duration_seconds,
// attributes mcp.method.name, gen_ai.tool.name, error.type → labels with underscores), plus
// support-mcp's own counters and gauges. No label carries a customer id, an argument or any
// PII: tool and method names are bounded to what the server serves (instrument.ts).
import client from 'prom-client';
import { telemetry } from '../logging/telemetry.js';
import type { Operation, RequestInfo, RequestObserver } from './instrument.js';

/** The semantic conventions' recommended buckets for mcp.server.operation.duration (seconds). */
export const OPERATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export interface PoolStats {
  name: string;
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface MetricSources {
  /** Audit entries not yet stored, and entries dropped so far. */
  audit?: () => { pending: number; dropped: number } | null;
  /** Live Postgres pools (data, control). */
  pools?: () => readonly PoolStats[];
}

export interface Metrics extends RequestObserver {
  readonly registry: client.Registry;
  readonly contentType: string;
  /** Where gauges read their values; set once the services are up. */
  setSources(sources: MetricSources): void;
  render(): Promise<string>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry }); // process_*, nodejs_*
  let sources: MetricSources = {};

  const duration = new client.Histogram({
    name: 'mcp_server_operation_duration_seconds',
    help: 'Duration of MCP requests as seen by the server (OpenTelemetry mcp.server.operation.duration).',
    labelNames: ['mcp_method_name', 'gen_ai_tool_name', 'error_type'] as const,
    buckets: OPERATION_BUCKETS,
    registers: [registry],
  });
  const toolCalls = new client.Counter({
    name: 'support_mcp_tool_calls_total',
    help: 'Tool calls by tool, outcome (ok|error) and error code (NOT_FOUND, AUTH_REQUIRED, …; empty when ok).',
    labelNames: ['gen_ai_tool_name', 'outcome', 'error_code'] as const,
    registers: [registry],
  });
  const verifications = new client.Counter({
    name: 'support_mcp_verifications_total',
    help: 'Identity-verification outcomes by method (otp|kba) and status (pending|verified|failed|locked|expired).',
    labelNames: ['method', 'status'] as const,
    registers: [registry],
  });
  const refusals = new client.Counter({
    name: 'support_mcp_rate_limit_refusals_total',
    help: 'Calls refused by a rate limit, by scope (conversation|customer|global|verification|http).',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'support_mcp_audit_queue_depth',
    help: 'Audit entries waiting to be stored (buffered or being written).',
    registers: [registry],
    collect() {
      this.set(sources.audit?.()?.pending ?? 0);
    },
  });
  new client.Counter({
    name: 'support_mcp_audit_dropped_total',
    help: 'Audit entries dropped (buffer full while the store failed, or refused by the store as invalid).',
    registers: [registry],
    collect() {
      const dropped = sources.audit?.()?.dropped ?? 0;
      this.reset();
      if (dropped > 0) this.inc(dropped);
    },
  });
  const poolGauge = (name: string, help: string, pick: (p: PoolStats) => number) => new client.Gauge({
    name, help, labelNames: ['pool'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const p of sources.pools?.() ?? []) this.set({ pool: p.name }, pick(p));
    },
  });
  poolGauge('support_mcp_db_pool_connections', 'Postgres pool connections open (pg Pool totalCount), by pool (data|control).', (p) => p.totalCount);
  poolGauge('support_mcp_db_pool_idle_connections', 'Postgres pool connections idle (pg Pool idleCount).', (p) => p.idleCount);
  poolGauge('support_mcp_db_pool_waiting_requests', 'Queries waiting for a Postgres pool connection (pg Pool waitingCount).', (p) => p.waitingCount);

  // The domain's hooks (events.ts).
  telemetry.toolCall = (tool, outcome, code) => toolCalls.inc({ gen_ai_tool_name: tool, outcome, error_code: code ?? '' });
  telemetry.verification = (method, status) => verifications.inc({ method, status });
  telemetry.rateLimited = (scope) => refusals.inc({ scope });

  return {
    registry,
    contentType: registry.contentType,
    setSources(s) {
      sources = s;
    },
    render: () => registry.metrics(),
    begin(info: RequestInfo): Operation {
      const started = process.hrtime.bigint();
      return {
        run: (fn) => fn(),
        end: (errorType) => {
          duration.observe(
            { mcp_method_name: info.method, gen_ai_tool_name: info.method === 'tools/call' ? info.target ?? '' : '', error_type: errorType ?? '' },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}

/** Removes the domain hooks (tests create several registries in one process). */
export function uninstallMetricHooks(): void {
  delete telemetry.toolCall;
  delete telemetry.verification;
  delete telemetry.rateLimited;
}
