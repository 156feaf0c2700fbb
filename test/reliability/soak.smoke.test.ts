// bench/soak.mjs in miniature (~3 s, 20 clients), as a child process like `npm run soak`
// runs it: it must finish with exit 0 and its PASS summary line, so the soak (mix of every
// support tool, lost-write check, 5xx count) keeps working. On Postgres when DATABASE_URL is
// set (the soak makes and drops its own database there), else on the fixtures.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../server/cli.js';

const SOAK = path.join(ROOT, 'bench', 'soak.mjs');

const runSoak = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [SOAK], {
      env: {
        PATH: process.env.PATH ?? '',
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe(`soak smoke run [${process.env.DATABASE_URL ? 'postgres' : 'fixtures'}]`, () => {
  it('3 s with 20 clients: exit 0, every tool called, and a PASS summary with no 5xx and no lost write', async () => {
    const r = await runSoak({ SOAK_SECONDS: '3', SOAK_CLIENTS: '20' });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const summary = r.stdout.trim().split('\n').at(-1) ?? '';
    const m = /^SOAK PASS calls=(\d+) calls_per_s=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) http_5xx=0 lost_writes=0 unexpected=0$/.exec(summary);
    expect(m, summary).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(20);
    expect(Number(m![3])).toBeLessThanOrEqual(Number(m![4])); // p50 ≤ p99
    // the mix reached every support tool and writes were acknowledged (and then found)
    for (const tool of ['find_customer', 'get_order', 'list_orders', 'get_subscription', 'get_billing', 'get_ticket',
      'create_ticket', 'cancel_order', 'update_contact', 'verify_identity']) {
      expect(r.stdout, tool).toMatch(new RegExp(`^${tool}\\s+.*ok=\\d+`, 'm'));
    }
    expect(r.stdout).toMatch(/acknowledged writes: tickets=[1-9]\d* .*lost=0/);
    expect(r.stdout).toMatch(/--access open --limits off --rate-limit/); // it says how the server was run
  });
});
