// Money, exactly, in any currency. An amount travels as a JS number in major units (what every
// profile has always shown: 45.75, 1500, 12.345), but it is only ever a number whose decimal
// text is an exact count of the currency's minor units (ISO 4217: JPY 0 decimals, USD/EUR/GBP 2,
// KWD 3). Such a number survives the trip database → double → JSON unchanged: any decimal of at
// most 15 significant digits is recovered exactly from the nearest double (IEEE 754, DBL_DIG), and
// money columns are numeric(13,3), at most 13 digits. Arithmetic never happens on the doubles:
// sums and differences go through integer minor units (safe integers), and formatting is done
// from the integer, so 0.1 + 0.2 is never 0.30000000000000004 here.
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  // zero-decimal currencies
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // three-decimal currencies
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** The most decimals any supported currency has (the scale of the money columns). */
export const MAX_MINOR_DIGITS = 3;

/** Decimals of the currency's minor unit (ISO 4217); 2 for every currency not listed. */
export const minorDigits = (currency: string): number => MINOR_DIGITS[currency.toUpperCase()] ?? 2;

/** Largest amount stored: numeric(13,3) keeps 10 digits before the point. */
export const MAX_MAJOR = 1e10;


/**
 * The exact count of minor units of `amount` (e.g. 12.345 KWD → 12345), or null when the
 * amount is not a whole number of the currency's minor units (12.3456 KWD, 1.5 JPY) or too large.
 */
export const tryToMinor = (amount: number, currency: string): number | null => {
  if (!Number.isFinite(amount) || Math.abs(amount) >= MAX_MAJOR) return null;
  const digits = minorDigits(currency);
  // toFixed gives the correctly rounded decimal of the double; it names the same double only
  // when the amount really has at most `digits` decimals.
  const fixed = amount.toFixed(digits);
  if (Number(fixed) !== amount) return null;
  const minor = Number(fixed.replace('.', ''));
  return Number.isSafeInteger(minor) ? (Object.is(minor, -0) ? 0 : minor) : null;
};

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** tryToMinor, or a MoneyError naming the amount and currency. */
export const toMinor = (amount: number, currency: string): number => {
  const minor = tryToMinor(amount, currency);
  if (minor === null) throw new MoneyError(`${amount} is not an exact ${currency} amount (${minorDigits(currency)} decimals)`);
  return minor;
};

/** The decimal text of a minor-unit count: 12345 KWD → '12.345', 150000 JPY → '150000', -5 USD → '-0.05'. */
export const minorToDecimal = (minor: number, currency: string): string => {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`${minor} is not a whole number of minor units`);
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
};

/** The amount in major units as a number (exact: its shortest decimal text is minorToDecimal's). */
export const fromMinor = (minor: number, currency: string): number => Number(minorToDecimal(minor, currency));

/** Whether `amount` is an exact amount of `currency`. */
export const isExactAmount = (amount: number, currency: string): boolean => tryToMinor(amount, currency) !== null;

/** Exact sum of amounts in one currency. */
export const sumMoney = (amounts: readonly number[], currency: string): number =>
  fromMinor(amounts.reduce((acc, a) => acc + toMinor(a, currency), 0), currency);

/**
 * The one human-readable form, used everywhere a profile shows an amount as text: digits
 * grouped by commas, the currency's own decimals, the code after: '1,234.50 EUR', '150,000 JPY',
 * '12.345 KWD', '-30.00 USD'.
 */
export const formatMinor = (minor: number, currency: string): string => {
  const text = minorToDecimal(minor, currency);
  const negative = text.startsWith('-');
  const [whole = '0', frac] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`} ${currency.toUpperCase()}`;
};

/** formatMinor of an amount in major units. */
export const formatMoney = (amount: number, currency: string): string => formatMinor(toMinor(amount, currency), currency);


/**
 * The exact minor units of a decimal text as Postgres prints numeric ('12.340', '-5', '1500.000'),
 * without passing through a double; MoneyError when it has more decimals than the currency.
 */
export const decimalToMinor = (text: string, currency: string): number => {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new MoneyError(`'${text}' is not a decimal amount`);
  const digits = minorDigits(currency);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > digits) throw new MoneyError(`${text} is not an exact ${currency} amount (${digits} decimals)`);
  const minor = Number(`${m[2]}${frac.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`${text} is too large`);
  return m[1] === '-' && minor !== 0 ? -minor : minor;
};
