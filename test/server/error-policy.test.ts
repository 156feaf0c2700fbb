// The error policy at the protocol boundary: an unexpected failure (here a driver-style error
// carrying SQL text) becomes a generic INTERNAL_ERROR with a correlation id, and the details
// reach only the log; an unreachable store becomes DATABASE_ERROR; the server keeps serving.
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { idFingerprint } from '../../src/domain/principal.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { UnavailableError } from '../../src/repository/errors.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();

const SQL_ERROR = 'duplicate key value violates unique constraint "customers_email_key" SELECT * FROM customers WHERE email = $1';

/** A repository whose chosen method fails the given way; everything else works. */
async function failingRepo(method: keyof SupportRepository, error: unknown): Promise<SupportRepository> {
  const repo = new FixtureRepository(await loadDataset());
  return new Proxy(repo, {
    get(target, prop, receiver) {
      if (prop === method) return async () => { throw error; };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('error policy', () => {
  const logLines: string[] = [];
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    logLines.length = 0;
  });

  async function connectTo(repo: SupportRepository) {
    const sink = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
    const server = createSupportServer({
      selection: selectTools([PROFILES.support!]),
      deps: { hub: new ServiceHub({ repo }), logger: pino({ level: 'info' }, sink) },
      defaultConversationId: 'c1',
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 't', version: '0' });
    await Promise.all([server.connect(a), client.connect(b)]);
    close = async () => { await client.close(); await server.close(); };
    return (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  }

  it('an unexpected error is INTERNAL_ERROR with a correlation id; SQL and stack stay in the log', async () => {
    const call = await connectTo(await failingRepo('getOrderWithReturns', new Error(SQL_ERROR)));
    const r = await call('get_order', { order_id: '24601' });
    expect(r.isError).toBe(true);
    const text = (r.content[0] as { text: string }).text;
    const body = JSON.parse(text) as { error: { code: string; correlation_id: string; message: string } };
    expect(body.error.code).toBe('INTERNAL_ERROR');
    expect(body.error.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error.message).toContain(body.error.correlation_id);
    expect(text).not.toMatch(/SELECT|customers_email_key|at .*\.ts/);
    const logged = logLines.join('\n');
    expect(logged).toContain(body.error.correlation_id);
    expect(logged).toContain('customers_email_key');
    // the server is still up
    const ok = await call('find_customer', { customer_id: '1213210' });
    expect(ok.isError).toBeFalsy();
  });

  it('an unavailable store is DATABASE_ERROR, without driver details', async () => {
    const call = await connectTo(await failingRepo('findCustomer', new UnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432'))));
    const r = await call('find_customer', { email: 'john@gmail.com' });
    const text = (r.content[0] as { text: string }).text;
    expect(JSON.parse(text).error.code).toBe('DATABASE_ERROR');
    expect(text).not.toMatch(/ECONNREFUSED|5432/);
  });

  it('logs one line per call without arguments or PII', async () => {
    const call = await connectTo(new FixtureRepository(await loadDataset()));
    await call('find_customer', { email: 'john@gmail.com' });
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'tool_call');
    expect(lines).toHaveLength(1);
    // the conversation by fingerprint only (an id in clear would be worth stealing from logs), and who called
    expect(lines[0]).toMatchObject({ tool: 'find_customer', outcome: 'ok', conversation: idFingerprint('c1'), principal: 'stdio' });
    expect(logLines.join('\n')).not.toContain('"c1"');
    expect(logLines.join('\n')).not.toContain('john@gmail.com');
  });

  it('too many argument elements is VALIDATION_FAILED in the profile\'s own format, not a protocol error', async () => {
    const call = await connectTo(new FixtureRepository(await loadDataset()));
    const wide = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, i]));
    const r = await call('get_order', { order_id: '24601', ...wide });
    expect(r.isError).toBe(true);
    const body = JSON.parse((r.content[0] as { text: string }).text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/more than 2000/);
    // deep nesting counts too, without recursion
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = [deep];
    const d = await call('get_order', { order_id: deep as string });
    expect(JSON.parse((d.content[0] as { text: string }).text).error.code).toBe('VALIDATION_FAILED');
    // and just under the cap is an ordinary argument problem (unknown keys are stripped)
    const ok = await call('get_order', { order_id: '24601', ...Object.fromEntries(Array.from({ length: 1990 }, (_, i) => [`k${i}`, i])) });
    expect(ok.isError).toBeFalsy();
  });
});
