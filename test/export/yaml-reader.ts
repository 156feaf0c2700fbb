// A strict reader for block-style YAML, written from the YAML 1.2 spec for the tests only
// (no YAML package is installed). It understands block mappings and sequences (including
// compact `- key: value` and `- - item`), plain and double-quoted scalars, empty flow
// collections `{}` / `[]`, full-line comments and `---` document markers, and rejects
// everything else (anchors, tags, block scalars, single quotes, non-empty flow collections,
// tabs, odd indentation), so output the emitter should not produce fails loudly.
//
// Plain scalars are resolved with the YAML 1.2 core schema, and a plain scalar that YAML 1.1
// loaders (PyYAML, go-yaml v2) would resolve DIFFERENTLY is an error: emitted text must
// mean the same to both.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class YamlReadError extends Error {}

interface Line {
  no: number;
  indent: number;
  text: string;
}

const CORE_NULL = /^(?:null|Null|NULL|~)$/;
const CORE_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_INT_OCT = /^0o[0-7]+$/;
const CORE_INT_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;

// YAML 1.1 types (yaml.org/type): bool, int (with _ , 0b, sexagesimal), float, null, timestamp, merge, value.
const Y11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const Y11_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const Y11_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const Y11_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;
const Y11_OTHER = /^(?:~|null|Null|NULL|<<|=)$/;

const resolveCore = (s: string): Json => {
  if (s === '' || CORE_NULL.test(s)) return null;
  if (CORE_BOOL.test(s)) return s.toLowerCase() === 'true';
  if (CORE_INT.test(s)) return Number(s);
  if (CORE_INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (CORE_INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (CORE_FLOAT.test(s)) return Number(s);
  if (CORE_INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (CORE_NAN.test(s)) return NaN;
  return s;
};

const resolvesIn11AsNonString = (s: string): boolean =>
  Y11_BOOL.test(s) || Y11_INT.test(s) || Y11_FLOAT.test(s) || Y11_TIMESTAMP.test(s) || Y11_OTHER.test(s);

/** A plain scalar, checked to mean the same thing in YAML 1.1 and 1.2. */
const plain = (s: string, where: string): Json => {
  // c-indicators cannot start a plain scalar; '-', '?' and ':' can when a non-space follows.
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s) || /^[-?:](?:\s|$)/.test(s)) {
    throw new YamlReadError(`${where}: plain scalar starts with an indicator: ${s}`);
  }
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) throw new YamlReadError(`${where}: ambiguous plain scalar: ${s}`);
  if (s !== s.trim()) throw new YamlReadError(`${where}: plain scalar with surrounding spaces`);
  const core = resolveCore(s);
  const y11NonString = resolvesIn11AsNonString(s);
  if (typeof core === 'string' && y11NonString) throw new YamlReadError(`${where}: '${s}' is a string in YAML 1.2 but not in YAML 1.1`);
  if (typeof core === 'number' && !Number.isFinite(core)) throw new YamlReadError(`${where}: non-finite number ${s} is not JSON`);
  if (typeof core === 'number' && !Y11_INT.test(s) && !Y11_FLOAT.test(s)) {
    throw new YamlReadError(`${where}: '${s}' is a number in YAML 1.2 but a string in YAML 1.1`);
  }
  return core;
};

