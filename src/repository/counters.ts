// Argument checks of SupportRepository.hitCounters, shared by both backends so they accept and
// refuse exactly the same input (the contract suite holds them to it).
import { ValidationError } from './errors.js';
import type { CounterGroup, CounterHit, HitCountersOptions } from './types.js';

export const MAX_COUNTER_KEY_LENGTH = 512;
/** Counters deleted at most per call when pruning (bounded work on the hot path). */
export const PRUNE_BATCH = 1000;
/** Largest `by` of one counter hit. */
export const MAX_COUNTER_STEP = 1_000_000;

export interface CheckedHits {
  hits: { key: string; windowStart: string; limit: number | undefined; by: number }[];
  pruneBefore: string | undefined;
}

const instant = (value: unknown, what: string): string => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new ValidationError(`invalid ${what}: expected an ISO-8601 timestamp`);
  return new Date(ms).toISOString();
};

/** Validates and normalises (window starts as Date#toISOString()); throws ValidationError. */
export function checkCounterHits(hits: readonly CounterHit[], opts: HitCountersOptions = {}): CheckedHits {
  if (!Array.isArray(hits)) throw new ValidationError('counter hits must be an array');
  const seen = new Set<string>();
  const out: CheckedHits['hits'] = [];
  for (const h of hits) {
    if (typeof h?.key !== 'string' || h.key === '' || h.key.length > MAX_COUNTER_KEY_LENGTH) {
      throw new ValidationError(`invalid counter key: 1 to ${MAX_COUNTER_KEY_LENGTH} characters`);
    }
    const windowStart = instant(h.windowStart, 'counter window start');
    if (h.limit !== undefined && (typeof h.limit !== 'number' || !Number.isFinite(h.limit))) {
      throw new ValidationError('invalid counter limit: expected a finite number');
    }
    const by = h.by ?? 1;
    if (!Number.isInteger(by) || by < 1 || by > MAX_COUNTER_STEP) {
      throw new ValidationError(`invalid counter step: a whole number from 1 to ${MAX_COUNTER_STEP}`);
    }
    // results are by key: one key (in any window) once per call
    if (seen.has(h.key)) throw new ValidationError('the same counter key appears twice in one hit');
    seen.add(h.key);
    out.push({ key: h.key, windowStart, limit: h.limit, by });
  }
  const pruneBefore = opts.pruneBefore === undefined ? undefined : instant(opts.pruneBefore, 'pruneBefore');
  if (pruneBefore !== undefined && out.some((h) => h.windowStart < pruneBefore)) {
    // one statement must not both delete and increment a counter
    throw new ValidationError('pruneBefore must not be after the window of a counter being hit');
  }
  return { hits: out, pruneBefore };
}

export interface CheckedGroups {
  groups: { key: string; windowStart: string; by: number; limit: number | undefined; then: boolean }[];
  then: { key: string; windowStart: string } | undefined;
  pruneBefore: string | undefined;
}

/** hitCounterGroups' arguments, checked like hitCounters' (the `then` counter is one more hit). */
export function checkCounterGroups(
  groups: readonly CounterGroup[], then: { key: string; windowStart: string } | undefined, opts: HitCountersOptions = {},
): CheckedGroups {
  if (!Array.isArray(groups)) throw new ValidationError('counter groups must be an array');
  const hits = checkCounterHits([...groups.map((g) => ({ key: g?.key, windowStart: g?.windowStart, by: g?.by, limit: g?.limit })), ...(then ? [then] : [])], opts);
  const checked = hits.hits.slice(0, groups.length).map((h, i) => ({ ...h, then: groups[i]!.then === true }));
  const last = then ? hits.hits[groups.length]! : undefined;
  return { groups: checked, then: last ? { key: last.key, windowStart: last.windowStart } : undefined, pruneBefore: hits.pruneBefore };
}

/** How many of a group's checks pass on: those whose count (old + 1 … new) is at most its limit. */
export const passingChecks = (newCount: number, by: number, limit: number | undefined): number =>
  limit === undefined ? by : Math.max(0, Math.min(by, Math.floor(limit) - (newCount - by)));
