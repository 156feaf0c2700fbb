// OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set (then exported over
// OTLP/HTTP); otherwise this module is never loaded and nothing is wrapped. One SERVER span per
// MCP request following the MCP semantic conventions — name `{mcp.method.name} {target}`,
// attributes mcp.method.name, gen_ai.tool.name / gen_ai.prompt.name, gen_ai.operation.name,
// jsonrpc.request.id, mcp.session.id, network.transport, error.type — parented on the W3C
// traceparent a client puts in params._meta, with the request handled inside the span's
// context so every Postgres query becomes a CLIENT child span (Kysely's query log; the SQL is
// parameterised, so no argument values reach a span).
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { LogEvent } from 'kysely';
import { setQueryLogger } from '../repository/postgres/query-log.js';
import { NAME, VERSION } from '../version.js';
import type { Operation, RequestInfo, RequestObserver } from './instrument.js';

export interface Tracing extends RequestObserver {
  readonly tracer: Tracer;
  /** Flushes and stops the exporter (shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `pipe` (stdio) or `tcp` (HTTP): the semconv network.transport. */
  networkTransport: 'pipe' | 'tcp';
  /** Default: OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (batched). Tests pass an in-memory exporter (sent at once). */
  exporter?: SpanExporter;
  serviceName?: string;
}

/** params._meta carries the client's trace context (traceparent, tracestate) as plain string keys. */
const metaGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => {
    const v = carrier[key];
    return typeof v === 'string' ? v : undefined;
  },
};

const SQL_TARGET = /\b(?:from|into|update|join)\s+"?([a-z_][a-z0-9_]*)"?/i;

/** A finished Kysely query as a child span of the active (request) span; none outside a request. */
function querySpan(tracer: Tracer, event: LogEvent): void {
  const parent = trace.getSpan(context.active());
  if (!parent) return; // background work (audit flushes, pruning) is not part of a request
  const text = event.query.sql;
  const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const target = SQL_TARGET.exec(text)?.[1];
  const end = Date.now();
  const span = tracer.startSpan(target ? `${operation} ${target}` : operation, {
    kind: SpanKind.CLIENT,
    startTime: end - event.queryDurationMillis,
    attributes: {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      ...(target ? { 'db.collection.name': target } : {}),
      'db.query.text': text.length > 2000 ? `${text.slice(0, 2000)}…` : text,
    },
  }, context.active());
  if (event.level === 'error') {
    const err = event.error as { code?: unknown; name?: string };
    span.setAttribute('error.type', typeof err?.code === 'string' ? err.code : (err?.name ?? 'Error'));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(end);
}

export async function createTracing(opts: TracingOptions): Promise<Tracing> {
  const exporter = opts.exporter ?? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? process.env.OTEL_SERVICE_NAME ?? NAME, 'service.version': VERSION }),
    spanProcessors: [opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register(); // AsyncLocalStorage context manager + W3C trace-context propagator
  const tracer = provider.getTracer(NAME, VERSION);
  setQueryLogger((event) => querySpan(tracer, event));

  return {
    tracer,
    shutdown: async () => {
      setQueryLogger(undefined);
      await provider.shutdown();
    },
    begin(info: RequestInfo): Operation {
      const meta = info.params?._meta;
      const parent = meta && typeof meta === 'object' ? propagation.extract(ROOT_CONTEXT, meta as Record<string, unknown>, metaGetter) : ROOT_CONTEXT;
      const attributes: Attributes = {
        'mcp.method.name': info.method,
        'jsonrpc.request.id': String(info.id),
        'network.transport': opts.networkTransport,
      };
      if (info.sessionId !== undefined) attributes['mcp.session.id'] = info.sessionId;
      if (info.method === 'tools/call' && info.target !== undefined) {
        attributes['gen_ai.tool.name'] = info.target;
        attributes['gen_ai.operation.name'] = 'execute_tool';
      }
      if (info.method === 'prompts/get' && info.target !== undefined) attributes['gen_ai.prompt.name'] = info.target;
      const span = tracer.startSpan(info.target !== undefined ? `${info.method} ${info.target}` : info.method, { kind: SpanKind.SERVER, attributes }, parent);
      const spanContext = trace.setSpan(parent, span);
      return {
        run: (fn) => context.with(spanContext, fn),
        end: (errorType) => {
          if (errorType !== undefined) {
            span.setAttribute('error.type', errorType);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
  };
}
