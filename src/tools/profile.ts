import type { AnyToolDefinition } from './define.js';
import type { Presenter } from './presenter.js';

/** A named set of tool definitions plus how their results and errors are presented. */
export interface Profile {
  name: string;
  description: string;
  /**
   * Access policy when --access is not given. `verified` where the contract has a verification
   * step (support, banking); `open` where it has none, since a client written against it could
   * never unlock anything (arena, blackbird, billing).
   */
  defaultAccess: 'open' | 'verified';
  /** Whether tool-call rate limits apply when --limits is not given (same reasoning). */
  defaultRateLimits: boolean;
  presenter: Presenter;
  tools: AnyToolDefinition[];
  /**
   * The server's `instructions` for a client serving this profile: how its tools fit together,
   * naming only this profile's own tools and arguments (test/tools/instructions.test.ts).
   */
  instructions: string;
}

/** The instructions of a server that combines profiles: each profile's own, in the order given. */
export const combinedInstructions = (profiles: readonly Profile[]): string =>
  profiles.map((p) => p.instructions).join('\n\n');
