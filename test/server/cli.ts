// The built CLI as a user runs it: a child process with a minimal environment.
//
// Every suite that runs dist/ imports this module, and importing it fails when dist/ is
// missing or older than src/: an end-to-end suite must never pass by skipping, nor test
// yesterday's build. `npm test` builds first (pretest).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Why dist/ cannot be trusted (missing, or a source newer than its build), or null. */
export function staleBuild(root = ROOT): string | null {
  const src = path.join(root, 'src');
  const dist = path.join(root, 'dist');
  if (!existsSync(path.join(dist, 'cli.js'))) return 'dist/cli.js is missing';
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const built = path.join(dist, path.relative(src, file)).replace(/\.ts$/, '.js');
    if (!existsSync(built)) return `${path.relative(root, built)} is missing`;
    if (statSync(file).mtimeMs > statSync(built).mtimeMs) return `${path.relative(root, file)} is newer than ${path.relative(root, built)}`;
  }
  return null;
}

const stale = staleBuild();
if (stale !== null) throw new Error(`the end-to-end suites run the built CLI, but ${stale}: run \`npm run build\` (npm test does it first)`);

/** Runs the CLI to completion (stdin closed at once) and returns its exit code and output. */
export const runCli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

export interface RunningServer {
  url: string;
  port: number;
  logs: string[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `support-mcp --transport http --port 0 …` and waits for its ready log line. */
export function startHttpServer(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, '--transport', 'http', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${logs.join('\n')}`)), 20_000);
    let buf = '';
    child.stderr.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'support-mcp ready' && entry.port) {
            clearTimeout(timer);
            resolve({
              url: `http://127.0.0.1:${entry.port}`,
              port: entry.port,
              logs,
              stop: async (signal = 'SIGTERM') => {
                if (child.exitCode === null) child.kill(signal);
                return exited;
              },
            });
          }
        } catch {
          // not a JSON line (a config error): keep it for the message
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${logs.join('\n')}`));
    });
  });
}
