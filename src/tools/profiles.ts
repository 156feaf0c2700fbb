// Every profile by name. Profiles may be combined when their tool names do not collide.
import type { Profile } from './profile.js';
import { supportProfile } from './support/index.js';

export const PROFILES: Record<string, Profile> = {
  support: supportProfile,
};
export const DEFAULT_PROFILE = 'support';
