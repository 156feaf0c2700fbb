// The YAML emitter: every JSON value round-trips, through the strict test reader (YAML 1.2
// core schema, refusing anything YAML 1.1 would read differently) and, where installed,
// through PyYAML.
import { describe, expect, it } from 'vitest';
import { needsQuotes, toYaml, toYamlStream, type JsonValue } from '../../src/commands/export/yaml.js';
import { hasPyYaml, loadWithPyYaml } from './yaml-loaders.js';
import { readYaml, readYamlStream, YamlReadError } from './yaml-reader.js';

// Strings that some YAML loader reads as something else, or that break block syntax.
const TRICKY_STRINGS = [
  '', ' ', 'a', 'plain words', 'null', 'Null', 'NULL', '~', 'true', 'False', 'yes', 'No', 'on', 'OFF', 'y', 'n',
  '0', '-1', '+1', '1.5', '.5', '1e3', '1_000', '0x1F', '0o17', '012', '1:20', '.inf', '-.inf', '.nan', 'NaN', 'Infinity',
  '2024-01-15', '2023-01-15T10:30:00Z', '10:30', '- item', '-item', '? key', '?x', ': x', ':x', 'a: b', 'a:b', 'a #b', 'a#b',
  '# comment', '#', '&anchor', '*alias', '!tag', '!!str', '|', '>', "'", '"', "it's", 'say "hi"', '[a]', '{a}', 'a [b]',
  '@at', '`tick', '%percent', '<<', '=', 'trailing ', ' leading', 'tab\there', 'two\nlines', 'crlf\r\n', 'back\\slash',
  'unicode é ü 日本', 'emoji 😀', 'nel\u0085', 'ls\u2028ps\u2029', 'bom\ufeff', 'del\u007f', 'bell\u0007', 'nul\u0000',
  '$ref', '/path/to', 'get_customer_info', 'CUST-12345', 'ORD-2024-1234', 'promptkit.altairalabs.ai/v1alpha1',
  '^\\d{4}-\\d{2}-\\d{2}$', '^[a-zA-Z0-9_-]{1,64}$', 'Customer email address', 'e.g. 415-555-1234, or +14155551234.',
];

const NUMBERS = [0, 1, -1, 42, 1.5, -0.25, 49.99, 1e-7, 1.5e-10, 1e21, -2.5e30, 9007199254740991, -9007199254740991, 0.1 + 0.2];

const roundTrip = (value: JsonValue) => readYaml(toYaml(value));

describe('YAML emitter', () => {
  it.each(TRICKY_STRINGS.map((s) => [JSON.stringify(s), s]))('string %s round-trips as a value and as a key', (_l, s) => {
    expect(roundTrip(s)).toBe(s);
    expect(roundTrip({ [s]: s })).toEqual({ [s]: s });
    expect(roundTrip([s, { k: [s] }])).toEqual([s, { k: [s] }]);
  });

  it.each(NUMBERS.map((n) => [String(n), n]))('number %s round-trips', (_l, n) => {
    expect(roundTrip(n)).toBe(n);
    expect(roundTrip({ n })).toEqual({ n });
  });

  it('writes plain scalars only when they are unambiguous', () => {
    for (const s of ['get_customer_info', 'Customer email address', 'object', '$ref', 'CUST-12345']) expect(needsQuotes(s)).toBe(false);
    for (const s of ['yes', 'null', '1', '2024-01-15', 'a: b', 'a #b', '- x', '', ' x', 'x ', 'é']) expect(needsQuotes(s)).toBe(true);
    expect(toYaml({ type: 'object', required: ['email'] })).toBe('type: object\nrequired:\n  - email\n');
  });

  it('round-trips nesting, empty collections, null and booleans', () => {
    const value: JsonValue = {
      a: {}, b: [], c: null, d: true, e: false,
      list: [[1, [2, []]], { x: { y: [{}] } }, [{ k: 'v', k2: ['w'] }], null],
      deep: { l1: { l2: { l3: { l4: ['bottom'] } } } },
    };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip([])).toEqual([]);
    expect(roundTrip({})).toEqual({});
  });

  it('writes a stream of documents separated by ---', () => {
    const docs: JsonValue[] = [{ kind: 'Tool', n: 1 }, { kind: 'Tool', n: 2 }, ['x']];
    const text = toYamlStream(docs);
    expect(text.split('\n').filter((l) => l === '---')).toHaveLength(2);
    expect(readYamlStream(text)).toEqual(docs);
  });

  it('refuses values that are not JSON', () => {
    expect(() => toYaml(Number.NaN)).toThrow(TypeError);
    expect(() => toYaml({ x: Number.POSITIVE_INFINITY })).toThrow(TypeError);
  });

  it('the test reader is strict (it rejects what the emitter must never write)', () => {
    for (const bad of ['yes\n', 'a: on\n', 'a: 1_000\n', 'a: 2024-01-15\n', 'a: 1e3\n', "a: 'x'\n", 'a: &x 1\n', 'a: [1]\n', 'a:\n\tb: 1\n', 'a: b \n']) {
      expect(() => readYaml(bad), bad).toThrow(YamlReadError);
    }
  });

  it.skipIf(!hasPyYaml)('PyYAML (YAML 1.1) reads the same values', () => {
    const docs: JsonValue[] = [TRICKY_STRINGS, NUMBERS, Object.fromEntries(TRICKY_STRINGS.map((s) => [s, s]))];
    expect(loadWithPyYaml(toYamlStream(docs))).toEqual(docs);
  });
});
