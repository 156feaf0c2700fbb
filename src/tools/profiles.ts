// Every profile by name. Profiles may be combined when their tool names do not collide.
import { arenaProfile } from './arena/index.js';
import { bankingProfile } from './banking/index.js';
import { billingProfile } from './billing/index.js';
import { blackbirdProfile } from './blackbird/index.js';
import type { Profile } from './profile.js';
import { supportProfile } from './support/index.js';

export const PROFILES: Record<string, Profile> = {
  support: supportProfile,
  blackbird: blackbirdProfile,
  banking: bankingProfile,
  arena: arenaProfile,
  billing: billingProfile,
};
export const DEFAULT_PROFILE = 'support';