/** A double-quoted scalar spanning the rest of `text` from index 0; returns value and end index. */
const doubleQuoted = (text: string, where: string): { value: string; end: number } => {
  let i = 1;
  let out = '';
  const ESC: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) break;
      const hex = { x: 2, u: 4, U: 8 }[e as 'x' | 'u' | 'U'];
      if (hex) {
        const digits = text.slice(i + 2, i + 2 + hex);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) throw new YamlReadError(`${where}: bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(digits, 16));
        i += 2 + hex;
        continue;
      }
      if (!(e in ESC)) throw new YamlReadError(`${where}: unknown escape \\${e}`);
      out += ESC[e];
      i += 2;
      continue;
    }
    const code = c.charCodeAt(0);
    // c-printable: tab, LF, CR, 0x20-0x7E, 0x85, 0xA0-0xD7FF, 0xE000-0xFFFD, surrogates (astral)
    const printable = code === 0x09 || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xfffd && code !== 0xfeff);
    if (!printable || code === 0x85 || code === 0x2028 || code === 0x2029) throw new YamlReadError(`${where}: unescaped U+${code.toString(16)}`);
    out += c;
    i += 1;
  }
  throw new YamlReadError(`${where}: unterminated double-quoted scalar`);
};

/** A scalar making up the whole of `text` (after `key: ` or `- `, or a whole line). */
const scalarValue = (text: string, where: string): Json => {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith('"')) {
    const { value, end } = doubleQuoted(text, where);
    if (end !== text.length) throw new YamlReadError(`${where}: text after a quoted scalar`);
    return value;
  }
  if (text.startsWith("'")) throw new YamlReadError(`${where}: single-quoted scalars are not expected`);
  return plain(text, where);
};

/** Splits `key: rest` / `key:` into the key and the rest (null when the value follows below). */
const splitKey = (text: string, where: string): { key: string; rest: string | null } | null => {
  if (text.startsWith('"')) {
    const { value, end } = doubleQuoted(text, where);
    if (text[end] !== ':') return null;
    if (end + 1 === text.length) return { key: value, rest: null };
    if (text[end + 1] !== ' ') throw new YamlReadError(`${where}: expected a space after ':'`);
    return { key: value, rest: text.slice(end + 2) };
  }
  const m = /^([^\s"'#][^:]*?):(?: (.*))?$/.exec(text);
  if (!m) return null;
  const key = plain(m[1]!, where);
  if (typeof key !== 'string') throw new YamlReadError(`${where}: non-string key ${m[1]}`);
  return { key, rest: m[2] ?? null };
};

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }

  node(indent: number): Json {
    const line = this.lines[this.i];
    if (!line) throw new YamlReadError('unexpected end of document');
    if (line.indent !== indent) throw new YamlReadError(`line ${line.no}: expected indentation ${indent}, got ${line.indent}`);
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    if (splitKey(line.text, `line ${line.no}`)) return this.mapping(indent);
    this.i += 1;
    return scalarValue(line.text, `line ${line.no}`);
  }

  private sequence(indent: number): Json[] {
    const out: Json[] = [];
    for (let line = this.lines[this.i]; line && line.indent === indent && (line.text === '-' || line.text.startsWith('- ')); line = this.lines[this.i]) {
      if (line.text === '-') throw new YamlReadError(`line ${line.no}: empty sequence entries are not expected`);
      // "- x" is the node x starting two columns further in: re-read this line that way.
      this.lines[this.i] = { no: line.no, indent: indent + 2, text: line.text.slice(2) };
      if (this.lines[this.i]!.text.startsWith(' ')) throw new YamlReadError(`line ${line.no}: more than one space after '-'`);
      out.push(this.node(indent + 2));
    }
    this.checkDedent(indent);
    return out;
  }

  private mapping(indent: number): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      const where = `line ${line.no}`;
      const kv = splitKey(line.text, where);
      if (!kv) throw new YamlReadError(`${where}: expected 'key:' in a mapping`);
      if (Object.hasOwn(out, kv.key)) throw new YamlReadError(`${where}: duplicate key ${kv.key}`);
      this.i += 1;
      if (kv.rest !== null) {
        out[kv.key] = scalarValue(kv.rest, where);
        continue;
      }
      const next = this.lines[this.i];
      if (!next || next.indent <= indent) {
        // YAML allows a sequence at the same indentation as its key; the emitter indents it.
        throw new YamlReadError(`${where}: '${kv.key}:' has no value below it`);
      }
      out[kv.key] = this.node(next.indent);
    }
    this.checkDedent(indent);
    return out;
  }

  private checkDedent(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw new YamlReadError(`line ${next.no}: unexpected indentation`);
  }
}

/** Reads a stream of one or more documents. */
export function readYamlStream(text: string): Json[] {
  if (!text.endsWith('\n')) throw new YamlReadError('the stream must end with a newline');
  const docs: Line[][] = [[]];
  text.slice(0, -1).split('\n').forEach((raw, idx) => {
    const no = idx + 1;
    if (raw.includes('\t')) throw new YamlReadError(`line ${no}: tab character`);
    if (raw.includes('\r')) throw new YamlReadError(`line ${no}: carriage return`);
    if (raw === '---') {
      if (idx !== 0) docs.push([]);
      return;
    }
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    if (raw !== raw.trimEnd()) throw new YamlReadError(`line ${no}: trailing whitespace`);
    const indent = raw.length - raw.trimStart().length;
    docs[docs.length - 1]!.push({ no, indent, text: raw.slice(indent) });
  });
  return docs.map((lines, d) => {
    if (lines.length === 0) throw new YamlReadError(`document ${d + 1} is empty`);
    const reader = new Reader(lines);
    const value = reader.node(0);
    if (!reader.done()) throw new YamlReadError(`document ${d + 1}: text after the root node`);
    return value;
  });
}

export const readYaml = (text: string): Json => {
  const docs = readYamlStream(text);
  if (docs.length !== 1) throw new YamlReadError(`expected one document, got ${docs.length}`);
  return docs[0]!;
};
