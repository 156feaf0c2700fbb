// The benchmarks still run: `node bench/run.mjs all` with BENCH_SMOKE=1 (tiny N) writing to a
// temporary results directory. Checks that every scenario finished, printed its table and
// wrote parseable results with numeric throughput and p50. Nothing here is timed or compared:
// smoke numbers are meaningless. With DATABASE_URL (CI: a fresh, migrated, possibly empty
// database) the Postgres scenarios seed what they need; without it they print a skip line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { ROOT } from '../server/cli.js'; // fails loudly when dist/ is missing or stale
const ALL = ['startup', 'stdio', 'http', 'oauth', 'postgres', 'scale', 'transactions', 'memory', 'tracing'];
const NEEDS_POSTGRES = ['postgres', 'scale', 'transactions'];

interface Row { name: string; per_s: unknown; p50_ms: unknown }

/** Every result row in a results file: arrays of objects with a name and an n. */
function rowsOf(value: unknown, out: Row[] = []): Row[] {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((r) => r && typeof r === 'object' && 'name' in r && 'n' in r)) out.push(...(value as Row[]));
    else for (const v of value) rowsOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) rowsOf(v, out);
  }
  return out;
}

describe('benchmarks (smoke: BENCH_SMOKE=1, tiny N, no timing checks)', () => {
  const resultsDir = mkdtempSync(path.join(tmpdir(), 'support-mcp-bench-'));
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('`bench/run.mjs all` runs every scenario and writes its results', async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCH_')) env[k] = v;
    Object.assign(env, { BENCH_SMOKE: '1', BENCH_RESULTS_DIR: resultsDir });
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'run.mjs'), 'all'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const log = `--- stdout ---\n${stdout.slice(-6000)}\n--- stderr ---\n${stderr.slice(-3000)}`;
    expect(code, log).toBe(0);

    const ran = process.env.DATABASE_URL ? ALL : ALL.filter((s) => !NEEDS_POSTGRES.includes(s));
    for (const s of ALL) {
      expect(stdout, `scenario ${s} did not finish\n${log}`).toContain(`=== ${s} done`);
      if (!ran.includes(s)) {
        expect(stdout, log).toContain(`\n${s}: skipped`);
        expect(existsSync(path.join(resultsDir, `${s}.json`))).toBe(false);
        continue;
      }
      // Every table title starts with its scenario's name.
      expect(stdout, `scenario ${s} printed no table\n${log}`).toMatch(new RegExp(`\\n${s}: .+\\nname +n +per_s +p50_ms`));
      const file = path.join(resultsDir, `${s}.json`);
      expect(existsSync(file), `${s}.json was not written`).toBe(true);
      const result = JSON.parse(readFileSync(file, 'utf8'));
      expect(result.scenario).toBe(s);
      expect(result.machine).toMatchObject({ cpus: expect.any(Number), node: process.version, smoke: true });
      const rows = rowsOf(result);
      expect(rows.length, `${s}.json has no result rows`).toBeGreaterThan(0);
      for (const r of rows) {
        expect(Number.isFinite(r.per_s), `${s}: ${r.name} per_s`).toBe(true);
        expect(Number.isFinite(r.p50_ms), `${s}: ${r.name} p50_ms`).toBe(true);
      }
    }
  }, 300_000);
});
