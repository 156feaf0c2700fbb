// A small YAML emitter for JSON values (no dependency). Block style only: mappings and
// sequences indented by two spaces, `{}` / `[]` for empty collections, and scalars written
// so that every common loader reads back the same JSON value:
// - YAML 1.2 core schema (go-yaml v3, which PromptKit uses; the `yaml` npm package) and
// - YAML 1.1 (PyYAML, go-yaml v2 / sigs.k8s.io/yaml), where `yes`, `off`, `1_000`, `1:20`
//   and `2024-01-15` are not strings.
// A string is written plain only when it is unambiguously a string in both; otherwise it is
// double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar), plus
// \u escapes for the characters YAML does not allow unescaped (DEL, C1 controls, U+2028/9,
// BOM, U+FFFE/F).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Words that some YAML loader resolves to null, a boolean or a number (compared lower-cased). */
const RESERVED = new Set(['null', '~', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '.inf', '.nan', '<<', '=']);

/**
 * Plain (unquoted) only for: a letter, `_`, `$` or `/` first; then letters, digits, spaces and
 * `_ $ / . - ( ) ' , ; + ! ? @ %`; no leading or trailing space; not a reserved word. That
 * excludes every indicator (`: # - ? [ ] { } & * ! | > ' " % @ \``) in a position where it
 * means something, numbers, dates and timestamps (they start with a digit, sign or dot).
 */
const PLAIN = /^[A-Za-z_$/][A-Za-z0-9 _$/.\-()',;+!?@%]*$/;

export const needsQuotes = (s: string): boolean =>
  !PLAIN.test(s) || s.endsWith(' ') || RESERVED.has(s.toLowerCase());

// Characters JSON.stringify leaves raw but YAML requires escaped (or treats as line breaks).
// eslint-disable-next-line no-control-regex
const YAML_UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

export const quote = (s: string): string =>
  JSON.stringify(s).replace(YAML_UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const scalarString = (s: string): string => (needsQuotes(s) ? quote(s) : s);

/**
 * Numbers as both YAML 1.1 and 1.2 read them: integers as digits; other numbers with a dot
 * before any exponent and a signed exponent (`1e-7` is a string in YAML 1.1, `1.0e-7` is not).
 */
const scalarNumber = (n: number): string => {
  if (!Number.isFinite(n)) throw new TypeError(`cannot write ${n} as YAML (not a JSON number)`);
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-])(\d+)$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2]}.${m[3] ?? '0'}e${m[4]}${m[5]}`;
};

const isCollection = (v: JsonValue): v is JsonValue[] | { [key: string]: JsonValue } => v !== null && typeof v === 'object';

const scalar = (v: JsonValue): string => {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return scalarNumber(v);
  if (typeof v === 'string') return scalarString(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : fail(v);
  return Object.keys(v).length === 0 ? '{}' : fail(v);
};

const fail = (v: unknown): never => {
  throw new TypeError(`not a YAML scalar: ${JSON.stringify(v)}`);
};

const isEmptyOrScalar = (v: JsonValue): boolean =>
  !isCollection(v) || (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** Lines of a collection or scalar, each prefixed with `indent` spaces. */
const lines = (v: JsonValue, indent: number): string[] => {
  const pad = ' '.repeat(indent);
  if (isEmptyOrScalar(v)) return [`${pad}${scalar(v)}`];
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      // The item is laid out two columns further in; its first line then gets the dash.
      const inner = lines(item, indent + 2);
      inner[0] = `${pad}- ${inner[0]!.slice(indent + 2)}`;
      return inner;
    });
  }
  return Object.entries(v as Record<string, JsonValue>).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const k = scalarString(key);
    if (isEmptyOrScalar(value)) return [`${pad}${k}: ${scalar(value)}`];
    return [`${pad}${k}:`, ...lines(value, indent + 2)];
  });
};

/** One YAML document (no `---` marker), ending with a newline. */
export const toYaml = (value: JsonValue): string => `${lines(value, 0).join('\n')}\n`;

/** Several documents in one stream, separated by `---` lines. */
export const toYamlStream = (values: JsonValue[]): string => values.map(toYaml).join('---\n');
