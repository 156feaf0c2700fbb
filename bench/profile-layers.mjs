// Self time of a V8 CPU profile (node --cpu-prof) by layer of support-mcp's call path, for
// bench/profile.mjs. Each sample is charged to the first frame, walking from the leaf up,
// whose file names a layer. Frames that belong to whoever called them (zod, V8 builtins,
// node's own stream and timer internals) are transparent: zod's time is "validation" when our
// call path called it and "JSON-RPC dispatch" when the SDK parsed a message with it.
import { readFileSync } from 'node:fs';

export const LAYERS = [
  'HTTP parsing and middleware',
  'stdio framing',
  'JSON-RPC dispatch (SDK)',
  'tool call path (server/, tools/)',
  'argument and output validation',
  'access, limits, audit (services/)',
  'repository (ours)',
  'logging',
  'query building (kysely)',
  'pg driver',
  'JSON serialisation',
  'node I/O, timers, event loop',
  'garbage collection',
  'other',
];

// [test on the frame, layer | 'transparent']; the first that matches decides.
const RULES = [
  [(f) => f.functionName === '(garbage collector)', 'garbage collection'],
  [(f) => f.functionName === '(program)', 'other'],
  [(f) => /\/node_modules\/zod\//.test(f.url), 'transparent'],
  [(f) => /\/node_modules\/(pino|sonic-boom|fast-redact|@pinojs|thread-stream|on-exit-leak-free|quick-format-unescaped|atomic-sleep|fast-safe-stringify|safe-stable-stringify)\//.test(f.url) || /\/dist\/logging\//.test(f.url), 'logging'],
  [(f) => /\/node_modules\/kysely\//.test(f.url), 'query building (kysely)'],
  [(f) => /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-connection-string|postgres-array|postgres-bytea|postgres-date|postgres-interval|pgpass|split2)\//.test(f.url), 'pg driver'],
  [(f) => /\/node_modules\/@modelcontextprotocol\/sdk\/.*\/(shared\/stdio|server\/stdio)\.js/.test(f.url), 'stdio framing'],
  [(f) => /\/node_modules\/@modelcontextprotocol\/sdk\/.*(streamableHttp|webStandardStreamableHttp|sse|express|middleware)/.test(f.url), 'HTTP parsing and middleware'],
  [(f) => /\/node_modules\/@modelcontextprotocol\/sdk\//.test(f.url), 'JSON-RPC dispatch (SDK)'],
  [(f) => /\/node_modules\/(express|body-parser|router|raw-body|iconv-lite|content-type|type-is|media-typer|on-finished|finalhandler|send|serve-static|qs|cors|vary|express-rate-limit|@hono|hono|accepts|negotiator|mime-types|mime-db|depd|http-errors|statuses|bytes|parseurl|encodeurl|escape-html|etag|fresh|range-parser|proxy-addr|forwarded|ipaddr\.js|cookie|setprototypeof|unpipe|ee-first|debug|ms|path-to-regexp|is-promise|merge-descriptors|content-disposition)\//.test(f.url), 'HTTP parsing and middleware'],
  [(f) => /\/dist\/transports\/stdio/.test(f.url), 'stdio framing'],
  [(f) => /\/dist\/transports\//.test(f.url), 'HTTP parsing and middleware'],
  [(f) => /\/dist\/(services|domain)\//.test(f.url), 'access, limits, audit (services/)'],
  [(f) => /\/dist\/repository\//.test(f.url), 'repository (ours)'],
  [(f) => /\/dist\/(server|tools|profiles)\//.test(f.url), 'tool call path (server/, tools/)'],
  [(f) => /^node:(_http_|http|https)/.test(f.url) || /^node:internal\/http/.test(f.url), 'HTTP parsing and middleware'],
  [(f) => f.url === '' && /^(stringify|parse|JSONStringify|JSONParse)$/.test(f.functionName), 'JSON serialisation'],
  [(f) => f.url.startsWith('node:') || f.url === '', 'transparent'],
  [() => true, 'other'],
];

const classify = (frame) => {
  for (const [test, layer] of RULES) if (test(frame)) return layer;
  return 'other';
};

/** Self time (ms) per layer of one profile, and the profile's total non-idle time. */
export function layersOf(profileOrPath) {
  const profile = typeof profileOrPath === 'string' ? JSON.parse(readFileSync(profileOrPath, 'utf8')) : profileOrPath;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOfNode = new Map();
  const resolve = (id) => {
    if (layerOfNode.has(id)) return layerOfNode.get(id);
    const frames = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur).callFrame);
    let layer = null;
    let zodLeaf = false;
    let jsonLeaf = null;
    for (const f of frames) {
      const l = classify(f);
      if (l === 'transparent') {
        if (/\/node_modules\/zod\//.test(f.url)) zodLeaf = true;
        continue;
      }
      if (l === 'JSON serialisation') { jsonLeaf ??= l; continue; } // logging's JSON stays logging
      layer = l;
      break;
    }
    if (layer === null) layer = jsonLeaf ?? (zodLeaf ? 'argument and output validation' : 'node I/O, timers, event loop');
    else if (zodLeaf && layer === 'tool call path (server/, tools/)') layer = 'argument and output validation';
    else if (zodLeaf && layer === 'access, limits, audit (services/)') layer = 'argument and output validation';
    else if (jsonLeaf && layer !== 'logging') layer = jsonLeaf;
    layerOfNode.set(id, layer);
    return layer;
  };
  const ms = Object.fromEntries(LAYERS.map((l) => [l, 0]));
  const { samples, timeDeltas } = profile;
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]);
    if (node.callFrame.functionName === '(idle)') continue;
    const dt = (timeDeltas[i] ?? 0) / 1000;
    ms[resolve(samples[i])] += dt;
    total += dt;
  }
  return { ms, total };
}

/** The heaviest self-time frames (function + file), for finding what to cut next. */
export function topFrames(profileOrPath, k = 25) {
  const profile = typeof profileOrPath === 'string' ? JSON.parse(readFileSync(profileOrPath, 'utf8')) : profileOrPath;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i]).callFrame;
    if (f.functionName === '(idle)') continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
}
