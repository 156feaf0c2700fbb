// Every tool of every profile fuzzed on the in-memory fixture store (see tool-inputs.suite.ts
// for the properties). Runs per tool are moderate so the file stays well under a minute;
// FUZZ_RUNS=10 for a deeper local run, FUZZ_SEED=<n> to replay a reported failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactArgs } from '../../src/domain/masking.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { loadDataset } from '../../src/repository/dataset.js';
import { fcParams } from './fc-setup.js';
import { describeToolInputFuzz, OPEN_MODE, VERIFIED_MODE } from './tool-inputs.suite.js';

describeToolInputFuzz({
  backend: 'fixtures',
  // a fresh store per profile and mode: writing tools change it
  repo: async () => new FixtureRepository(await loadDataset()),
  modes: [
    { mode: OPEN_MODE, validRuns: 150, hostileRuns: 150 },
    { mode: VERIFIED_MODE, validRuns: 50, hostileRuns: 50 },
  ],
});

// Unit-level regression for the audit-trail bug the PGlite run found: whatever a caller sends,
// redacted arguments (what the audit entry stores) hold no NUL and no lone surrogate, which
// Postgres refuses in jsonb (the entry was then dropped).
describe('redactArgs output is storable', () => {
  it('no NUL or lone surrogate survives redaction, in values or keys', () => {
    const text = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '😀')), maxLength: 300 });
    const args = fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(args, (a) => {
        const json = JSON.stringify(redactArgs(a));
        expect(json).not.toMatch(/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\udc|\\udd|\\ude|\\udf)|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i);
      }),
      fcParams(300),
    );
  });
});
