// Options of `support-mcp fixtures generate` and the parsing of its command line.

export interface GenerateOptions {
  customers: number;
  /** Exactly this many orders per customer (default 10). */
  ordersPerCustomer?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  outDir: string;
}

export const MAX_GENERATED_CUSTOMERS = 9_999_999;
export const MAX_ORDERS_PER_CUSTOMER = 1000;

export const GENERATE_USAGE =
  'usage: support-mcp fixtures generate --customers N --out DIR [--orders-per-customer N] [--seed N]';

/**
 * Parses `--customers N --out DIR [--orders-per-customer N] [--seed N]` (also `--flag=value`).
 * Throws an Error with a one-line, user-facing message on any problem.
 */
export function parseGenerateArgs(argv: string[]): Required<GenerateOptions> {
  const seen = new Map<string, string>();
  const known = new Set(['--customers', '--out', '--orders-per-customer', '--seed']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new Error(GENERATE_USAGE);
    let name = arg;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      name = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    }
    if (!known.has(name)) {
      throw new Error(arg.startsWith('-') ? `unknown option '${name}' (${GENERATE_USAGE})` : `unexpected argument '${arg}' (${GENERATE_USAGE})`);
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && known.has(next.split('=')[0]!))) {
        throw new Error(`${name} needs a value`);
      }
      value = next;
      i++;
    }
    if (seen.has(name)) throw new Error(`${name} given more than once`);
    seen.set(name, value);
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = seen.get(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a whole number, got '${raw}'`);
    const n = Number(raw.trim());
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be between ${min} and ${max}, got ${raw}`);
    }
    return n;
  };
  const customers = int('--customers', 1, MAX_GENERATED_CUSTOMERS);
  if (customers === undefined) throw new Error(`--customers is required (${GENERATE_USAGE})`);
  const outDir = seen.get('--out');
  if (outDir === undefined || outDir.trim() === '') throw new Error(`--out is required (${GENERATE_USAGE})`);
  return {
    customers,
    outDir,
    ordersPerCustomer: int('--orders-per-customer', 0, MAX_ORDERS_PER_CUSTOMER) ?? 10,
    seed: int('--seed', 0, 0xffffffff) ?? 42,
  };
}
