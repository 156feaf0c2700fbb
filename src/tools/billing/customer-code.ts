// Customer codes. The workshop's `customerCode` is our customer id (fixtures/README.md): the
// telecom customers are TEL-1001…TEL-1004, but any customer id with a billing account works.
//
// Accepted format: after trimming, 1-64 characters of letters, digits, '-' and '_', starting
// with a letter or digit (TEL-1001, CUST-12345, 1213210). Because the workshop is a voice app,
// the telecom codes are also accepted as transcribed speech: 'tel 1001', 'TEL1001', 'tel-1001'
// all mean TEL-1001, and so does the code read out digit by digit as a voice model transcribes
// it: 'tel one zero zero one', 'Tel 1 0 0 1', 'TEL dash one oh oh one' (four single digits, as
// words or figures, after 'tel'). Anything else (missing, empty, spaces, punctuation, too long) is refused
// before any lookup.
import type { Customer } from '../../domain/index.js';
import type { ServiceError } from '../../services/errors.js';
import { argumentError } from '../arguments.js';
import type { ToolContext } from '../define.js';

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const SPOKEN_TEL_RE = /^tel[\s_-]?(\d{4})$/i;
const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

/** 'tel one zero zero one' → '1001': 'tel', an optional 'dash', then exactly four single digits (words or figures). */
const spokenDigits = (code: string): string | null => {
  const [first, ...rest] = code.toLowerCase().split(/\s+/);
  if (first !== 'tel') return null;
  const tokens = rest[0] === 'dash' || rest[0] === 'hyphen' ? rest.slice(1) : rest;
  if (tokens.length !== 4) return null;
  const digits = tokens.map((t) => (/^\d$/.test(t) ? t : DIGIT_WORDS[t]));
  return digits.every((d) => d !== undefined) ? digits.join('') : null;
};

export const CODE_EXAMPLE = 'TEL-1001';

const invalid = (message: string): ServiceError => argumentError('customerCode', message);

/** The canonical customer id for a code as given, or VALIDATION_FAILED. */
export const parseCustomerCode = (raw: string | undefined): string => {
  const code = (raw ?? '').trim();
  if (code.length === 0) throw invalid('A customerCode is required.');
  const spoken = SPOKEN_TEL_RE.exec(code);
  if (spoken) return `TEL-${spoken[1]}`;
  const readOut = spokenDigits(code);
  if (readOut !== null) return `TEL-${readOut}`;
  if (!CODE_RE.test(code)) {
    const shown = code.length > 40 ? `${code.slice(0, 40)}…` : code;
    throw invalid(`"${shown}" is not a valid customer code: codes are letters, digits and hyphens, e.g. ${CODE_EXAMPLE}.`);
  }
  return code;
};

/** The customer behind a code; an unknown code is NOT_FOUND (worded for this contract by the presenter). */
export const customerByCode = (ctx: ToolContext, raw: string | undefined): Promise<Customer> =>
  ctx.services.customers.getCustomer(parseCustomerCode(raw));

/** Next steps shared by the three tools. */
export const CODE_NEXT_STEPS = {
  VALIDATION_FAILED: `Ask the customer for their customer code (for example ${CODE_EXAMPLE}) and call the tool again.`,
  NOT_FOUND: `Ask the customer to confirm their customer code (for example ${CODE_EXAMPLE}); do not guess another one.`,
} as const;
