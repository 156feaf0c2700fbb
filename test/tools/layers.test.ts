// The layers import downwards only: transports → server → tool definitions → services →
// repository. Tool definitions (src/tools/**) must not reach back up into the server.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TOOLS = path.resolve(import.meta.dirname, '..', '..', 'src', 'tools');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);

describe('layers', () => {
  it('nothing under src/tools imports src/server, src/transports or src/commands', () => {
    const upward = sources(TOOLS).flatMap((file) => {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
      return specifiers
        .filter((s) => s.startsWith('.'))
        .map((s) => path.relative(path.resolve(TOOLS, '..'), path.resolve(path.dirname(file), s)))
        .filter((target) => /^(server|transports|commands)\//.test(target))
        .map((target) => `${path.relative(TOOLS, file)} → ${target}`);
    });
    expect(upward).toEqual([]);
  });
});
