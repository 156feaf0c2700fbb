// `npm run bench -- <scenario>...`: runs scenarios (or all) against the built dist/, one
// process each. Scenarios that need Postgres print a skip line without DATABASE_URL.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CLI, ROOT } from './lib.mjs';

const SCENARIOS = ['startup', 'stdio', 'http', 'oauth', 'postgres', 'profile', 'scale', 'transactions', 'memory', 'tracing'];
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
  const t0 = performance.now();
  console.log(`\n=== ${s} ===`);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', `${s}.mjs`)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`scenario ${s} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  console.log(`=== ${s} done in ${((performance.now() - t0) / 1000).toFixed(1)} s ===`);
}
