// `npm run bench -- <scenario>`: runs one scenario (or all) against the built dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CLI, ROOT } from './lib.mjs';

const SCENARIOS = ['startup', 'http', 'postgres'];
const asked = process.argv.slice(2);
const chosen = asked.length === 0 || asked.includes('all') ? SCENARIOS : asked;
const unknown = chosen.filter((s) => !SCENARIOS.includes(s));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; available: ${SCENARIOS.join(', ')}, all`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
for (const s of chosen) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', `${s}.mjs`)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
