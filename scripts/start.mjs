#!/usr/bin/env node
// `npm start`: the server as a newcomer first meets it. Streamable HTTP on loopback, on the
// demo data, with the URL and how to connect a client printed once it listens. Extra
// arguments are passed on (`npm start -- --profile banking --port 3001`); MCP_PORT is honoured.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const cli = path.join(ROOT, 'dist', 'cli.js');
const args = [cli, '--transport', 'http', '--host', '127.0.0.1', '--fixtures', ...(process.env.MCP_PORT ? [] : ['--port', '3000']), ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });

let buf = '';
let announced = false;
child.stderr.on('data', (d) => {
  process.stderr.write(d);
  if (announced) return;
  buf += d.toString();
  for (const line of buf.split('\n')) {
    let entry;
    try { entry = JSON.parse(line); } catch { continue; }
    if (entry.msg !== 'support-mcp ready' || !entry.port) continue;
    announced = true;
    const url = `http://127.0.0.1:${entry.port}/mcp`;
    process.stdout.write(`
support-mcp is serving the demo data over Streamable HTTP at

    ${url}

Connect a client:
  MCP Inspector:   npx -y @modelcontextprotocol/inspector@2.12.0 --web --transport http --server-url ${url}
  Claude Code:     claude mcp add --transport http support ${url}
  Claude Desktop:  {"mcpServers": {"support": {"command": "npx", "args": ["-y", "mcp-remote", "${url}"]}}}
  curl:            curl -s ${url} -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\
                     -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'

Customer data needs identity verification first: find_customer, then verify_identity (method otp);
the one-time code is printed by \`node dist/cli.js outbox\`. Each stateless request is its own
conversation, so pass the conversation_id that verify_identity returns on later calls.
Probes: http://127.0.0.1:${entry.port}/healthz, /readyz. Ctrl-C stops the server.
Logs (JSON) follow on stderr.

`);
  }
  if (!announced) buf = buf.slice(buf.lastIndexOf('\n') + 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
