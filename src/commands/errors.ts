import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the program was invoked or configured: one line on stderr, exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** node:util parseArgs; a bad flag becomes a ConfigError: parseArgs' first line and where help is. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, help: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split('\n')[0]} (see ${help})`);
  }
}

/** The URL, if it names a Postgres server; else a ConfigError. */
export const assertPostgresUrl = (url: string): string => {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('--database-url must be a postgres:// or postgresql:// URL');
  return url;
};

/** The database URL from --database-url or DATABASE_URL, or a ConfigError naming both. */
export const requireDatabaseUrl = (flag: string | undefined, env: NodeJS.ProcessEnv): string => {
  const url = flag ?? env.DATABASE_URL;
  if (!url) throw new ConfigError('no database configured: pass --database-url URL or set DATABASE_URL');
  return assertPostgresUrl(url);
};
