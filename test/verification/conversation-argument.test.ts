// The stateless-HTTP conversation argument in-process: withConversationArgument adds an
// optional conversation_id to every tool once (tools/list, validation), the call runs in that
// conversation, the tool's own schema and handler never see it, and verify_identity returns
// the conversation to pass on. (test/verification/stateless-http.e2e.test.ts runs the real
// transport.)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools, SelectionError, withConversationArgument, type SelectedTool } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { openPolicy } from '../../src/services/policy.js';
import { defineTool } from '../../src/tools/define.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { structuredPresenter } from '../../src/tools/presenter.js';
import { dataOf, errorOf } from '../server/harness.js';
import { z } from 'zod';

const PROFILES = await loadAllProfiles();

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let repo: FixtureRepository;
let clients: Client[] = [];
let requests = 0;

/** Like stateless HTTP: every call is a fresh server whose own conversation is random. */
const statelessCall = async (selection: readonly SelectedTool[], hub: ServiceHub, name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
  const server = createSupportServer({ selection, deps: { hub, logger: silentLogger() }, defaultConversationId: `http-request-${++requests}` });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 't', version: '0' });
  await Promise.all([server.connect(b), client.connect(a)]);
  clients.push(client);
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
};

beforeEach(async () => {
  repo = new FixtureRepository(await loadDataset());
});
afterEach(async () => {
  for (const c of clients) await c.close();
  clients = [];
});

describe('withConversationArgument', () => {
  const selection = withConversationArgument(selectTools([PROFILES.support!]));
  const hub = () => new ServiceHub({ repo, policy: { ...openPolicy(), access: 'verified' }, conversationArgument: true });
  const A = 'CUST-20003';

  it('adds an optional, described conversation_id to every tool in tools/list (once per selection)', async () => {
    const server = createSupportServer({ selection, deps: { hub: hub(), logger: silentLogger() }, defaultConversationId: 'x' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 't', version: '0' });
    await Promise.all([server.connect(b), client.connect(a)]);
    clients.push(client);
    const { tools } = await client.listTools();
    expect(tools.length).toBe(selection.length);
    expect(tools.length).toBe(PROFILES.support!.tools.length);
    for (const t of tools) {
      const props = t.inputSchema.properties as Record<string, Obj>;
      expect(props.conversation_id, t.name).toMatchObject({ type: 'string', maxLength: 128 });
      expect(props.conversation_id!.description).toMatch(/conversation_id/);
      expect(t.inputSchema.required ?? []).not.toContain('conversation_id');
    }
    // the plain selection is untouched
    const plain = selectTools([PROFILES.support!]);
    expect(plain.every((s) => !('conversation_id' in s.tool.input.shape))).toBe(true);
  });

  it('without conversation_id, verify_identity creates the conversation and says to pass it on; the id unlocks only with it', async () => {
    const h = hub();
    const started = dataOf<Obj>(await statelessCall(selection, h, 'verify_identity', { customer_id: A, method: 'otp' }));
    expect(started.conversation_id).toMatch(/^http-request-\d+$/);
    expect(started.message).toContain(`conversation_id "${started.conversation_id}"`);
    const conv = started.conversation_id as string;
    const code = (await repo.listOutbox()).find((m) => m.verification_id === started.verification_id)!.code;
    // answering in another request without the conversation finds nothing
    expect(errorOf(await statelessCall(selection, h, 'verify_identity', { customer_id: A, method: 'otp', verification_id: started.verification_id, code })).code).toBe('NOT_FOUND');
    const done = dataOf<Obj>(await statelessCall(selection, h, 'verify_identity', {
      customer_id: A, method: 'otp', verification_id: started.verification_id, code, conversation_id: conv,
    }));
    expect(done).toMatchObject({ status: 'verified', conversation_id: conv });
    expect(dataOf<Obj>(await statelessCall(selection, h, 'get_subscription', { customer_id: A, conversation_id: conv })).subscription.id).toBe('SUB-7890');
    // each request without it is its own conversation; another id is another conversation
    expect(errorOf(await statelessCall(selection, h, 'get_subscription', { customer_id: A })).code).toBe('AUTH_REQUIRED');
    expect(errorOf(await statelessCall(selection, h, 'get_subscription', { customer_id: A, conversation_id: 'someone-else' })).code).toBe('AUTH_REQUIRED');
    // "" and null mean "not given" (OpenAI strict mode), like every optional argument
    expect(errorOf(await statelessCall(selection, h, 'get_subscription', { customer_id: A, conversation_id: '' })).code).toBe('AUTH_REQUIRED');
    expect(errorOf(await statelessCall(selection, h, 'get_subscription', { customer_id: A, conversation_id: null })).code).toBe('AUTH_REQUIRED');
    // the tools' own validation still works with it present (find_customer: exactly one identifier)
    expect(dataOf<Obj>(await statelessCall(selection, h, 'find_customer', { email: 'jane.smith@acme.com', conversation_id: conv })).verification_required).toBe(false);
    expect(errorOf(await statelessCall(selection, h, 'find_customer', { conversation_id: conv })).code).toBe('VALIDATION_FAILED');
  });

  it('an invalid conversation_id is VALIDATION_FAILED on that field, not silently another conversation', async () => {
    const h = hub();
    for (const bad of ['x'.repeat(129), 'white space', 42, { a: 1 }]) {
      const e = errorOf(await statelessCall(selection, h, 'get_subscription', { customer_id: A, conversation_id: bad }));
      expect(e.code, JSON.stringify(bad)).toBe('VALIDATION_FAILED');
      expect(e.message).toMatch(/conversation_id/);
    }
  });

  it('the handler never sees conversation_id; a tool that already has one cannot be wrapped', async () => {
    let seen: Obj | undefined;
    const probe = defineTool({
      name: 'probe', title: 'Probe', description: 'Records its arguments.',
      input: z.object({ x: z.string() }).strict(), output: z.object({ conversation: z.string() }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: async (args, ctx) => {
        seen = args;
        return { conversation: ctx.conversationId };
      },
    });
    const sel = withConversationArgument([{ tool: probe, presenter: structuredPresenter, profile: 'p' }]);
    const r = dataOf<Obj>(await statelessCall(sel, new ServiceHub({ repo }), 'probe', { x: '1', conversation_id: 'conv-7' }));
    expect(r).toEqual({ conversation: 'conv-7' });
    expect(seen).toEqual({ x: '1' });
    const clash = defineTool({ ...probe, input: z.object({ conversation_id: z.string() }), handler: async () => ({ conversation: '' }) });
    expect(() => withConversationArgument([{ tool: clash, presenter: structuredPresenter, profile: 'p' }])).toThrow(SelectionError);
  });
});
