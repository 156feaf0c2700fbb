// fast-check settings shared by the fuzz files: one seed per run (printed, and in every failure
// report) so a failure is reproducible, and a reporter that keeps counterexamples readable (a
// 10k-element array or a 100k-character string would otherwise flood the output).
//
// Replay: FUZZ_SEED=<seed> npx vitest run test/fuzz/<file> -t '<test name>'
//   (add FUZZ_PATH=<path> to jump straight to the shrunk case; the path belongs to that one
//   test's property, hence -t). Deeper local run: FUZZ_RUNS=10 (multiplies every numRuns).
// Locally the seed changes per run (fuzzing keeps exploring); under CI it is fixed, so a
// submission's result does not depend on the day's draw. It is printed in the test title.
import fc from 'fast-check';

const CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : CI ? 20_261_122 : Date.now() % 2 ** 31;
const FUZZ_PATH = process.env.FUZZ_PATH;
const SCALE = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
export const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

/** A short, bounded rendering of any value: long strings, big arrays and deep nesting summarised. */
export const brief = (value: unknown, depth = 0): string => {
  if (depth > 6) return '…';
  if (typeof value === 'string') {
    return value.length > 120 ? `${JSON.stringify(value.slice(0, 60))}…(${value.length} chars)` : JSON.stringify(value);
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, 80)).toString('hex');
    return `bytes(${value.length}):${hex}${value.length > 80 ? '…' : ''}`;
  }
  if (Array.isArray(value)) {
    const head = value.slice(0, 8).map((v) => brief(v, depth + 1));
    return `[${head.join(',')}${value.length > 8 ? `,…(${value.length} items)` : ''}]`;
  }
  const entries = Object.entries(value);
  const head = entries.slice(0, 12).map(([k, v]) => `${JSON.stringify(k)}:${brief(v, depth + 1)}`);
  return `{${head.join(',')}${entries.length > 12 ? `,…(${entries.length} keys)` : ''}}`;
};

export const fcParams = <T>(numRuns: number): fc.Parameters<T> => ({
  numRuns: runs(numRuns),
  seed: FUZZ_SEED,
  ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}),
  // shrinking through the whole protocol stack can be slow; stop searching, report what we have
  interruptAfterTimeLimit: 25_000,
  markInterruptAsFailure: false,
  reporter: (out) => {
    if (!out.failed) return;
    const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    throw new Error(
      `Property failed after ${out.numRuns} run(s) { seed: ${out.seed}, path: "${out.counterexamplePath}" }\n`
      + `Counterexample: ${out.counterexample ? brief(out.counterexample) : '(none)'}\n`
      + `Shrunk ${out.numShrinks} time(s)\n${error}`,
    );
  },
});
