// Raw JSON-RPC frames for fuzzing the transports: named edge cases plus fast-check generators
// (malformed and truncated JSON, wrong shapes, batches, huge and deep values, invalid UTF-8,
// NUL bytes, unknown methods, notifications that look like requests). A frame is bytes; the
// stdio test ends each with "\n", the HTTP test posts it as the body.
import fc from 'fast-check';
import { nestedArrays, nestedObjects, NASTY_STRINGS } from './arbitraries.js';

export type Frame = Uint8Array;
const enc = (s: string): Frame => Buffer.from(s, 'utf8');
const json = (v: unknown): Frame => enc(JSON.stringify(v));

// Methods of both directions (a server must refuse the client-side ones cleanly), plus typos.
export const METHODS = [
  'initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/read', 'resources/templates/list',
  'resources/subscribe', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel', 'tasks/get', 'tasks/list',
  'tasks/result', 'tasks/cancel', 'sampling/createMessage', 'elicitation/create', 'roots/list',
  'notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'notifications/roots/list_changed',
  'notifications/message', 'Tools/Call', 'tools/call ', 'tools/', '', 'rpc.discover', '__proto__', 'constructor',
];
export const TOOL_NAMES = ['find_customer', 'get_order', 'list_orders', 'cancel_order', 'create_ticket', 'verify_identity', 'nope', ''];

// Invalid UTF-8: a lone continuation byte, overlong encodings, a UTF-8-encoded surrogate,
// a code point above U+10FFFF, truncated sequences, bytes that never occur in UTF-8.
export const INVALID_UTF8: readonly number[][] = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0xfe], [0xff], [0xff, 0xfe],
];

const BIG_ARRAY = Array.from({ length: 100_000 }, (_, i) => i);
const request = (id: unknown, method: unknown, params?: unknown): Record<string, unknown> =>
  ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const call = (id: unknown, name: unknown, args: unknown): Record<string, unknown> => request(id, 'tools/call', { name, arguments: args });
/** Deep nesting as text: JSON.stringify would overflow the stack long before 100k levels. */
const deepText = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

/** The edge cases the brief names, each once (label → frame). */
export const NAMED_FRAMES: readonly [string, Frame][] = [
  ['malformed JSON', enc('{"jsonrpc":"2.0","id":1,"method":"ping"')],
  ['truncated in a string', enc('{"jsonrpc":"2.0","id":1,"method":"pi')],
  ['trailing garbage', enc('{"jsonrpc":"2.0","id":1,"method":"ping"}}')],
  ['single quotes', enc("{'jsonrpc':'2.0','id':1,'method':'ping'}")],
  ['empty line', enc('')],
  ['whitespace only', enc(' \t ')],
  ['array', json([1, 2, 3])],
  ['number', enc('42')],
  ['string', enc('"ping"')],
  ['null', enc('null')],
  ['object without jsonrpc', json({ id: 1, method: 'ping' })],
  ['object without method', json({ jsonrpc: '2.0', id: 1 })],
  ['empty object', enc('{}')],
  ['jsonrpc 1.0', json({ jsonrpc: '1.0', id: 1, method: 'ping' })],
  ['jsonrpc as number', json({ jsonrpc: 2.0, id: 1, method: 'ping' })],
  ['id of object type', json(request({ a: 1 }, 'ping'))],
  ['id of array type', json(request([1], 'ping'))],
  ['id null', json(request(null, 'ping'))],
  ['id fractional', json(request(1.5, 'ping'))],
  ['id huge number', enc('{"jsonrpc":"2.0","id":1e400,"method":"ping"}')],
  ['id very long string', json(request('i'.repeat(100_000), 'ping'))],
  ['method not a string', json(request(1, 42))],
  ['method null', json(request(1, null))],
  ['params not an object', json(request(1, 'ping', 'x'))],
  ['empty batch', enc('[]')],
  ['batch of one', json([request('b1', 'ping')])],
  ['mixed batch', json([request('b2', 'ping'), { jsonrpc: '2.0', method: 'notifications/initialized' }, 1, 'x', null, request({}, 'ping')])],
  ['batch with duplicate ids', json([request('dup', 'ping'), request('dup', 'ping')])],
  ['batch of 10k pings', json(Array.from({ length: 10_000 }, (_, i) => request(`p${i}`, 'ping')))],
  ['unknown method', json(request(1, 'does/not/exist'))],
  ['client-side method', json(request(1, 'sampling/createMessage', { messages: [], maxTokens: 1 }))],
  ['tools/call name of wrong type', json(request(1, 'tools/call', { name: 42, arguments: {} }))],
  ['tools/call name null', json(request(1, 'tools/call', { name: null }))],
  ['tools/call arguments an array', json(call(1, 'get_order', ['24601']))],
  ['tools/call unknown tool', json(call(1, 'drop_tables', {}))],
  ['notification that looks like a request', json({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'cancel_order', arguments: { order_id: '13579' } } })],
  ['cancel of an unknown request', json({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'nope' } })],
  ['a response nobody asked for', json({ jsonrpc: '2.0', id: 77, result: {} })],
  ['an error response nobody asked for', json({ jsonrpc: '2.0', id: 78, error: { code: -1, message: 'x' } })],
  ['100k elements in arguments', json(call(1, 'get_order', { order_id: '24601', extra: BIG_ARRAY }))],
  ['100k-level nested arrays (bare)', enc(deepText(100_000))],
  ['100k-level nested arrays in arguments', enc(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_order","arguments":{"a":${deepText(100_000)}}}}`)],
  ['10k-level nested objects in params', enc(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`)],
  ['10k-level nested objects in _meta', enc(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`)],
  ['NUL byte', Uint8Array.of(0)],
  ['NUL inside JSON', enc('{"jsonrpc":"2.0","id":1,"method":"ping\u0000"}')],
  ['NUL between tokens', Buffer.concat([enc('{"jsonrpc":"2.0",'), Uint8Array.of(0), enc('"id":1,"method":"ping"}')])],
  ['escaped NUL in arguments', json(call(1, 'find_customer', { email: 'a\u0000@b.co' }))],
  ['invalid UTF-8 bytes', Uint8Array.of(0xff, 0xfe, 0xfd)],
  ['invalid UTF-8 inside a string', Buffer.concat([enc('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"find_customer","arguments":{"email":"'), Uint8Array.of(0xed, 0xa0, 0x80, 0xc0, 0x80), enc('"}}}')])],
  ['BOM before JSON', Buffer.concat([Uint8Array.of(0xef, 0xbb, 0xbf), enc('{"jsonrpc":"2.0","id":1,"method":"ping"}')])],
  ['UTF-16 encoded JSON', Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}', 'utf16le')],
  ['CR only', enc('\r')],
  ['long line of garbage (2 MB)', enc('x'.repeat(2 * 1024 * 1024))],
  ['long string argument (900 kB)', json(call(1, 'find_customer', { email: 'a'.repeat(900_000) }))],
  ['__proto__ keys', enc('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_order","arguments":{"__proto__":{"order_id":"24601"}},"__proto__":{"x":1}}}')],
  ['constructor keys', json(call(1, 'get_order', { constructor: { prototype: { order_id: '1' } }, order_id: '24601' }))],
];

// ---- generators ---------------------------------------------------------------------------

const idArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer() },
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, [], 1.5, -0, 1e300, true, '', 'i'.repeat(5_000)) },
);

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS.filter((s) => s.length < 1_000)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<() => unknown>(
      () => BIG_ARRAY,
      () => nestedArrays(2_000),
      () => nestedObjects(2_000),
      () => 'A'.repeat(100_000),
    ).map((make) => make()),
  },
);

const paramsArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: fc.oneof(fc.constantFrom(...TOOL_NAMES), hostileJson), arguments: fc.oneof(fc.dictionary(fc.string({ maxLength: 15 }), hostileJson, { maxKeys: 4 }), hostileJson) }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 15 }), hostileJson, { maxKeys: 4 }) },
  { weight: 1, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.record({ _meta: fc.oneof(fc.record({ progressToken: idArb }), hostileJson), protocolVersion: fc.string(), capabilities: hostileJson, level: fc.string(), requestId: idArb }, { requiredKeys: [] }) },
);

const methodArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 1, arbitrary: hostileJson },
);

/** Message-shaped objects with any field possibly missing or of the wrong type. */
const junkMessageArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    jsonrpc: fc.oneof({ weight: 8, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('1.0', '2', 2, null, '') }),
    id: idArb,
    method: methodArb,
    params: paramsArb,
    result: hostileJson,
    error: fc.record({ code: fc.integer(), message: fc.string() }),
  },
  { requiredKeys: ['jsonrpc'] },
);

/** Mostly requests and notifications that pass the envelope checks, so the handlers are reached. */
const messageArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.integer(), fc.string({ maxLength: 12 })), method: methodArb, params: paramsArb }, { requiredKeys: ['jsonrpc', 'id', 'method'] }) },
  { weight: 2, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), method: methodArb, params: paramsArb }, { requiredKeys: ['jsonrpc', 'method'] }) },
  { weight: 3, arbitrary: junkMessageArb },
);

/** Bytes of one frame: structured junk, mangled JSON, or raw bytes. */
export const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  // message-shaped objects (some valid requests and notifications among them)
  { weight: 16, arbitrary: messageArb.map((m) => safeJson(m)) },
  // batches, mixed with non-messages
  { weight: 2, arbitrary: fc.array(fc.oneof(messageArb, hostileJson), { maxLength: 6 }).map((b) => safeJson(b)) },
  // valid JSON of the wrong shape
  { weight: 2, arbitrary: hostileJson.map((v) => safeJson(v)) },
  // truncated JSON (cut anywhere, even inside a multi-byte character)
  { weight: 2, arbitrary: fc.tuple(messageArb, fc.nat()).map(([m, cut]) => { const b = safeJson(m); return b.subarray(0, cut % Math.max(1, b.length)); }) },
  // a valid-looking frame with invalid UTF-8 or NUL spliced in
  {
    weight: 2,
    arbitrary: fc.tuple(messageArb, fc.nat(), fc.oneof(fc.constantFrom(...INVALID_UTF8), fc.constant([0]))).map(([m, at, bytes]) => {
      const b = safeJson(m);
      const i = at % (b.length + 1);
      return Buffer.concat([b.subarray(0, i), Uint8Array.from(bytes), b.subarray(i)]);
    }),
  },
  // raw bytes
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  // raw bytes that cannot start a new line (no "\n") but look like JSON
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => enc(`{"jsonrpc":"2.0","id":1,"method":${s}`)) },
);

/** JSON bytes of a value; values too deep for JSON.stringify become a deep text instead. */
function safeJson(v: unknown): Frame {
  try {
    const s = JSON.stringify(v);
    return enc(s === undefined ? 'null' : s);
  } catch {
    return enc(deepText(10_000));
  }
}

/** The frame as it must travel on stdio: one line, so it may not contain "\n" itself. */
export const asLine = (f: Frame): Frame => {
  // newlines inside a generated frame would split it into several (fine, but then the test
  // would not know which line was which); map them to spaces, keep every other byte
  const b = Buffer.from(f);
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) b[i] = 0x20;
  return b;
};
