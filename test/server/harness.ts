// A real MCP Client connected to a real support-mcp server over the SDK's in-memory
// transport: tool behaviour is tested through the protocol, not by calling handlers.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { SupportRepository } from '../../src/repository/types.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools, type SelectionOptions } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import type { PolicyConfig } from '../../src/services/policy.js';
import { combinedInstructions, type Profile } from '../../src/tools/profile.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();

export interface Connected {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function connect(
  repo: SupportRepository,
  opts: SelectionOptions & { profiles?: (string | Profile)[]; conversationId?: string; policy?: PolicyConfig } = {},
): Promise<Connected> {
  const profiles = (opts.profiles ?? ['support']).map((p) => (typeof p === 'string' ? PROFILES[p]! : p));
  const selection = selectTools(profiles, opts);
  const server = createSupportServer({
    selection,
    instructions: combinedInstructions(profiles),
    deps: { hub: new ServiceHub({ repo, ...(opts.policy ? { policy: opts.policy } : {}) }), logger: silentLogger() },
    defaultConversationId: opts.conversationId ?? 'test-conversation',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'support-mcp-tests', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export const textOf = (r: CallToolResult): string => {
  const first = r.content[0];
  if (!first || first.type !== 'text') throw new Error('expected a text block');
  return first.text;
};

/** Parses a support-profile error result: { error: { code, message, next_step } }. */
export const errorOf = (r: CallToolResult): { code: string; message: string; next_step: string; correlation_id?: string } => {
  if (!r.isError) throw new Error(`expected an error result, got ${textOf(r)}`);
  if (r.structuredContent !== undefined) throw new Error('error results must not carry structuredContent');
  return (JSON.parse(textOf(r)) as { error: { code: string; message: string; next_step: string } }).error;
};

/** Parses a success: structuredContent, which must equal the JSON of the text block. */
export const dataOf = <T = Record<string, unknown>>(r: CallToolResult): T => {
  if (r.isError) throw new Error(`expected success, got ${textOf(r)}`);
  if (JSON.stringify(r.structuredContent) !== textOf(r)) throw new Error('text block and structuredContent differ');
  return r.structuredContent as T;
};
