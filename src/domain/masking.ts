// Masking of personal data for anything a model, a log or the audit trail may see.
// Pure functions, shared by services (masked contacts), logs and audit redaction.

/** 'john.doe@example.com' → 'j***@example.com' */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
};

/** '123-456-7890' / '+14155551234' → '***-***-7890' (last four digits only). */
export const maskPhone = (phone: string): string => {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 4 ? `***-***-${digits.slice(-4)}` : '***';
};

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Runs of 7+ digits with optional separators: phones, card and account numbers.
const LONG_NUMBER_RE = /\+?\d[\d\s().-]{5,}\d/g;
// Short standalone digit groups such as one-time codes.
const CODE_RE = /\b\d{4,8}\b/g;

/** Redacts e-mails, phone/card numbers and codes inside free text. */
export const redactText = (text: string): string =>
  text
    .replace(EMAIL_RE, (m) => maskEmail(m))
    .replace(LONG_NUMBER_RE, (m) => (m.replace(/\D/g, '').length >= 7 ? maskPhone(m) : m))
    .replace(CODE_RE, '[redacted]');

const MAX_REDACTED_INPUT = 1_000;

// NUL and unpaired UTF-16 surrogates: valid in a JS string, refused by Postgres (text cannot
// hold NUL; jsonb refuses \u0000 and lone surrogate escapes). An audit entry carrying one was
// refused by the store and dropped, so such an argument kept a call out of the audit trail.
const UNSTORABLE_RE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with NUL and lone surrogates replaced by U+FFFD, so any store (and log) accepts it. */
export const storableText = (text: string): string => text.replace(UNSTORABLE_RE, '\uFFFD');

const SECRET_KEYS = /(^|_)(code|otp|password|pin|token|secret|answer|answers|date_of_birth|dob|postcode|phone_last4|ssn|card)(_|$)/i;
/** 'dateOfBirth' → 'date_of_birth', so camelCase contracts (banking) are matched too. */
const snake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// Identifier arguments (order_id, customerId, customerCode…) are kept as given when they look
// like an identifier: the text rules above would otherwise turn order 13579 or customer
// 1213210 into "[redacted]" / a masked phone, and the audit trail could not say which record
// a call touched. Anything else in such a field (an e-mail, a +phone, free text) is redacted.
const ID_KEYS = /(^|_)id$|^customer_code$/;
const ID_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Deep copy of tool arguments safe for logs and the audit trail: secrets dropped,
 * e-mails/phones masked, long strings truncated. Ids and enums are kept so entries stay useful.
 */
export const redactArgs = (value: unknown, depth = 0): unknown => {
  if (depth > 4) return '[truncated]';
  if (typeof value === 'string') {
    // Only 200 characters are kept, so only the first MAX_REDACTED_INPUT are examined: the
    // patterns backtrack, quadratic in the length (a ~1 MB argument would block the process
    // for many minutes). The token cut at that boundary is dropped, never half-redacted.
    const input = value.length > MAX_REDACTED_INPUT ? value.slice(0, MAX_REDACTED_INPUT).replace(/\S*$/, '') : value;
    const r = storableText(redactText(input));
    // a cut through a surrogate pair leaves half of one: replaced like any lone surrogate
    return r.length > 200 || input !== value ? `${storableText(r.slice(0, 200))}…` : r;
  }
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactArgs(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 50)) {
      const key = snake(k);
      out[storableText(k)] = ID_KEYS.test(key) && typeof v === 'string' && ID_VALUE.test(v) ? v
        : SECRET_KEYS.test(key) ? '[redacted]' : redactArgs(v, depth + 1);
    }
    return out;
  }
  return value;
};
