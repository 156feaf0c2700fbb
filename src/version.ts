import { createRequire } from 'node:module';

// package.json is one level above both src/ and dist/.
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
export const NAME = pkg.name;
export const VERSION = pkg.version;
