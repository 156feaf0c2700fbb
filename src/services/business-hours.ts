// Business hours for callbacks: days of the week and a daily opening window, applied in the
// customer's own time zone. Parsed from the --callback-hours setting ("Mon-Fri 09:00-17:00").
// Time-zone arithmetic uses Intl only (no dependency): a local wall-clock time becomes an
// instant by finding the zone's offset at that time (twice, so DST changes land right).

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];

export interface BusinessHours {
  /** Open days (0 = Sunday … 6 = Saturday). */
  days: ReadonlySet<number>;
  /** Minutes after local midnight: opening and closing time. */
  open: number;
  close: number;
  /** As configured, for messages: "Mon-Fri 09:00-17:00". */
  label: string;
}

export const DEFAULT_BUSINESS_HOURS_TEXT = 'Mon-Fri 09:00-17:00';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutes = (hhmm: string): number | null => {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** Parses "Mon-Fri 09:00-17:00" or "Mon,Wed,Sat 08:30-12:00"; throws Error with a reason. */
export function parseBusinessHours(text: string): BusinessHours {
  const m = /^\s*([A-Za-z,-]+)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s*$/.exec(text);
  if (!m) throw new Error(`business hours '${text}' must look like 'Mon-Fri 09:00-17:00'`);
  const days = new Set<number>();
  for (const part of m[1]!.toLowerCase().split(',')) {
    const [from, to] = part.split('-');
    const a = DAYS.indexOf(from as Day);
    const b = to === undefined ? a : DAYS.indexOf(to as Day);
    if (a < 0 || b < 0) throw new Error(`unknown day in '${part}' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  const open = minutes(m[2]!);
  const close = minutes(m[3]!);
  if (open === null || close === null || close <= open) throw new Error(`business hours '${text}': the closing time must be a valid time after the opening time`);
  return { days, open, close, label: text.trim() };
}

export const DEFAULT_BUSINESS_HOURS = parseBusinessHours(DEFAULT_BUSINESS_HOURS_TEXT);

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  minutes: number;
  /** YYYY-MM-DD */
  date: string;
}

/** The wall-clock time in `timeZone` at an instant. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    year, month, day,
    weekday: DAYS.indexOf(String(parts.weekday).toLowerCase() as Day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
const offsetAt = (ms: number, timeZone: string): number => {
  const t = localTime(ms, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, Math.floor(t.minutes / 60), t.minutes % 60);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
};

/** The instant a local date (YYYY-MM-DD) and time (minutes after midnight) in `timeZone` is. */
export function instantOf(date: string, minutesOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, Math.floor(minutesOfDay / 60), minutesOfDay % 60);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

export const formatMinutes = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
