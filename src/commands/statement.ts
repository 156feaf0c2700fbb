// `support-mcp statement`: writes a customer's monthly billing statement as a PDF, the same
// document get_statement / generate_billing_statement return (an operator command: no access
// guard, like `audit`). From Postgres (--database-url / DATABASE_URL) or the fixtures.
import { writeFile } from 'node:fs/promises';
import { ServiceError } from '../services/errors.js';
import { assertPostgresUrl, ConfigError, parseCommandArgs } from './errors.js';

const HELP = `Usage:
  support-mcp statement --customer ID [--month YYYY-MM] --out FILE [--database-url URL | --fixtures DIR]
      Write the customer's billing statement for the month as a PDF.
      --customer ID     the customer id (e.g. TEL-1001)
      --month YYYY-MM   the month (default: the last full month)
      --out FILE        where to write the PDF ('-' for stdout)
      --database-url    read from Postgres (default DATABASE_URL); else the fixtures
      --fixtures DIR    read the in-memory data set in DIR instead (default: the shipped fixtures)`;

export async function runStatementCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      customer: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      'database-url': { type: 'string' },
      fixtures: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }, 'support-mcp statement --help');
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const customer = v.customer?.trim();
  if (!customer) throw new ConfigError('--customer ID is required (see support-mcp statement --help)');
  if (!v.out) throw new ConfigError('--out FILE is required (\'-\' for stdout)');
  const url = v.fixtures !== undefined ? undefined : (v['database-url'] ?? env.DATABASE_URL);
  if (url) assertPostgresUrl(url);

  const { BillingService } = await import('../services/billing.js');
  const { renderStatementPdf } = await import('../statements/pdf.js');
  const repo = url
    ? (await import('../repository/postgres/index.js')).createPostgresRepository({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 })
    : await (await import('../repository/fixtures/index.js')).FixtureRepository.load(...(v.fixtures ? [v.fixtures] : []));
  let pdf: Buffer;
  try {
    const statement = await new BillingService(repo).getStatement(customer, v.month);
    pdf = await renderStatementPdf(statement);
  } catch (err) {
    if (err instanceof ServiceError) {
      process.stderr.write(`support-mcp statement: ${err.code}: ${err.message}\n`);
      return err.code === 'VALIDATION_FAILED' ? 2 : 1;
    }
    throw err;
  } finally {
    await repo.close();
  }
  if (v.out === '-') process.stdout.write(pdf);
  else {
    await writeFile(v.out, pdf);
    process.stderr.write(`wrote ${v.out} (${pdf.length} bytes)\n`);
  }
  return 0;
}
