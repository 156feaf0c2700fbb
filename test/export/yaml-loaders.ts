// Cross-check with a real YAML implementation: PyYAML (YAML 1.1, the strictest about what
// stays a string). Locally the tests using it are skipped when python3 lacks it; under CI
// (.ci/run installs python3-yaml) a missing PyYAML fails the importing suites instead of
// letting them pass without the check.
import { spawnSync } from 'node:child_process';

const probe = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
export const hasPyYaml = !probe.error && probe.status === 0;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (!hasPyYaml && ci) throw new Error('PyYAML is not available to python3 (apt-get install python3-yaml): the YAML cross-checks cannot run');

const SCRIPT = 'import sys, json, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))';

/** Every document of the stream as PyYAML's safe_load_all reads it. */
export function loadWithPyYaml(text: string): unknown[] {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyYAML failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}
