// Shared helpers of the security suites (issue 6 item 6): a real MCP client on the `support`
// profile with a given policy and conversation, reading one-time codes from the outbox, audit
// rows, and the "does this text disclose anything of that customer?" scanner.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEntry } from '../../src/domain/index.js';
import type { Principal } from '../../src/domain/principal.js';
import type { Dataset } from '../../src/repository/dataset.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools, withConversationArgument } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { DEFAULT_VERIFICATION, openPolicy, type PolicyConfig, type RateLimitConfig } from '../../src/services/policy.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { textOf } from '../server/harness.js';

const PROFILES = await loadAllProfiles();

export { textOf };

/** A repository holding exactly the shipped fixtures, fresh for every test. */
export interface SecurityBackend {
  name: string;
  fresh(): Promise<SupportRepository>;
  teardown(): Promise<void>;
}
export type BackendRef = () => SecurityBackend;

// ---------------------------------------------------------------------------- policy

export const NO_LIMITS: RateLimitConfig = {
  perConversationPerMinute: 1_000_000,
  perCustomerPerHour: 1_000_000,
  globalPerHour: 1_000_000,
  verificationPerCustomerPerHour: 1_000_000,
};

/**
 * The `support` profile's production default (access verified), with generous limits unless
 * a test sets its own, a short audit flush interval so reads show up quickly, and a fixed secret.
 */
export const securePolicy = (
  o: { access?: 'open' | 'verified'; rateLimits?: RateLimitConfig | null; verification?: Partial<PolicyConfig['verification']> } = {},
): PolicyConfig =>
  openPolicy({
    access: o.access ?? 'verified',
    rateLimits: o.rateLimits === undefined ? NO_LIMITS : o.rateLimits,
    verification: { ...DEFAULT_VERIFICATION, secret: 'security-suite-secret', ...o.verification },
    audit: { enabled: true, flushIntervalMs: 50 },
  });

// ---------------------------------------------------------------------------- client

export interface Session {
  conversationId: string;
  hub: ServiceHub;
  /** The MCP client itself (resources/read and other requests). */
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Client and server closed; the hub (and so the repository) stays open. */
  close(): Promise<void>;
}

/**
 * One conversation: a real MCP Client on its own server, as harness.ts connect() but keeping
 * the ServiceHub in hand. Pass `hub` to put several conversations on one hub (one process), as
 * a stdio or stateful HTTP deployment does; without it each conversation gets its own hub (a
 * replica) on the same repository.
 */
