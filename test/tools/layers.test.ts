// The layers import downwards only: transports → server → tool definitions → services →
// repository, with the domain (zod schemas) and logging (incl. the telemetry hooks) shared by all. commands/ is the
// composition root and may import anything. A new arrow upwards fails here, naming the file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** What each top-level folder of src/ may import besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  domain: [],
  logging: [],
  repository: ['domain'],
  services: ['repository', 'domain', 'logging'],
  tools: ['services', 'statements', 'domain', 'logging'],
  server: ['tools', 'services', 'statements', 'domain', 'logging', 'version.ts'],
  // rendering of documents (the PDF statement) from domain values: used by tools and resources
  statements: ['domain'],
  transports: ['server', 'domain', 'logging'],
  // metrics and tracing wiring, installed by the composition root (commands/)
  observability: ['transports', 'server', 'services', 'repository', 'domain', 'logging', 'version.ts'],
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []);

const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!.replace(/\.js$/, '.ts');

describe('layers', () => {
  it('every folder of src/ has a rule (a new layer must say what it may import)', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => f !== 'commands' && !(f in MAY_IMPORT))).toEqual([]);
  });

  it('each layer imports only the layers below it', () => {
    const upward = Object.entries(MAY_IMPORT).flatMap(([layer, allowed]) =>
      sources(path.join(SRC, layer)).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)]
          .map((m) => layerOf(path.resolve(path.dirname(file), m[1]!)))
          .filter((target) => target !== layer && !allowed.includes(target))
          .map((target) => `${path.relative(SRC, file)} → ${target}`)));
    expect(upward).toEqual([]);
  });
});
