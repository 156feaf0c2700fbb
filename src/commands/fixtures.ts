// `support-mcp fixtures generate --customers N --out DIR`: a deterministic synthetic data set.
import { ConfigError } from './errors.js';

export async function runFixturesCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'generate') {
    throw new ConfigError("fixtures needs the subcommand 'generate' (--customers N --out DIR [--orders-per-customer N] [--seed N])");
  }
  const { generateDataset, parseGenerateArgs } = await import('../repository/generate.js');
  let opts;
  try {
    opts = parseGenerateArgs(rest);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const started = Date.now();
  const { counts } = await generateDataset(opts);
  const summary = Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ');
  process.stderr.write(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s into ${opts.outDir}: ${summary}\n`);
}