export async function openSession(
  repo: SupportRepository,
  opts: {
    conversationId: string; policy: PolicyConfig; hub?: ServiceHub;
    /** As stateless HTTP serves it: every tool takes an optional conversation_id argument. */
    stateless?: boolean;
    /** Who calls (default: the stdio process). */
    principal?: Principal;
  },
): Promise<Session> {
  const hub = opts.hub ?? new ServiceHub({ repo, policy: opts.policy, conversationArgument: opts.stateless === true });
  const selection = selectTools([PROFILES.support!], {});
  const server = createSupportServer({
    selection: opts.stateless ? withConversationArgument(selection) : selection,
    deps: { hub, logger: silentLogger() },
    defaultConversationId: opts.conversationId,
    ...(opts.principal ? { principal: opts.principal } : {}),
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'support-mcp-security-tests', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    conversationId: opts.conversationId,
    hub,
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

// ---------------------------------------------------------------------------- results

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ErrorBody {
  code: string;
  message: string;
  next_step: string;
  [k: string]: unknown;
}

export const isErr = (r: CallToolResult): boolean => r.isError === true;

/** The support profile's error body; throws (with the text) when the result is a success. */
export const errOf = (r: CallToolResult): ErrorBody => {
  if (!r.isError) throw new Error(`expected an error result, got ${textOf(r)}`);
  return (JSON.parse(textOf(r)) as { error: ErrorBody }).error;
};

/** The success payload; throws (with the text) when the result is an error. */
export const okOf = <T = Obj>(r: CallToolResult): T => {
  if (r.isError) throw new Error(`expected success, got ${textOf(r)}`);
  return JSON.parse(textOf(r)) as T;
};

/** Error code, or 'ok'. */
export const codeOf = (r: CallToolResult): string => (r.isError ? errOf(r).code : 'ok');

/** A verify_identity outcome: the status of a success, or `error:<CODE>`. */
export const verifyStatus = (r: CallToolResult): string => (r.isError ? `error:${errOf(r).code}` : String(okOf(r).status));

/** Seconds to wait from a RATE_LIMITED body: a retry-after field, or "N second(s)" in the message. */
export const retryAfterOf = (e: ErrorBody): number | null => {
  for (const k of ['retry_after_seconds', 'retry_after', 'retryAfterSeconds', 'retryAfter']) {
    const v = e[k];
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  const m = /(\d+)\s*(?:s\b|sec|second)/i.exec(`${e.message} ${e.next_step}`);
  return m ? Number(m[1]) : null;
};

// ---------------------------------------------------------------------------- outbox, audit

interface OutboxRow {
  verification_id: string | null;
  customer_id: string | null;
  destination: string;
  channel: string;
  code: string | null;
  body: string;
}

/** Every outbox message (any state), through the repository's outbox listing. */
export async function outbox(repo: SupportRepository): Promise<OutboxRow[]> {
  const list = (repo as unknown as { listOutbox?: (q?: { limit?: number }) => Promise<OutboxRow[]> }).listOutbox;
  if (typeof list !== 'function') throw new Error('repository has no listOutbox() yet');
  return list.call(repo, { limit: 1000 });
}

/** The one-time code delivered for a verification (read the way a sender would). */
export async function codeFor(repo: SupportRepository, verificationId: string): Promise<string> {
  const rows = (await outbox(repo)).filter((m) => m.verification_id === verificationId);
  const code = rows.at(-1)?.code;
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    throw new Error(`no 6-digit code in the outbox for verification ${verificationId}: ${JSON.stringify(rows)}`);
  }
  return code;
}

/** A 6-digit code that is not `code`. */
export const wrongCode = (code: string, k = 1): string => String((Number(code) + k) % 1_000_000).padStart(6, '0');

/** Starts an OTP challenge and answers it with the delivered code; returns the verification id. */
export async function verifyByOtp(s: Session, repo: SupportRepository, customerId: string): Promise<string> {
  const start = okOf(await s.call('verify_identity', { customer_id: customerId, method: 'otp', channel: 'email' }));
  if (start.status !== 'pending') throw new Error(`expected a pending challenge, got ${JSON.stringify(start)}`);
  const id = String(start.verification_id);
  const done = okOf(await s.call('verify_identity', { customer_id: customerId, method: 'otp', verification_id: id, code: await codeFor(repo, id) }));
  if (done.status !== 'verified') throw new Error(`expected verified, got ${JSON.stringify(done)}`);
  return id;
}

/** Audit rows of one conversation, oldest first. */
export async function auditOf(repo: SupportRepository, conversationId: string): Promise<AuditEntry[]> {
  const rows = await repo.listAudit({ limit: 10_000 });
  return rows.filter((r) => r.conversation_id === conversationId).sort((a, b) => a.id - b.id);
}

/**
 * Waits (polling, bounded) until at least `n` audit rows of the conversation are stored — read
 * entries may be batched and flushed up to a second later — then once more after a few flush
 * intervals, so late duplicates would be seen too.
 */
export async function settledAudit(repo: SupportRepository, conversationId: string, n: number): Promise<AuditEntry[]> {
  const deadline = Date.now() + 10_000;
  let rows = await auditOf(repo, conversationId);
  while (rows.length < n && Date.now() < deadline) {
    await sleep(50);
    rows = await auditOf(repo, conversationId);
  }
  await sleep(300);
  return auditOf(repo, conversationId);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------- leak scanner

const digits = (s: string): string => s.replace(/\D/g, '');

/**
 * Every string that would disclose the customer's data: name, contacts (raw and as digits),
 * verification secrets, and the ids, products and decimal amounts of their orders,
 * subscriptions, billing, payments, bank accounts and tickets.
 */
export function secretsOf(ds: Dataset, customerId: string): string[] {
  const c = ds.customers.find((x) => x.id === customerId);
  if (!c) throw new Error(`no customer ${customerId} in the dataset`);
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v.length >= 3) out.add(v);
    if (typeof v === 'number' && !Number.isInteger(v)) out.add(String(v));
    if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1000) out.add(String(v));
  };
  add(c.name);
  add(c.email);
  if (c.phone) {
    add(c.phone);
    add(digits(c.phone).slice(-10)); // the national number as digits
    add(digits(c.phone).slice(-7));
  }
  add(c.username ?? undefined);
  add((c as Obj).account_number ?? undefined);
  add((c as Obj).date_of_birth ?? undefined);
  add((c as Obj).postcode ?? undefined);
  const mine = <T extends { customer_id: string }>(rows: readonly T[]): T[] => rows.filter((r) => r.customer_id === customerId);
  for (const o of mine(ds.orders)) {
    add(o.id);
    add(o.total);
    for (const i of o.items) {
      add(i.product);
      add(i.unit_price);
    }
  }
  for (const s of mine(ds.subscriptions)) {
    add(s.id);
    add(s.amount);
  }
  for (const b of mine(ds.billing_accounts)) {
    add(b.payment_method);
    add(b.latest_charges);
    add(b.balance);
    const last4 = /(\d{4})\s*$/.exec(b.payment_method ?? '');
    if (last4) out.add(last4[1]!);
  }
  for (const p of mine(ds.payments)) {
    add(p.id);
    add(p.amount);
  }
  for (const a of mine(ds.bank_accounts)) {
    add(a.id);
    add(a.balance);
  }
  for (const t of mine(ds.tickets)) {
    add(t.id);
    add(t.number);
    add(t.description);
  }
  return [...out];
}

/** The text with every string argument of the call replaced: an echo of the caller's own input is no leak. */
export function withoutEcho(text: string, args: Record<string, unknown>): string {
  let t = text;
  const values = Object.values(args).filter((v): v is string => typeof v === 'string' && v.length >= 3);
  for (const v of values.sort((a, b) => b.length - a.length)) {
    const once = (x: string): string => JSON.stringify(x).slice(1, -1); // as inside a JSON string
    const plain = [v, v.trim(), v.toLowerCase(), v.trim().toLowerCase()];
    for (const form of new Set([...plain, ...plain.map(once), ...plain.map((x) => once(once(x)))])) {
      if (form.length >= 3) t = t.split(form).join('<arg>');
    }
  }
  return t;
}

/** The secrets of `secrets` found in `text` (case-insensitive). */
export const leaked = (text: string, secrets: readonly string[]): string[] => {
  const t = text.toLowerCase();
  return secrets.filter((s) => t.includes(s.toLowerCase()));
};
