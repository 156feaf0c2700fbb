// POST /mcp in stateless mode: the Streamable HTTP rules for one request, answered with JSON
// by the shared server behind a MultiplexTransport.
//
// Why not the SDK's StreamableHTTPServerTransport per request: it converts every Node
// request into a web-standard Request/Response pair (via @hono/node-server), builds a
// ReadableStream and per-transport maps, and it cannot be reused across requests. Profiling
// the stateless path (bench/README.md) put that conversion, plus a new McpServer per
// request, at about half of the server's CPU per call. The rules below are the SDK's, in
// its order, with its status codes and messages (WebStandardStreamableHTTPServerTransport.
// handlePostRequest, stateless, enableJsonResponse); test/server/stateless-post.test.ts
// checks them against the SDK transport frame by frame. Stateful sessions and legacy SSE
// still use the SDK transports unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { MAX_BATCH_SIZE } from '@modelcontextprotocol/sdk/server/requestBody.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import {
  isInitializeRequest,
  isJSONRPCNotification,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type MessageExtraInfo,
} from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCAnswer, MultiplexTransport } from './multiplex.js';

type NodeRequest = IncomingMessage & { auth?: AuthInfo; body?: unknown };

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const fail = (res: ServerResponse, status: number, code: number, message: string): void =>
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * Answers one stateless POST. `req.body` is the parsed JSON body (http-body.ts readJsonBody ran before;
 * invalid JSON and oversized bodies were answered there).
 */
export async function handleStatelessPost(req: NodeRequest, res: ServerResponse, mux: MultiplexTransport): Promise<void> {
  const accept = req.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
    return fail(res, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    return fail(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const raw = req.body;
  if (Array.isArray(raw) && raw.length > MAX_BATCH_SIZE) {
    return fail(res, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
  }
  let messages: JSONRPCMessage[];
  try {
    messages = Array.isArray(raw) ? raw.map((m) => JSONRPCMessageSchema.parse(m)) : [JSONRPCMessageSchema.parse(raw)];
  } catch {
    return fail(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
  }
  if (messages.some(isInitializeRequest)) {
    if (messages.length > 1) return fail(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
  } else {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return fail(res, 400, -32000, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`);
    }
  }

  // Handlers see the request's headers and the caller's verified token, as with the SDK.
  const extra: MessageExtraInfo = { authInfo: req.auth, requestInfo: { headers: req.headers } };
  const answers: Promise<JSONRPCAnswer>[] = [];
  for (const message of messages) {
    if (isJSONRPCRequest(message)) answers.push(mux.request(message, extra));
    else if (isJSONRPCNotification(message)) mux.notify(message, extra);
    // a client's JSON-RPC response: stateless mode never asks clients anything
  }
  if (answers.length === 0) {
    res.writeHead(202).end();
    return;
  }
  const results = await Promise.all(answers);
  // A client that went away gets nothing; its answers were computed and are dropped.
  sendJson(res, 200, results.length === 1 ? results[0] : results);
}
