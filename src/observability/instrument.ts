// One observation per MCP request, whatever the transport: the server's transport is wrapped
// so every incoming JSON-RPC request starts an operation and the response that answers it
// (same id) ends it. Metrics (duration histogram) and traces (a span, the handler run inside
// its context) hang off this one place. Installed only when metrics or tracing are on; without
// it nothing is wrapped.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

/** MCP methods by the spec; anything else is reported as `_OTHER` (bounded label values). */
const KNOWN_METHODS = new Set([
  'initialize', 'ping', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read',
  'resources/templates/list', 'resources/subscribe', 'resources/unsubscribe', 'completion/complete', 'logging/setLevel',
]);

export interface RequestInfo {
  /** The JSON-RPC method, or `_OTHER`. */
  method: string;
  /** tools/call: the tool's name when the server serves it, else `_OTHER`; prompts/get: the prompt's. */
  target: string | undefined;
  /** The id as the transport saw it (stateless HTTP: the multiplexer's internal id). */
  id: RequestId;
  params: Record<string, unknown> | undefined;
  sessionId: string | undefined;
}

/** What a response says about the outcome (OTel `error.type`): the JSON-RPC error code, `tool_error`, or none. */
export const errorTypeOf = (method: string, message: JSONRPCMessage): string | undefined => {
  if ('error' in message) return String(message.error.code);
  if (method === 'tools/call' && 'result' in message && (message.result as { isError?: boolean }).isError === true) return 'tool_error';
  return undefined;
};

export interface Operation {
  /** Runs the request's handling (e.g. inside a span's context). */
  run(fn: () => void): void;
  end(errorType: string | undefined): void;
}

export interface RequestObserver {
  begin(info: RequestInfo): Operation;
}

class ObservedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  setProtocolVersion?: (version: string) => void;
  readonly #pending = new Map<RequestId, { op: Operation; method: string }>();

  constructor(private readonly inner: Transport, private readonly observers: readonly RequestObserver[], private readonly names: ReadonlySet<string>) {
    // Handlers already set on the inner transport (http.ts sets onclose before connect) are kept.
    const innerClose = inner.onclose;
    const innerError = inner.onerror;
    inner.onclose = () => {
      innerClose?.();
      for (const { op } of this.#pending.values()) op.end('transport_closed');
      this.#pending.clear();
      this.onclose?.();
    };
    inner.onerror = (err) => {
      innerError?.(err);
      this.onerror?.(err);
    };
    inner.onmessage = (message, extra) => this.#receive(message, extra);
    if (inner.setProtocolVersion) this.setProtocolVersion = (v) => inner.setProtocolVersion!(v);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (!('method' in message) || !('id' in message)) {
      this.onmessage?.(message, extra);
      return;
    }
    const method = KNOWN_METHODS.has(message.method) ? message.method : '_OTHER';
    const params = (message.params ?? undefined) as Record<string, unknown> | undefined;
    const name = typeof params?.name === 'string' ? params.name : undefined;
    const target = method === 'tools/call' || method === 'prompts/get' ? (name !== undefined && this.names.has(name) ? name : '_OTHER') : undefined;
    const info: RequestInfo = { method, target, id: message.id, params, sessionId: this.inner.sessionId };
    const ops = this.observers.map((o) => o.begin(info));
    const op: Operation = ops.length === 1 ? ops[0]! : {
      run: (fn) => ops.reduceRight<() => void>((next, o) => () => o.run(next), fn)(),
      end: (e) => ops.forEach((o) => o.end(e)),
    };
    this.#pending.set(message.id, { op, method });
    op.run(() => this.onmessage?.(message, extra));
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (('result' in message || 'error' in message) && message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      if (pending) {
        this.#pending.delete(message.id);
        pending.op.end(errorTypeOf(pending.method, message));
      }
    }
    return this.inner.send(message, options);
  }
}

/**
 * Every transport this server connects to is observed. `names`: the tool and prompt names the
 * server serves (others are reported as `_OTHER`, so a client cannot mint label values).
 */
export function observeServer(server: McpServer, observers: readonly RequestObserver[], names: ReadonlySet<string>): McpServer {
  if (observers.length === 0) return server;
  const connect = server.connect.bind(server);
  server.connect = (transport: Transport) => connect(new ObservedTransport(transport, observers, names));
  return server;
}
