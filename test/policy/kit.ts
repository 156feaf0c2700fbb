// Helpers of the policy suites (issue 6 items 3-5: rate limits, audit trail, read-only): real MCP
// clients on real servers that share one ServiceHub (one process, several conversations), with
// the hub in hand (close() must flush the audit trail) and a controllable clock for the
// rate-limit windows.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEntry } from '../../src/domain/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { BANKING_CONTRACT_LIMITS, openPolicy, type PolicyConfig, type RateLimitConfig } from '../../src/services/policy.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { textOf } from '../server/harness.js';

const PROFILES = await loadAllProfiles();

export { textOf };

/** A repository with exactly the shipped fixtures, fresh for every test. */
export interface PolicyBackend {
  name: 'fixtures' | 'pglite' | 'postgres';
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}
export type BackendRef = () => PolicyBackend;

export const JOHN = 'CUST-12344'; // john.doe@example.com, +1 (646) 555-0117
export const JANE = 'CUST-20003'; // jane.smith@acme.com, +1 (408) 555-0176
export const SARAH = 'CUST-20001';
export const JANE_PROCESSING_ORDER = 'ORD-2024-9999';
export const JANE_DELIVERED_ORDER = 'ORD-2024-1100';

/** Limits no test reaches unless it sets its own. */
export const HUGE: RateLimitConfig = {
  perConversationPerMinute: 1_000_000, perCustomerPerHour: 1_000_000, globalPerHour: 1_000_000, verificationPerCustomerPerHour: 1_000_000,
};

export const policy = (o: {
  access?: 'open' | 'verified';
  limits?: Partial<RateLimitConfig> | 'contract' | null;
  flushIntervalMs?: number;
  audit?: boolean;
} = {}): PolicyConfig =>
  openPolicy({
    access: o.access ?? 'open',
    rateLimits: o.limits === null ? null : o.limits === 'contract' ? { ...BANKING_CONTRACT_LIMITS } : { ...HUGE, ...o.limits },
    audit: { enabled: o.audit ?? true, flushIntervalMs: o.flushIntervalMs ?? 50 },
  });

/** A settable clock: window arithmetic in tests never depends on the wall clock. */
export class TestClock {
  constructor(public ms: number = Date.parse('2030-03-04T12:00:15.000Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Conversation {
  id: string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** One MCP client + server for `conversationId`, on the given hub. */
export async function converse(hub: ServiceHub, conversationId: string, profiles: string[] = ['support']): Promise<Conversation> {
  const server = createSupportServer({
    selection: selectTools(profiles.map((p) => PROFILES[p]!), {}),
    deps: { hub, logger: silentLogger() },
    defaultConversationId: conversationId,
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'support-mcp-policy-tests', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    id: conversationId,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export interface ErrorBody {
  code: string;
  message: string;
  next_step: string;
}

export const errOf = (r: CallToolResult): ErrorBody => {
  if (!r.isError) throw new Error(`expected an error result, got ${textOf(r)}`);
  return (JSON.parse(textOf(r)) as { error: ErrorBody }).error;
};

/** Error code, or 'ok'. */
export const codeOf = (r: CallToolResult): string => (r.isError ? errOf(r).code : 'ok');

/** The wait a RATE_LIMITED answer gives ("Try again in N seconds"). */
export const retryAfterOf = (r: CallToolResult): number => {
  const e = errOf(r);
  if (e.code !== 'RATE_LIMITED') throw new Error(`expected RATE_LIMITED, got ${e.code}: ${e.message}`);
  const m = /try again in (\d+) seconds?/i.exec(e.message);
  if (!m) throw new Error(`no wait in: ${e.message}`);
  return Number(m[1]);
};

/** Audit rows of one conversation, oldest first. */
export async function auditOf(repo: SupportRepository, conversationId: string): Promise<AuditEntry[]> {
  return (await repo.listAudit({ limit: 10_000 })).filter((r) => r.conversation_id === conversationId);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls (bounded) until the conversation has at least `n` audit rows; returns them. */
export async function waitForAudit(repo: SupportRepository, conversationId: string, n: number, timeoutMs = 10_000): Promise<AuditEntry[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await auditOf(repo, conversationId);
  while (rows.length < n && Date.now() < deadline) {
    await sleep(25);
    rows = await auditOf(repo, conversationId);
  }
  return rows;
}
