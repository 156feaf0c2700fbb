// `support-mcp demo`: the server's main job, seen without an MCP client of your own. Starts
// this same CLI as a stdio server on the demo data (a private outbox file, rate limits and
// verified access as in production), connects a real MCP client (the SDK's) and drives a
// scripted support conversation, printing a readable transcript: find the customer, verify
// them with the one-time code read from the outbox (as the customer would read their inbox),
// list orders, cancel one, open a ticket, and — when the server has them — block a card and
// transfer to a human agent. Exit 0 when every step did what the script expects, else 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { readOutboxFile } from '../services/outbox.js';
import { parseCommandArgs } from './errors.js';

const HELP = `Usage:
  support-mcp demo [--verbose]
      Start the server on the demo data over stdio, connect an MCP client, and run a scripted
      support conversation (find, verify with a one-time code, list orders, cancel, ticket, …),
      printing the transcript. --verbose also prints every result's JSON.`;

/** Where the script's customer comes from: the bundled fixtures (README "Example exchange"). */
const SCRIPT = {
  email: 'john@gmail.com',
  order: '13579',
} as const;

type Json = Record<string, unknown>;

export interface DemoOptions {
  /** The CLI to start as the server (default: this build's dist/cli.js). */
  cli?: string;
  /** Extra server arguments. */
  serverArgs?: string[];
  write?: (text: string) => void;
  verbose?: boolean;
}

export interface DemoResult {
  ok: boolean;
  steps: { tool: string; ok: boolean; skipped?: string }[];
}

const compact = (v: unknown): string => JSON.stringify(v);

