// Argument checks of SupportRepository.hitCounters, shared by both backends so they accept and
// refuse exactly the same input (the contract suite holds them to it).
import { ValidationError } from './errors.js';
import type { CounterHit, HitCountersOptions } from './types.js';

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
