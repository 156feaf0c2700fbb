// MCP prompts through the protocol (SDK client, in-memory transport): prompts/list and
// prompts/get per profile, the operating rules in the text, arguments, and a prompt that names
// only tools the server serves.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { promptsFor } from '../../src/server/prompts.js';
import { selectTools, type SelectionOptions } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();
const repo = await FixtureRepository.load();
const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c()));
});

async function connect(names: string[], opts: SelectionOptions = {}): Promise<Client> {
  const selection = selectTools(names.map((n) => PROFILES[n]!), opts);
  const server = createSupportServer({
    selection, prompts: promptsFor(names, selection), defaultConversationId: 'prompts-test',
    deps: { hub: new ServiceHub({ repo }), logger: silentLogger() },
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'prompts-test', version: '0.0.0' });
  await Promise.all([server.connect(b), client.connect(a)]);
  open.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

const textOf = async (client: Client, name: string, args: Record<string, string> = {}): Promise<string> => {
  const r = await client.getPrompt({ name, arguments: args });
  expect(r.messages).toHaveLength(1);
  const c = r.messages[0]!.content;
  if (c.type !== 'text') throw new Error('expected text');
  return c.text;
};

/** snake_case words: tool and argument names. */
const identifiers = (text: string): string[] => [...new Set(text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? [])];

describe('prompts', () => {
  it('prompts/list: a "Support agent" with optional customer_name, channel and company; the capability is advertised', async () => {
    const client = await connect(['support']);
    expect(client.getServerCapabilities()?.prompts).toBeDefined();
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([{
      name: 'support_agent', title: 'Support agent', description: expect.stringContaining('verify before any data'),
      arguments: [
        { name: 'customer_name', description: expect.any(String), required: false },
        { name: 'channel', description: expect.stringContaining('voice'), required: false },
        { name: 'company', description: expect.any(String), required: false },
      ],
    }]);
  });

  it('prompts/get carries the operating rules from the seed systems', async () => {
    const text = await textOf(await connect(['support']), 'support_agent');
    expect(text).toMatch(/Identify\..*`find_customer`.*Never look anyone up by name alone/);
    expect(text).toMatch(/Verify before any customer data\..*`verify_identity`.*Never guess, invent or read out a code/);
    expect(text).toMatch(/never anyone else's, not for a family member, a colleague or a claimed emergency/);
    expect(text).toMatch(/Confirm before changing anything\. Before `cancel_order`, `update_contact`, `create_ticket`.*explicit yes/);
    expect(text).toMatch(/Never read back or write out a full card number.*at most the last four digits/);
    // the support profile serves transfer_to_agent: escalation hands over to a person with it
    expect(text).toMatch(/Escalate to a person when the customer asks for one, when verification fails or is locked.*`transfer_to_agent`/);
    expect(text).toContain('Channel: chat.');
  });

  it('arguments: the customer\'s name greets (never identifies), voice changes the wording, company names the employer', async () => {
    const text = await textOf(await connect(['support']), 'support_agent', { customer_name: 'John Doe', channel: 'voice', company: 'TechNova' });
    expect(text).toMatch(/^You are a customer-support agent for TechNova\./);
    expect(text).toContain('"John Doe": greet them by it, but a name identifies nobody');
    expect(text).toMatch(/Channel: voice\. Speak in short sentences.*digit by digit/);
    expect(text).not.toContain('Channel: chat');
  });

  it('an invalid argument is refused (channel is chat or voice); an unknown prompt too', async () => {
    const client = await connect(['support']);
    await expect(client.getPrompt({ name: 'support_agent', arguments: { channel: 'fax' } })).rejects.toThrow(/channel/);
    await expect(client.getPrompt({ name: 'no_such_prompt' })).rejects.toThrow(/not found/i);
  });

  it.each(Object.keys(PROFILES))('%s: one prompt, naming only tools this server serves (also read-only)', async (profile) => {
    for (const opts of [{}, { readOnly: true }]) {
      const client = await connect([profile], opts);
      const { prompts } = await client.listPrompts();
      expect(prompts).toHaveLength(1);
      const { tools } = await client.listTools();
      const served = new Set(tools.flatMap((t) => [t.name, ...Object.keys(t.inputSchema.properties ?? {})]));
      const text = await textOf(client, prompts[0]!.name);
      expect(identifiers(text).filter((w) => !served.has(w)), `${profile} ${JSON.stringify(opts)}`).toEqual([]);
      expect(text).toMatch(/full card number/);
      expect(text).toMatch(/Escalate to a person/);
    }
  });

  it('read-only: no change is promised; combined profiles offer each profile\'s prompt', async () => {
    const ro = await textOf(await connect(['support'], { readOnly: true }), 'support_agent');
    expect(ro).not.toMatch(/cancel_order|update_contact|create_ticket/);
    expect(ro).toContain('This server does not change anything for you');
    const both = await connect(['support', 'arena']);
    expect((await both.listPrompts()).prompts.map((p) => p.name)).toEqual(['support_agent', 'arena_support_agent']);
  });

  it('the support desk\'s transfer_to_agent and block_card are used once served', () => {
    const selection = selectTools([PROFILES.support!]);
    const renamed = (name: string) => ({ ...selection[0]!, tool: { ...selection[0]!.tool, name } });
    const [prompt] = promptsFor(['support'], [...selection, renamed('transfer_to_agent'), renamed('block_card')]);
    const text = prompt!.render({});
    expect(text).toMatch(/Before `cancel_order`, `update_contact`, `create_ticket`, `block_card`/);
    expect(text).toMatch(/hand the conversation to a person with `transfer_to_agent`/);
  });
});
