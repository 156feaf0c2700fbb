// `npm run demo` is a test too: the built CLI's `demo` command starts the server, drives the
// scripted conversation through the SDK client and exits 0 only when every step did what the
// script expects.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../server/cli.js';
import { runDemo } from '../../src/commands/demo.js';

describe('support-mcp demo', () => {
  it('runs the scripted conversation end to end and prints a readable transcript', async () => {
    const r = await runCli(['demo']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const t = r.stdout;
    // found, verification required before any data
    expect(t).toMatch(/→ find_customer \{"email":"john@gmail.com"\}\n {2}← customer 1213210, not verified yet: only masked contacts \(j\*\*\*@gmail.com/);
    // the code the customer reads from the outbox is the one that verifies them
    const code = /\[outbox\] one message to john@gmail.com: code (\d{6})/.exec(t)?.[1];
    expect(code).toBeDefined();
    expect(t).toContain(`Customer: The code is ${code}.`);
    expect(t).toMatch(/← verified until /);
    expect(t).toMatch(/← customer 1213210: John Doe, john@gmail.com, verification_required false/);
    expect(t).toMatch(/← 1 processing order: 13579 \(2× Smartphone Case, 39.98 USD\)/);
    expect(t).toContain('← Order 13579 has been cancelled. (status cancelled, already_cancelled false)');
    expect(t).toMatch(/← ticket TKT-\w+ \(technical, medium, open\)/);
    // confirm before cancelling: the agent asks, the customer agrees, then cancel_order
    expect(t.indexOf('Shall I cancel it?')).toBeLessThan(t.indexOf('→ cancel_order'));
    expect(t.indexOf('Yes, please cancel it.')).toBeLessThan(t.indexOf('→ cancel_order'));
    // the support desk: the customer's cards are looked up (and an active one blocked), then a person
    expect(t).toMatch(/→ list_cards /);
    expect(t).toMatch(/→ block_card \{"card_id":"CARD-TN-1213210-1","reason":"lost"\}/);
    expect(t).toMatch(/→ transfer_to_agent /);
    expect(t).not.toMatch(/skipped/);
    expect(t).toMatch(/✓ \d+ tool calls, 0 unexpected results/);
    expect(t).not.toContain('"level"'); // server logs stay off the transcript
  });

  it('fails (and says so) when a step does not do what the script expects', async () => {
    let out = '';
    // read-only drops cancel_order and create_ticket: the script's writes cannot happen
    const r = await runDemo({ cli: CLI, serverArgs: ['--read-only'], write: (s) => void (out += s) });
    expect(r.ok).toBe(false);
    expect(r.steps.filter((s) => !s.ok).map((s) => s.tool)).toEqual(['cancel_order', 'create_ticket']);
    expect(out).toMatch(/✗ \d+ tool calls, 2 unexpected results/);
  });
});

describe('npm start (scripts/start.mjs)', () => {
  it('serves Streamable HTTP on loopback and prints the URL and how to connect', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--port', '0'], {
      env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /serving the demo data over Streamable HTTP at\s+(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
          if (m && out.includes('Ctrl-C stops the server')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toContain(`--server-url ${url}`); // the Inspector line
      expect(out).toContain(`claude mcp add --transport http support ${url}`);
      const client = new Client({ name: 'start-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('find_customer');
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
