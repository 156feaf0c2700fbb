/** A mistake in how the program was invoked or configured: one line on stderr, exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The database URL from --database-url or DATABASE_URL, or a ConfigError naming both. */
export const requireDatabaseUrl = (flag: string | undefined, env: NodeJS.ProcessEnv): string => {
  const url = flag ?? env.DATABASE_URL;
  if (!url) throw new ConfigError('no database configured: pass --database-url URL or set DATABASE_URL');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('--database-url must be a postgres:// or postgresql:// URL');
  return url;
};