/** Runs the scripted conversation; never throws for a failing step (it is reported and counted). */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  const cli = opts.cli ?? fileURLToPath(new URL('../cli.js', import.meta.url));
  const dir = mkdtempSync(path.join(tmpdir(), 'support-mcp-demo-'));
  const outboxFile = path.join(dir, 'outbox.jsonl');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, '--fixtures', '--outbox-file', outboxFile, '--log-level', 'warn', ...(opts.serverArgs ?? [])],
    // what Claude Desktop passes: a minimal environment (no DATABASE_URL: always the demo data)
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  const serverLog: string[] = [];
  transport.stderr?.on('data', (d: Buffer) => serverLog.push(d.toString()));
  const client = new Client({ name: 'support-mcp-demo', version: '1.0.0' });
  const steps: DemoResult['steps'] = [];
  const say = (who: 'Customer' | 'Agent', text: string) => write(`\n${who}: ${text}\n`);
  const note = (text: string) => write(`  ${text}\n`);

  const call = async (name: string, args: Json, summarize: (s: Json) => string, expectError = false): Promise<Json | undefined> => {
    write(`  → ${name} ${compact(args)}\n`);
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    } catch (err) {
      note(`✗ protocol error: ${(err as Error).message}`);
      steps.push({ tool: name, ok: false });
      return undefined;
    }
    const text = result.content.find((c) => c.type === 'text')?.text ?? '';
    const body = (result.structuredContent ?? (() => {
      try {
        return JSON.parse(text) as Json;
      } catch {
        return { text };
      }
    })()) as Json;
    if (result.isError) {
      const e = (body.error ?? {}) as Json;
      write(`  ← ${String(e.code ?? 'error')}: ${String(e.message ?? text)}\n`);
      steps.push({ tool: name, ok: expectError });
      if (!expectError) note('✗ unexpected error');
      return body;
    }
    write(`  ← ${summarize(body)}\n`);
    if (opts.verbose) write(`    ${compact(body)}\n`);
    steps.push({ tool: name, ok: !expectError });
    return body;
  };

  try {
    write('support-mcp demo: a scripted support conversation through a real MCP client\n');
    write(`(server: node ${path.relative(process.cwd(), cli) || cli} --fixtures over stdio; verified access and rate limits on, as in production)\n`);
    await client.connect(transport);
    const info = client.getServerVersion();
    const { tools } = await client.listTools();
    const served = new Map<string, Tool>(tools.map((t) => [t.name, t]));
    write(`connected to ${info?.name} ${info?.version}: ${tools.length} tools (${tools.map((t) => t.name).join(', ')})\n`);

    say('Customer', `Hi, this is John Doe (${SCRIPT.email}). I'd like to cancel the phone case order I placed.`);
    const found = await call('find_customer', { email: SCRIPT.email }, (b) => {
      const c = b.customer as Json;
      return b.verification_required
        ? `customer ${String(c.id)}, not verified yet: only masked contacts (${String(c.email_masked)}, ${String(c.phone_masked)})`
        : `customer ${String(c.id)}: ${String(c.name)}`;
    });
    const customerId = String((found?.customer as Json | undefined)?.id ?? '');

    say('Agent', 'Thanks, John. Before I look at your account I need to confirm it is you: I am sending a one-time code to your e-mail.');
    const challenge = await call('verify_identity', { customer_id: customerId, method: 'otp', channel: 'email' },
      (b) => `${String(b.status)}: code sent to ${String(b.delivered_to)}, expires ${String(b.expires_at)}`);
    const pending = (await readOutboxFile(outboxFile)).filter((m) => m.verification_id === challenge?.verification_id);
    const code = pending.at(-1)?.code ?? '';
    note(`[outbox] ${pending.length ? `one message to ${pending.at(-1)!.destination}: code ${code}` : 'no message found'} (what the customer reads in their inbox; \`support-mcp outbox\` shows the same)`);

    say('Customer', `The code is ${code}.`);
    await call('verify_identity', { customer_id: customerId, method: 'otp', verification_id: String(challenge?.verification_id ?? ''), code },
      (b) => `${String(b.status)} until ${String(b.expires_at)}`);
    await call('find_customer', { email: SCRIPT.email }, (b) => {
      const c = b.customer as Json;
      return `customer ${String(c.id)}: ${String(c.name)}, ${String(c.email)}, verification_required ${String(b.verification_required)}`;
    });

    say('Agent', 'You are verified. Let me look at your orders that have not shipped yet.');
    await call('list_orders', { customer_id: customerId, status: 'processing' }, (b) => {
      const orders = (b.orders as Json[]) ?? [];
      return `${orders.length} processing order${orders.length === 1 ? '' : 's'}: ${orders.map((o) =>
        `${String(o.id)} (${(o.items as Json[]).map((i) => `${String(i.quantity)}× ${String(i.product)}`).join(', ')}, ${String(o.total)} ${String(o.currency)})`).join('; ')}`;
    });
    say('Agent', `Order ${SCRIPT.order}, two smartphone cases for 39.98 USD. Shall I cancel it?`);
    say('Customer', 'Yes, please cancel it.');
    await call('cancel_order', { order_id: SCRIPT.order }, (b) => `${String(b.message)} (status ${String((b.order as Json).status)}, already_cancelled ${String(b.already_cancelled)})`);
    say('Customer', 'And the headphones I got last month crackle on the left side.');
    say('Agent', 'I am sorry to hear that. I am opening a ticket for our technical team.');
    await call('create_ticket', {
      customer_id: customerId, category: 'technical', priority: 'medium',
      description: 'Wireless headphones (order 24601): left earcup crackles. Customer asks for a repair or replacement.',
      idempotency_key: 'demo-headphones-crackle',
    }, (b) => {
      const t = b.ticket as Json;
      return `ticket ${String(t.id)} (${String(t.category)}, ${String(t.priority)}, ${String(t.status)})`;
    });

    // The support desk: find the card the customer means, block it; then a person.
    say('Customer', 'One more thing: I think I lost my debit card. Can you block it?');
    if (served.has('list_cards') && served.has('block_card')) {
      const listed = await call('list_cards', { customer_id: customerId }, (b) => {
        const cards = (b.cards as Json[]) ?? [];
        return cards.length === 0 ? 'no card on file' : cards.map((c) => `${String(c.brand)} ending ${String(c.last4)} (${String(c.status)})`).join(', ');
      });
      const card = ((listed?.cards as Json[] | undefined) ?? []).find((c) => c.status === 'active');
      if (card) {
        say('Agent', `I am blocking your ${String(card.brand)} card ending in ${String(card.last4)} now.`);
        await call('block_card', { card_id: card.id, reason: 'lost' }, (b) => `card ${String(b.card_id ?? (b.card as Json | undefined)?.id ?? card.id)} blocked (already_blocked ${String(b.already_blocked)})`);
      } else {
        say('Agent', 'I do not see an active card on your account, so there is nothing to block.');
      }
    } else {
      await optionalStep(served, 'block_card', { reason: 'lost' }, 'I have blocked the card.', call, say, note, steps);
    }
    say('Customer', 'Thanks. Could I talk to a person about a replacement?');
    await optionalStep(served, 'transfer_to_agent', {
      customer_id: customerId, reason: 'customer_request', summary: 'Verified customer; order 13579 cancelled; ticket opened for headphones; asks about a replacement card.',
    }, 'I am transferring you to a colleague now.', call, say, note, steps);

    const ok = steps.every((s) => s.ok);
    write(`\n${ok ? '✓' : '✗'} ${steps.filter((s) => !s.skipped).length} tool calls, ${steps.filter((s) => !s.ok).length} unexpected results${steps.some((s) => s.skipped) ? `, ${steps.filter((s) => s.skipped).length} steps skipped (tools not served by this build)` : ''}\n`);
    if (!ok && serverLog.length) write(`server log:\n${serverLog.join('')}`);
    return { ok, steps };
  } catch (err) {
    write(`\n✗ demo failed: ${(err as Error).message}\n${serverLog.join('')}`);
    return { ok: false, steps };
  } finally {
    await client.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A step whose tool may not be served: its arguments are taken from `known` for every
 * property the tool declares (required ones must all be known, or the step is skipped and
 * says which is missing).
 */
async function optionalStep(
  served: Map<string, Tool>, name: string, known: Json, agentLine: string,
  call: (name: string, args: Json, summarize: (b: Json) => string) => Promise<Json | undefined>,
  say: (who: 'Customer' | 'Agent', text: string) => void, note: (text: string) => void, steps: DemoResult['steps'],
): Promise<void> {
  const tool = served.get(name);
  if (!tool) {
    note(`(skipped: this server has no ${name} tool yet)`);
    steps.push({ tool: name, ok: true, skipped: 'not served' });
    return;
  }
  const props = Object.keys(tool.inputSchema.properties ?? {});
  const missing = (tool.inputSchema.required ?? []).filter((r) => !(r in known));
  if (missing.length) {
    note(`(skipped: ${name} needs ${missing.join(', ')}, which this script does not know)`);
    steps.push({ tool: name, ok: true, skipped: `needs ${missing.join(', ')}` });
    return;
  }
  say('Agent', agentLine);
  await call(name, Object.fromEntries(props.filter((p) => p in known).map((p) => [p, known[p]])), (b) => compact(b).slice(0, 200));
}

export async function runDemoCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: { verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  }, 'support-mcp demo --help');
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { ok } = await runDemo({ verbose: parsed.values.verbose === true });
  return ok ? 0 : 1;
}
