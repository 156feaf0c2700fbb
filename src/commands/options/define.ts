// Command-line options declared once each (flag, environment variable, parser with its
// validation, default, help text, group). From one table come the node:util parseArgs config,
// the values (flag > environment > default), `--help` (render.ts) and the README's flag
// tables (npm run docs:options).
import type { ParseArgsConfig } from 'node:util';
import { ConfigError, parseCommandArgs } from '../errors.js';

/** What one option was given: the flag's parsed value (if any) and its environment variable's. */
export interface OptionInput {
  flag: string | boolean | string[] | undefined;
  env: string | undefined;
}

export interface OptionSpec<T = unknown> {
  kind: 'string' | 'boolean' | 'multiple';
  /** Environment variable read when the flag is not given. */
  env?: string;
  short?: string;
  /** The flag's value may be left out (`--fixtures` or `--fixtures DIR`); then it is ''. */
  optionalValue?: true;
  /** Placeholder after the flag in help (`--port N`). */
  arg?: string;
  group: string;
  /** Help text (wrapped); `{default}` is replaced by the default, else the default is appended in parentheses. */
  help: string;
  /** Longer text for the README table (default: help, without the default). */
  doc?: string;
  /** The default as a value (shown as code in the README). */
  default?: T;
  /** The default in words, when the value alone does not say it ('all', 'random per process'). */
  defaultText?: string;
  /** The option's value; throws ConfigError naming the flag when it is invalid. */
  read: (input: OptionInput, flag: string) => T;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;
export type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;

type Common = Pick<OptionSpec, 'env' | 'arg' | 'group' | 'help' | 'doc' | 'defaultText' | 'short' | 'optionalValue'>;

/** A comma-separated list: trimmed, empty entries dropped. */
export const splitList = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
const asString = (flag: OptionInput['flag']): string | undefined => (typeof flag === 'string' ? flag : undefined);

/** A string: flag, else environment, else the default; `check` validates what was given. */
export function text(o: Common & { default: string; check?: (v: string) => void }): OptionSpec<string>;
export function text(o: Common & { check?: (v: string) => void }): OptionSpec<string | undefined>;
export function text(o: Common & { default?: string; check?: (v: string) => void }): OptionSpec<string | undefined> {
  return {
    ...o, kind: 'string',
    read: ({ flag, env }) => {
      const v = asString(flag) ?? env;
      if (v !== undefined) o.check?.(v);
      return v ?? o.default;
    },
  };
}

/** A switch: the flag, else a truthy environment value (1, true, yes, on). */
export const flag = (o: Common): OptionSpec<boolean> => ({
  ...o, kind: 'boolean', default: false,
  read: ({ flag: given, env }) => (given === true ? true : truthy(env)),
});

/** A comma-separated list; `multiple`: the flag may be repeated (then the environment is ignored). */
export const list = (o: Common & { multiple?: boolean; check?: (v: string[]) => void }): OptionSpec<string[]> => ({
  ...o, kind: o.multiple ? 'multiple' : 'string',
  read: ({ flag: given, env }) => {
    const v = Array.isArray(given) ? given.flatMap(splitList) : splitList(asString(given) ?? env);
    o.check?.(v);
    return v;
  },
});

/**
 * An integer from min to max. A blank value means the default, unless `blankIsZero` (kept
 * from before the table: there an empty DATABASE_POOL_SIZE was refused and an empty
 * DATABASE_STATEMENT_TIMEOUT_MS meant 0).
 */
export const int = (o: Common & { default: number; min: number; max: number; blankIsZero?: true }): OptionSpec<number> => ({
  ...o, kind: 'string',
  read: ({ flag: given, env }, name) => {
    const raw = asString(given) ?? env;
    if (raw === undefined || (raw.trim() === '' && !o.blankIsZero)) return o.default;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < o.min || n > o.max) throw new ConfigError(`--${name} must be an integer from ${o.min} to ${o.max}, got '${raw}'`);
    return n;
  },
});

/** One of a few words; `invalid` is the message for anything else. */
export function choice<const V extends string>(
  o: Common & { values: readonly V[]; default: V; lowercase?: boolean; invalid: (v: string) => string },
): OptionSpec<V>;
export function choice<const V extends string>(
  o: Common & { values: readonly V[]; lowercase?: boolean; invalid: (v: string) => string },
): OptionSpec<V | undefined>;
export function choice<const V extends string>(
  o: Common & { values: readonly V[]; default?: V; lowercase?: boolean; invalid: (v: string) => string },
): OptionSpec<V | undefined> {
  return {
    ...o, kind: 'string',
    read: ({ flag: given, env }) => {
      const raw = asString(given) ?? env ?? o.default;
      if (raw === undefined) return undefined;
      const v = o.lowercase ? raw.toLowerCase() : raw;
      if (!(o.values as readonly string[]).includes(v)) throw new ConfigError(o.invalid(v));
      return v as V;
    },
  };
}

/** The node:util parseArgs options of a table (plus --help and --version). */
export const parseArgsOptions = (table: OptionTable): NonNullable<ParseArgsConfig['options']> => ({
  ...Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, {
    type: spec.kind === 'boolean' ? 'boolean' : 'string',
    ...(spec.kind === 'multiple' ? { multiple: true } : {}),
    ...(spec.short ? { short: spec.short } : {}),
  } as const])),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
});

export interface Options<T extends OptionTable> {
  help: boolean;
  version: boolean;
  /** Whether the flag itself was given (the environment does not count). */
  given(name: keyof T & string): boolean;
  /**
   * The option's value, validated when first asked for: an option that does not apply (the
   * pool size on fixtures) is never checked, and the first invalid one asked for is reported.
   */
  get<K extends keyof T & string>(name: K): ValueOf<T[K]>;
}

/** A bare flag whose value is optional becomes `--name=`, so parseArgs accepts it. */
const expandOptionalValues = (table: OptionTable, argv: string[]): string[] =>
  argv.flatMap((a, i) => {
    const bare = a.startsWith('--') && table[a.slice(2)]?.optionalValue === true;
    return bare && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) ? [`${a}=`] : [a];
  });

/** Parses argv against the table; values are read (flag > environment > default) on demand. */
export function readOptions<T extends OptionTable>(table: T, argv: string[], env: NodeJS.ProcessEnv, helpHint: string): Options<T> {
  const { values } = parseCommandArgs({
    args: expandOptionalValues(table, argv), allowPositionals: false, strict: true, options: parseArgsOptions(table),
  }, helpHint);
  const flags = values as Record<string, string | boolean | string[] | undefined>;
  const cache = new Map<string, unknown>();
  return {
    help: flags.help === true,
    version: flags.version === true,
    given: (name) => flags[name] !== undefined,
    get: (name) => {
      if (!cache.has(name)) {
        const spec = table[name]!;
        cache.set(name, spec.read({ flag: flags[name], env: spec.env === undefined ? undefined : env[spec.env] }, name));
      }
      return cache.get(name) as ValueOf<T[typeof name]>;
    },
  };
}
