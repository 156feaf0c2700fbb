// Traces through the protocol (SDK client, in-memory transport, in-memory span exporter): one
// SERVER span per MCP request following the MCP semantic conventions, parented on the
// traceparent the client puts in params._meta, with error.type on failures.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { observeServer } from '../../src/observability/instrument.js';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { createSupportServer } from '../../src/server/create-server.js';
import { promptsFor } from '../../src/server/prompts.js';
import { selectTools } from '../../src/server/selection.js';
import { ServiceHub } from '../../src/services/hub.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

describe('tracing (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let client: Client;
  beforeAll(async () => {
    tracing = await createTracing({ networkTransport: 'pipe', exporter });
    const selection = selectTools([PROFILES.support!]);
    const prompts = promptsFor(['support'], selection);
    const server = observeServer(createSupportServer({
      selection, prompts, defaultConversationId: 'trace-test',
      deps: { hub: new ServiceHub({ repo: await FixtureRepository.load() }), logger: silentLogger() },
    }), [tracing], new Set([...selection.map((s) => s.tool.name), ...prompts.map((p) => p.name)]));
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'trace-test', version: '0.0.0' });
    await Promise.all([server.connect(b), client.connect(a)]);
  });
  afterAll(async () => {
    await client?.close();
    await tracing?.shutdown();
  });
  beforeEach(() => exporter.reset());

  const spans = () => exporter.getFinishedSpans();

  it('tools/call: span `tools/call {tool}` with the semconv attributes, parented on params._meta.traceparent', async () => {
    await client.callTool({
      name: 'find_customer', arguments: { email: 'john@gmail.com' },
      _meta: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` },
    });
    const [span] = spans();
    expect(spans()).toHaveLength(1);
    expect(span!.name).toBe('tools/call find_customer');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(PARENT_SPAN);
    expect(span!.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'find_customer',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': expect.any(String),
      'network.transport': 'pipe',
    });
    expect(span!.status.code).not.toBe(SpanStatusCode.ERROR);
    // no argument values on the span
    expect(JSON.stringify(span!.attributes)).not.toContain('john@gmail.com');
  });

  it('without a traceparent the span is a root; other methods are named by the method alone', async () => {
    await client.listTools();
    const [span] = spans();
    expect(span!.name).toBe('tools/list');
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.attributes['mcp.method.name']).toBe('tools/list');
    expect(span!.attributes['gen_ai.tool.name']).toBeUndefined();
  });

  it('error.type: tool_error for a tool result with isError, the JSON-RPC code for a protocol error', async () => {
    await client.callTool({ name: 'find_customer', arguments: { email: 'nobody@example.com' } }); // NOT_FOUND
    await expect(client.getPrompt({ name: 'support_agent', arguments: { channel: 'fax' } })).rejects.toThrow();
    const [tool, prompt] = spans();
    expect(tool!.name).toBe('tools/call find_customer');
    expect(tool!.attributes['error.type']).toBe('tool_error');
    expect(tool!.status.code).toBe(SpanStatusCode.ERROR);
    expect(prompt!.name).toBe('prompts/get support_agent');
    expect(prompt!.attributes['gen_ai.prompt.name']).toBe('support_agent');
    expect(prompt!.attributes['error.type']).toBe('-32602');
  });

  it('a tool the server does not serve is named _OTHER (no client-chosen span names)', async () => {
    await client.callTool({ name: 'made_up_tool', arguments: {} });
    expect(spans()[0]!.name).toBe('tools/call _OTHER');
  });
});
