// All security suites of issue 6 against one backend: one database per test file (PGlite is
// heavy), reset to the shipped fixtures by every test's fresh().
import { afterAll, beforeAll, describe } from 'vitest';
import { describeAudit } from './audit.suite.js';
import { describeInjection } from './injection.suite.js';
import { describeIsolation } from './isolation.suite.js';
import type { SecurityBackend } from './kit.js';
import { describeOtp } from './otp.suite.js';
import { describePrincipals } from './principals.suite.js';
import { describeRateLimits } from './rate-limits.suite.js';
import { describeReplay } from './replay.suite.js';

export function describeSecurity(name: string, make: () => Promise<SecurityBackend>): void {
  describe(`security [${name}]`, () => {
    let backend: SecurityBackend | undefined;
    beforeAll(async () => {
      backend = await make();
    });
    afterAll(async () => {
      await backend?.teardown();
    });
    const ref = (): SecurityBackend => {
      if (!backend) throw new Error('backend not ready');
      return backend;
    };
    describeReplay(ref);
    describeOtp(ref);
    describeIsolation(ref);
    describeInjection(ref);
    describeAudit(ref);
    describeRateLimits(ref);
    describePrincipals(ref);
  });
}
