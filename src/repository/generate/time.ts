// The generator's clock and value helpers: a fixed "now" so output never depends on the
// clock, whole-second instants, and money from integer cents.
import type { Rng } from './random.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const NOW = Date.UTC(2025, 6, 1); // 2025-07-01T00:00:00Z, the data set's "today"
export const CREATED_FROM = Date.UTC(2019, 0, 1);
export const CREATED_TO = Date.UTC(2024, 11, 31);

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** A whole-second instant in [from, to). */
export const between = (rng: Rng, from: number, to: number): number =>
  Math.floor((from + rng() * Math.max(0, to - from)) / 1000) * 1000;
export const money = (centsValue: number): number => centsValue / 100;
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
