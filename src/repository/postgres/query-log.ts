// A hook on every Kysely query of the Postgres repository (observability/tracing.ts turns each
// into a span). Unset — the default — Kysely gets no log option and pays nothing.
import type { Logger as KyselyLogger } from 'kysely';

let current: KyselyLogger | undefined;

/** Called with every query built after this (set before the repository is created). */
export const setQueryLogger = (logger: KyselyLogger | undefined): void => {
  current = logger;
};

/** Kysely's `log` option: forwards to the hook set now (so a later unset stops it). */
export const kyselyLogOption = (): { log?: KyselyLogger } => (current ? { log: (event) => current?.(event) } : {});
