// `support-mcp db migrate` and `support-mcp db seed [DIR]`.
import { ConfigError, parseCommandArgs, requireDatabaseUrl } from './errors.js';

const HELP = `Usage:
  support-mcp db migrate [--database-url URL]
      Apply every pending migration (idempotent).
  support-mcp db seed [DIR] [--replace] [--database-url URL]
      Load a data set (default: the bundled fixtures/) into an empty, migrated database.
      --replace empties the data tables first. DIR may hold .json or .jsonl files
      (see 'npm run fixtures:generate').
  DATABASE_URL is used when --database-url is not given.`;

export async function runDbCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stderr.write(`${HELP}\n`);
    if (sub === undefined) throw new ConfigError("db needs a subcommand: 'migrate' or 'seed'");
    return;
  }
  const parsed = parseCommandArgs({
    args: rest,
    allowPositionals: true,
    options: { 'database-url': { type: 'string' }, replace: { type: 'boolean', default: false } },
  }, 'support-mcp db --help');
  const url = requireDatabaseUrl(parsed.values['database-url'], env);
  // Loaded lazily: the fixture-backed server must never pay for pg/kysely.
  const pgModule = await import('../repository/postgres/index.js');
  const db = pgModule.createDb({ connectionString: url, max: 2 });
  try {
    if (sub === 'migrate') {
      if (parsed.positionals.length > 0) throw new ConfigError('db migrate takes no positional arguments');
      // A schema newer than this binary: say so rather than Kysely's "corrupted migrations".
      const { schemaStatus } = await import('../repository/postgres/readiness.js');
      const { unknown } = await schemaStatus(db);
      if (unknown.length > 0) {
        throw new ConfigError(`the database schema is newer than this support-mcp (migrations it does not know: ${unknown.join(', ')}): nothing to migrate; upgrade support-mcp`);
      }
      const { applied } = await pgModule.migrateToLatest(db);
      process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      return;
    }
    if (sub === 'seed') {
      if (parsed.positionals.length > 1) throw new ConfigError('db seed takes at most one directory');
      const { loadDataset, DEFAULT_FIXTURES_DIR } = await import('../repository/dataset.js');
      const dir = parsed.positionals[0] ?? DEFAULT_FIXTURES_DIR;
      const started = Date.now();
      const dataset = await loadDataset(dir);
      await pgModule.migrateToLatest(db);
      const result = await pgModule.seedDataset(db, dataset, { replace: parsed.values.replace });
      const counts = Object.entries(result.counts).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stderr.write(`seeded from ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts}\n`);
      return;
    }
    throw new ConfigError(`unknown db subcommand '${sub}' (expected 'migrate' or 'seed')`);
  } finally {
    await db.destroy();
  }
}
