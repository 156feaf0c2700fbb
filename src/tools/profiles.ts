// Every profile by name, each loaded on demand: the server imports only the profiles it
// serves, so stdio start-up does not pay for building every contract's zod schemas.
// Profiles may be combined when their tool names do not collide.
import type { Profile } from './profile.js';

export const PROFILE_LOADERS: Readonly<Record<string, () => Promise<Profile>>> = {
  support: async () => (await import('./support/index.js')).supportProfile,
  blackbird: async () => (await import('./blackbird/index.js')).blackbirdProfile,
  banking: async () => (await import('./banking/index.js')).bankingProfile,
  arena: async () => (await import('./arena/index.js')).arenaProfile,
  billing: async () => (await import('./billing/index.js')).billingProfile,
};

export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILE_LOADERS);
export const DEFAULT_PROFILE = 'support';

export const isProfileName = (name: string): boolean => Object.hasOwn(PROFILE_LOADERS, name);

/** The named profiles, in the order given; every name must be a known one. */
export const loadProfiles = (names: readonly string[]): Promise<Profile[]> =>
  Promise.all(names.map((name) => {
    if (!isProfileName(name)) throw new Error(`unknown profile '${name}'`);
    return PROFILE_LOADERS[name]!();
  }));

/** Every profile by name (schema export, tests): loads them all. */
export async function loadAllProfiles(): Promise<Record<string, Profile>> {
  const profiles = await loadProfiles(PROFILE_NAMES);
  return Object.fromEntries(profiles.map((p) => [p.name, p]));
}
