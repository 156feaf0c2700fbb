// Resources: billing statements as PDFs at statement://<customer>/<YYYY-MM> (a resource
// template, resources/read). A read is a call like any tool call: the conversation's access
// guard (an unverified conversation cannot read another customer's statement by guessing the
// URI), rate limits and the audit trail, through the same hub. Nothing is listed: statements
// are found through get_statement / generate_billing_statement, never enumerated.
import { randomUUID } from 'node:crypto';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Principal } from '../domain/principal.js';
import { ServiceError, type ErrorCode as ServiceErrorCode } from '../services/errors.js';
import { PDF_MIME_TYPE, renderStatementPdf, statementUri } from '../statements/pdf.js';
import type { CallDeps } from './call-tool.js';

/** Tools whose results point at a statement resource: the template is served when one is selected. */
export const STATEMENT_TOOLS: ReadonlySet<string> = new Set(['get_statement', 'generate_billing_statement']);

export const STATEMENT_URI_TEMPLATE = 'statement://{customer}/{month}';

/** JSON-RPC error per service error code; `data.code` carries ours. -32002 is MCP's "resource not found". */
const RPC_CODE: Record<ServiceErrorCode, number> = {
  NOT_FOUND: -32002,
  VALIDATION_FAILED: ErrorCode.InvalidParams,
  AUTH_REQUIRED: ErrorCode.InvalidRequest,
  RATE_LIMITED: ErrorCode.InvalidRequest,
  INVALID_STATE: ErrorCode.InvalidRequest,
  CONFLICT: ErrorCode.InvalidRequest,
  DATABASE_ERROR: ErrorCode.InternalError,
  INTERNAL_ERROR: ErrorCode.InternalError,
};

const NEXT_STEP: Partial<Record<ServiceErrorCode, string>> = {
  AUTH_REQUIRED: 'Verify the customer with verify_identity in this conversation, then read the statement again.',
  NOT_FOUND: 'Check the customer id; call get_statement to get a statement and its URI.',
  VALIDATION_FAILED: 'Use statement://<customer id>/<YYYY-MM>, a month not in the future.',
};

export interface ResourceContext {
  deps: CallDeps | Promise<CallDeps>;
  conversationOf: (sessionId: string | undefined, requestId: RequestId) => string;
  principalOf: (authInfo: AuthInfo | undefined) => Principal;
}

export function registerStatementResource(server: McpServer, rc: ResourceContext): void {
  server.registerResource(
    'statement',
    new ResourceTemplate(STATEMENT_URI_TEMPLATE, { list: undefined }),
    {
      title: 'Billing statement (PDF)',
      description: 'A customer\'s monthly billing statement as a PDF: statement://<customer id>/<YYYY-MM>. Same access rules as the tools.',
      mimeType: PDF_MIME_TYPE,
    },
    async (uri, variables, extra) => {
      const deps = await rc.deps;
      const customer = decodeURIComponent(String(variables.customer ?? ''));
      const month = String(variables.month ?? '');
      const started = performance.now();
      const call = {
        tool: 'resources/read:statement',
        conversationId: rc.conversationOf(extra.sessionId, extra.requestId),
        principal: rc.principalOf(extra.authInfo),
        correlationId: randomUUID(),
        args: { uri: uri.href },
      };
      const services = deps.hub.forCall(call);
      const finish = (outcome: 'ok' | 'error', code?: string) => {
        deps.logger.info({ event: 'resource_read', resource: 'statement', outcome, code, correlation_id: call.correlationId, principal: call.principal.id }, 'resource read');
        deps.hub.afterCall({
          ...call, outcome, errorCode: code ?? null, durationMs: Math.round(performance.now() - started), customerId: services.access.touchedCustomerId,
        }, services);
      };
      try {
        await deps.hub.beforeCall(call);
        const statement = await services.billing.getStatement(customer, month);
        const pdf = await renderStatementPdf(statement);
        finish('ok');
        return { contents: [{ uri: statementUri(statement.customer_id, statement.month), mimeType: PDF_MIME_TYPE, blob: pdf.toString('base64') }] };
      } catch (err) {
        if (err instanceof ServiceError) {
          finish('error', err.code);
          throw new McpError(RPC_CODE[err.code], `${err.code}: ${err.message}`, { code: err.code, next_step: NEXT_STEP[err.code] });
        }
        deps.logger.error({ err, resource: 'statement', correlation_id: call.correlationId }, 'unexpected resource failure');
        finish('error', 'INTERNAL_ERROR');
        throw new McpError(ErrorCode.InternalError, `INTERNAL_ERROR: something went wrong on our side (reference ${call.correlationId}).`);
      }
    },
  );
}
