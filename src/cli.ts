#!/usr/bin/env node
// support-mcp command line. Subcommands load their modules lazily so the default
// (stdio server on fixtures) starts as fast as a bare SDK server.
import { ConfigError } from './commands/errors.js';

const USAGE = `support-mcp — customer-support tools for AI agents, as an MCP server

Usage:
  support-mcp [serve] [options]          run the MCP server (stdio by default)
  support-mcp db migrate|seed [...]      manage a Postgres database (see 'support-mcp db --help')
  support-mcp fixtures generate [...]    write a synthetic data set (--customers N --out DIR)
  support-mcp schema --format F [...]    print the tool definitions (mcp|anthropic|openai|arena)
  support-mcp outbox [--all] [...]       print one-time codes waiting for delivery (demos)
  support-mcp audit [--customer ID] [--since T] [...]  print the audit trail (Postgres)
  support-mcp demo                       run a scripted support conversation on the demo data
  support-mcp statement --customer ID [--month YYYY-MM] --out FILE  write a billing statement PDF
  support-mcp handoffs [--json] [--accept ID | --close ID]  the queue of conversations for a person (Postgres)
  support-mcp --help | --version
`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  switch (first) {
    case '--version':
    case '-v': {
      const { VERSION } = await import('./version.js');
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'db': {
      const { runDbCommand } = await import('./commands/db.js');
      await runDbCommand(rest, process.env);
      return 0;
    }
    case 'fixtures': {
      const { runFixturesCommand } = await import('./commands/fixtures.js');
      await runFixturesCommand(rest);
      return 0;
    }
    case 'schema': {
      const { runSchemaCommand } = await import('./commands/schema.js');
      return runSchemaCommand(rest);
    }
    case 'outbox': {
      const { runOutboxCommand } = await import('./commands/outbox.js');
      return runOutboxCommand(rest, process.env);
    }
    case 'audit': {
      const { runAuditCommand } = await import('./commands/audit.js');
      return runAuditCommand(rest, process.env);
    }
    case 'demo': {
      const { runDemoCommand } = await import('./commands/demo.js');
      return runDemoCommand(rest);
    }
    case 'statement': {
      const { runStatementCommand } = await import('./commands/statement.js');
      return runStatementCommand(rest, process.env);
    }
    case 'handoffs': {
      const { runHandoffsCommand } = await import('./commands/handoffs.js');
      return runHandoffsCommand(rest, process.env);
    }
    case 'serve': {
      const { runServeCommand } = await import('./commands/serve.js');
      return runServeCommand(rest, process.env, USAGE);
    }
    default: {
      const { runServeCommand } = await import('./commands/serve.js');
      return runServeCommand(argv, process.env, USAGE);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || (err instanceof Error && err.name === 'DatasetError')) {
      process.stderr.write(`support-mcp: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`support-mcp: ${message}\n`);
    process.exitCode = 1;
  },
);
