// Postgres queries as child spans of the MCP request that ran them (PGlite over the wire
// protocol, the real pg driver), and the OTLP export of the built CLI when
// OTEL_EXPORTER_OTLP_ENDPOINT is set.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { observeServer } from '../../src/observability/instrument.js';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { createDb, createPostgresRepository, migrateToLatest, seedDataset, type PostgresRepository } from '../../src/repository/postgres/index.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { openPolicy } from '../../src/services/policy.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';
import { CLI } from '../server/cli.js';
import { startPGliteServer, type PGliteServer } from '../support/pglite.js';

const PROFILES = await loadAllProfiles();

describe('Postgres query spans [pglite]', () => {
  const exporter = new InMemorySpanExporter();
  let db: PGliteServer;
  let tracing: Tracing;
  let repo: PostgresRepository;
  let client: Client;
  beforeAll(async () => {
    db = await startPGliteServer();
    const admin = createDb({ connectionString: db.connectionString, max: 1 });
    await migrateToLatest(admin);
    await seedDataset(admin, await loadDataset());
    await admin.destroy();
    tracing = await createTracing({ networkTransport: 'tcp', exporter }); // before the repository: it hooks Kysely's query log
    repo = createPostgresRepository({ connectionString: db.connectionString, max: 1 });
    const selection = selectTools([PROFILES.support!]);
    const server = observeServer(createSupportServer({
      selection, defaultConversationId: 'pg-trace',
      deps: { hub: new ServiceHub({ repo, policy: openPolicy() }), logger: silentLogger() },
    }), [tracing], new Set(selection.map((s) => s.tool.name)));
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'pg-trace', version: '0.0.0' });
    await Promise.all([server.connect(b), client.connect(a)]);
  });
  afterAll(async () => {
    await client?.close();
    await repo?.close();
    await tracing?.shutdown();
    await db?.stop();
  });

  it('each query of a tool call is a CLIENT child span with parameterised SQL only', async () => {
    exporter.reset();
    await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } });
    await client.callTool({ name: 'cancel_order', arguments: { order_id: '13579' } });
    const spans = exporter.getFinishedSpans();
    const find = spans.find((s) => s.name === 'tools/call find_customer')!;
    const cancel = spans.find((s) => s.name === 'tools/call cancel_order')!;
    const childrenOf = (parent: typeof find) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
    const findQueries = childrenOf(find);
    expect(findQueries.length).toBeGreaterThanOrEqual(1);
    expect(findQueries.map((s) => s.name)).toContain('SELECT customers');
    for (const q of [...findQueries, ...childrenOf(cancel)]) {
      expect(q.kind).toBe(SpanKind.CLIENT);
      expect(q.spanContext().traceId).toBe(q.parentSpanContext?.traceId);
      expect(q.attributes['db.system.name']).toBe('postgresql');
      expect(String(q.attributes['db.query.text'])).not.toMatch(/john@gmail\.com|13579/); // values stay parameters
    }
    expect(childrenOf(cancel).map((s) => s.attributes['db.operation.name'])).toContain('UPDATE');
  });
});

describe('OTLP export from the built CLI', () => {
  it('with OTEL_EXPORTER_OTLP_ENDPOINT, spans reach the collector over OTLP/HTTP; without it nothing is sent', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const run = async (env: Record<string, string>) => {
      const transport = new StdioClientTransport({
        command: process.execPath, args: [CLI, '--fixtures', '--outbox-file', '/dev/null', '--access', 'open'],
        env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'pipe',
      });
      const client = new Client({ name: 'otlp-test', version: '1.0.0' });
      await client.connect(transport);
      await client.callTool({ name: 'find_customer', arguments: { email: 'john@gmail.com' } });
      await client.close(); // shutdown flushes the batch
    };
    try {
      await run({});
      expect(received).toEqual([]);
      await run({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(received[0]!.path).toBe('/v1/traces');
      const all = received.map((r) => r.body).join('\n');
      expect(all).toContain('tools/call find_customer');
      expect(all).toContain('support-mcp'); // service.name
      expect(all).not.toContain('john@gmail.com');
    } finally {
      collector.close();
    }
  });
});
