// `npm run docs:options`: rewrites the README's flag tables (between `<!-- options: … -->` and
// `<!-- /options -->`) from the option table in src/commands/serve/options.ts (built to dist/).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { updateReadme } from '../dist/commands/options/render.js';
import { SERVE_OPTIONS } from '../dist/commands/serve/options.js';

const file = path.resolve(import.meta.dirname, '..', 'README.md');
const before = readFileSync(file, 'utf8');
const after = updateReadme(before, SERVE_OPTIONS);
if (after === before) {
  console.error('README.md is up to date');
} else {
  writeFileSync(file, after);
  console.error('README.md: flag tables rewritten');
}
