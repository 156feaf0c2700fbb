// Each profile's server instructions name only that profile's own tools and arguments, so a
// client serving `blackbird` is never told to call `find_customer`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { combinedInstructions, type Profile } from '../../src/tools/profile.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();

/** Words written like code: snake_case (find_customer, customer_id) or camelCase (customerId). */
const identifiers = (text: string): string[] =>
  [...new Set(text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g) ?? [])];

const toolNames = (p: Profile): Set<string> => new Set(p.tools.map((t) => t.name));
const argumentNames = (p: Profile): Set<string> =>
  new Set(p.tools.flatMap((t) => Object.keys((t.input as { shape: Record<string, unknown> }).shape)));

describe('profile instructions', () => {
  it.each(Object.values(PROFILES).map((p) => [p.name, p] as const))('%s: every tool or argument named exists in the profile', (_name, profile) => {
    const tools = toolNames(profile);
    const args = argumentNames(profile);
    const named = identifiers(profile.instructions);
    expect(named.filter((w) => !tools.has(w) && !args.has(w))).toEqual([]);
    // and it names at least one of its tools
    expect(named.some((w) => tools.has(w))).toBe(true);
  });

  it('the identifier pattern finds what it must (the check above is not vacuous)', () => {
    expect(identifiers('Use find_customer, then customerId; not e-mail or AUTH_REQUIRED.')).toEqual(['find_customer', 'customerId']);
    const other = Object.values(PROFILES).find((p) => p.name !== 'support')!;
    expect(identifiers(PROFILES.support!.instructions).filter((w) => !toolNames(other).has(w) && !argumentNames(other).has(w)))
      .not.toEqual([]);
  });

  it('support keeps its instructions; combined profiles get each profile\'s, in order', () => {
    expect(PROFILES.support!.instructions).toMatch(/^Customer-support tools\. Identify the customer with find_customer/);
    expect(combinedInstructions([PROFILES.support!])).toBe(PROFILES.support!.instructions);
    expect(combinedInstructions([PROFILES.arena!, PROFILES.billing!])).toBe(`${PROFILES.arena!.instructions}\n\n${PROFILES.billing!.instructions}`);
  });

  it('the server announces them in initialize', async () => {
    const profiles = [PROFILES.blackbird!, PROFILES.billing!];
    const server = createSupportServer({
      selection: selectTools(profiles),
      instructions: combinedInstructions(profiles),
      deps: { hub: new ServiceHub({ repo: await FixtureRepository.load() }), logger: silentLogger() },
      defaultConversationId: 'instructions-test',
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'instructions-test', version: '0' });
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    try {
      const text = client.getInstructions();
      expect(text).toBe(combinedInstructions(profiles));
      expect(text).toContain('get_user');
      expect(text).not.toMatch(/find_customer|verify_identity/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
