// POST /mcp without Express: the node:http server hands the MCP endpoint's POSTs straight to
// this handler, which runs the rules of http-rules.ts in the order the Express app runs them
// for its routes (Host/Origin 403 and CORS, bearer 401, rate limit 429, body 413/400, OAuth
// scope 403, draining 503 and in-flight tracking), then the MCP handler. Everything else goes
// to the Express app. Why: Express's router and middlewares cost about a third of the server's
// CPU per tool call (issue 15), and this endpoint carries nearly all of the traffic.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from './http-body.js';
import { checkHost, checkOrigin, corsActual, jsonRpcError, type CorsPolicy, type NodeRequest, type RateLimiter } from './http-rules.js';

/** The rules and the handler for POST /mcp (http.ts builds it; tests build one around a stub handler). */
export interface McpPostPipeline {
  /** Hostnames accepted in the Host header; undefined: any. */
  allowedHosts: readonly string[] | undefined;
  originAllowed(origin: string): boolean;
  cors: CorsPolicy;
  /** Bearer auth (sets req.auth), or undefined when the server has no tokens; false: answered. */
  authenticate?: (req: NodeRequest, res: ServerResponse) => Promise<boolean>;
  limiter: RateLimiter;
  maxBodyBytes: number;
  /** OAuth scopes of the tool calls in req.body; false: answered 403. */
  checkScope?: (req: NodeRequest, res: ServerResponse) => boolean;
  /** Draining (false: answered 503), else counts the request in flight and arms its deadline. */
  admit(req: NodeRequest, res: ServerResponse): boolean;
  handle(req: NodeRequest, res: ServerResponse): Promise<void>;
  /** A step threw: answered as the Express app's error handler answers. */
  onError(err: unknown, res: ServerResponse): void;
}

/**
 * Whether the fast path owns a request: POST to /mcp as the Express route matches it (any case,
 * optional trailing slash, any query). Other spellings (absolute-form targets, fragments) fall
 * through to the Express app, which serves them with the same rules.
 */
export function isMcpPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.length !== 4 && path.length !== 5) return false;
  const p = path.toLowerCase();
  return p === '/mcp' || p === '/mcp/';
}

async function run(p: McpPostPipeline, req: NodeRequest, res: ServerResponse): Promise<void> {
  if (p.allowedHosts && !checkHost(req, res, p.allowedHosts)) return;
  if (!checkOrigin(req, res, p.originAllowed)) return;
  corsActual(req, res, p.cors);
  if (p.authenticate && !(await p.authenticate(req, res))) return;
  if (!p.limiter.admit(req, res)) return;
  const body = await readJsonBody(req, p.maxBodyBytes);
  if (!body.ok) return jsonRpcError(res, body.status, body.code, body.message);
  if (p.checkScope && !p.checkScope(req, res)) return;
  if (!p.admit(req, res)) return;
  await p.handle(req, res);
}

export const mcpPostHandler = (p: McpPostPipeline) => (req: IncomingMessage, res: ServerResponse): void => {
  run(p, req, res).catch((err: unknown) => p.onError(err, res));
};
