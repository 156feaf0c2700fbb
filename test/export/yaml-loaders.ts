// Optional cross-check with a real YAML implementation: PyYAML (YAML 1.1, the strictest about
// what stays a string) when python3 has it. Tests using it are skipped elsewhere.
import { spawnSync } from 'node:child_process';

const probe = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
export const hasPyYaml = !probe.error && probe.status === 0;

const SCRIPT = 'import sys, json, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))';

/** Every document of the stream as PyYAML's safe_load_all reads it. */
export function loadWithPyYaml(text: string): unknown[] {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyYAML failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}
