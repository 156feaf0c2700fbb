// Each profile loaded on demand: the server imports only the profiles it serves, so stdio
// start-up does not pay for building every contract's zod schemas. PROFILES (profiles.ts)
// stays the eager map for tools that need them all (schema export, tests).
import type { Profile } from './profile.js';

export const PROFILE_LOADERS: Record<string, () => Promise<Profile>> = {
  support: async () => (await import('./support/index.js')).supportProfile,
  blackbird: async () => (await import('./blackbird/index.js')).blackbirdProfile,
  banking: async () => (await import('./banking/index.js')).bankingProfile,
  arena: async () => (await import('./arena/index.js')).arenaProfile,
  billing: async () => (await import('./billing/index.js')).billingProfile,
};
