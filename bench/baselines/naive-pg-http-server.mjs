// Baseline "what users write": the SDK's stateless Streamable HTTP example with a real query —
// a module-level pg Pool, and per request a new McpServer that registers its zod tools (and
// the SDK's per-server Ajv) before answering. Prints its port like support-mcp does.
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import pg from 'pg';
import { z } from 'zod';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const ORDER_SQL = `select o.*, coalesce((select json_agg(json_build_object('product', i.product, 'quantity', i.quantity, 'unit_price', i.unit_price) order by i.line_no) from order_items i where i.order_id = o.id), '[]') as items from orders o where o.id = $1`;
const CUSTOMER_SQL = 'select * from customers where id = $1';

const makeServer = () => {
  const server = new McpServer({ name: 'naive-pg', version: '0.0.0' });
  server.registerTool('get_order', { description: 'Get an order', inputSchema: { order_id: z.string() } }, async ({ order_id }) => {
    const { rows } = await pool.query(ORDER_SQL, [order_id]);
    return { content: [{ type: 'text', text: JSON.stringify({ order: rows[0] ?? null }) }] };
  });
  server.registerTool('find_customer', { description: 'Find a customer', inputSchema: { customer_id: z.string() } }, async ({ customer_id }) => {
    const { rows } = await pool.query(CUSTOMER_SQL, [customer_id]);
    return { content: [{ type: 'text', text: JSON.stringify({ customer: rows[0] ?? null }) }] };
  });
  return server;
};

const http = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const server = makeServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
});
http.listen(0, '127.0.0.1', () => console.error(JSON.stringify({ msg: 'support-mcp ready', port: http.address().port })));
