// The built CLI announces the instructions of the profiles it serves (initialize), over stdio
// and HTTP: under --profile blackbird they name blackbird's tools, not the support profile's.
import { existsSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { combinedInstructions } from '../../src/tools/profile.js';
import { loadProfiles } from '../../src/tools/profiles.js';
import { CLI, startHttpServer } from './cli.js';

const instructionsOverStdio = async (args: string[]): Promise<string | undefined> => {
  const transport = new StdioClientTransport({
    command: process.execPath, args: [CLI, '--log-level', 'silent', ...args], env: { PATH: process.env.PATH ?? '' }, stderr: 'ignore',
  });
  const client = new Client({ name: 'instructions-e2e', version: '0' });
  await client.connect(transport);
  try {
    return client.getInstructions();
  } finally {
    await client.close();
  }
};

describe.skipIf(!existsSync(CLI))('server instructions end to end', () => {
  it('stdio: the default (support) profile keeps its instructions', async () => {
    const text = await instructionsOverStdio([]);
    expect(text).toBe(combinedInstructions(await loadProfiles(['support'])));
    expect(text).toMatch(/find_customer.*verify_identity/);
  });

  it('stdio: --profile blackbird names blackbird\'s tools only', async () => {
    const text = await instructionsOverStdio(['--profile', 'blackbird']);
    expect(text).toBe(combinedInstructions(await loadProfiles(['blackbird'])));
    expect(text).not.toMatch(/find_customer|verify_identity/);
  });

  it('http: combined profiles get the combination', async () => {
    const server = await startHttpServer(['--profile', 'arena,billing', '--log-level', 'info']);
    const client = new Client({ name: 'instructions-e2e', version: '0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      expect(client.getInstructions()).toBe(combinedInstructions(await loadProfiles(['arena', 'billing'])));
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
