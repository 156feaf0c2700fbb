// One long-lived MCP server answering many independent stateless HTTP requests.
//
// Why: the SDK's stateless pattern builds a new McpServer per POST (typescript-sdk#2090,
// #2838). For us that was the largest avoidable cost per call: tool registration, Protocol
// maps, and `close()` creating an McpError with a stack trace for every request. Its
// transport cannot be reused, but the server can be, as long as responses cannot cross
// between clients. The SDK's own warning (CVE-2026-25536) is about exactly that: two
// clients using the same JSON-RPC id on one transport. So every request entering the
// shared server gets a fresh, unguessable internal id, and its response is matched back by
// that id and handed to the one HTTP request that asked, with the client's id restored.
//
// HTTP semantics (Accept/Content-Type checks, batches, 202 for notifications, JSON bodies)
// stay with the SDK's per-request StreamableHTTPServerTransport; this class only carries
// messages between it and the shared server.
import { randomUUID } from 'node:crypto';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  type MessageExtraInfo,
} from '@modelcontextprotocol/sdk/types.js';

export type JSONRPCAnswer = JSONRPCResultResponse | JSONRPCErrorResponse;

export const INTERNAL_ID_PREFIX = 'http-';

export class MultiplexTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  /** Internal request id → the waiting caller. Every entry is removed when its answer arrives. */
  readonly #pending = new Map<string, (answer: JSONRPCAnswer) => void>();
  #closed = false;

  async start(): Promise<void> {}

  /** Requests still waiting for the server's answer (for tests and shutdown). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Hands one client request to the shared server and resolves with its answer, carrying
   * the client's own id. The internal id (`http-<uuid>`) is also what handlers see as
   * `extra.requestId`: stateless requests use it as their conversation id.
   */
  request(message: JSONRPCRequest, extra?: MessageExtraInfo): Promise<JSONRPCAnswer> {
    if (this.#closed) {
      return Promise.resolve({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: 'Server is shutting down' } });
    }
    const internalId = `${INTERNAL_ID_PREFIX}${randomUUID()}`;
    return new Promise((resolve) => {
      this.#pending.set(internalId, (answer) => resolve({ ...answer, id: message.id }));
      this.onmessage?.({ ...message, id: internalId }, extra);
    });
  }

  /**
   * A client notification. `notifications/cancelled` names a request by the client's id,
   * which means nothing here (and must never reach another client's request), so it is
   * dropped; the others (e.g. `notifications/initialized`) are passed on.
   */
  notify(message: JSONRPCNotification, extra?: MessageExtraInfo): void {
    if (this.#closed || message.method === 'notifications/cancelled') return;
    this.onmessage?.(message, extra);
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) {
      // Notifications (progress, log messages) and server→client requests have no stateless
      // channel back: JSON responses carry only the answer. Our tools send neither.
      return;
    }
    const key = String(message.id);
    const deliver = this.#pending.get(key);
    if (!deliver) return; // not ours (cannot happen: ids are only minted above)
    this.#pending.delete(key);
    deliver(message);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, deliver] of this.#pending) {
      deliver({ jsonrpc: '2.0', id, error: { code: -32000, message: 'Server is shutting down' } });
    }
    this.#pending.clear();
    this.onclose?.();
  }
}
