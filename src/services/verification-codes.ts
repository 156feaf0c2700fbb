// The pure parts of identity verification: code and answer digests, compared in constant
// time, time-ordered ids, and normalisation of what a caller types. No I/O; tested on its own.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Customer } from '../domain/index.js';
import { ServiceError } from './errors.js';

/** The knowledge-based questions, in the order they are asked. */
export const KBA_QUESTIONS = ['date_of_birth', 'postcode', 'phone_last4'] as const;
export type KbaQuestion = (typeof KBA_QUESTIONS)[number];
export type KbaAnswers = Partial<Record<KbaQuestion, string>>;

/** HMAC-SHA256(secret, verificationId + ':' + value) as hex: how codes and answers are stored/compared. */
export const keyedDigest = (secret: string, verificationId: string, value: string): string =>
  createHmac('sha256', secret).update(`${verificationId}:${value}`).digest('hex');

/** Constant-time equality of two hex digests (false for different lengths or non-hex input). */
export const digestsEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  // Buffer.from(hex) stops at the first non-hex pair: require a full, equal-length decode.
  if (x.length === 0 || x.length * 2 !== a.length || y.length * 2 !== b.length || x.length !== y.length) return false;
  return timingSafeEqual(x, y);
};

let lastIdMs = 0;
let idSeq = 0;
/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit sequence that increases within
 * one millisecond in this process, then random bits. Ids of one process sort in creation
 * order, so "the newest challenge" (created_at desc, id desc) is right even for two challenges
 * created in the same millisecond.
 */
export const newTimeOrderedId = (nowMs: number = Date.now()): string => {
  let ms = Math.trunc(nowMs);
  if (ms <= lastIdMs) {
    ms = lastIdMs;
    idSeq += 1;
    if (idSeq > 0xfff) {
      ms += 1;
      idSeq = 0;
    }
  } else {
    idSeq = randomInt(0, 0x800); // random start, half the space left for the same millisecond
  }
  lastIdMs = ms;
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (idSeq >> 8);
  b[7] = idSeq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A uniformly random 6-digit code (leading zeros kept). */
export const newOtpCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export const invalid = (field: string, message: string, text: string): ServiceError =>
  new ServiceError('VALIDATION_FAILED', text, { issues: [{ field, message }] });

/** '123 456' / '123-456' → '123456'; anything but 6 digits is refused (not counted as an attempt). */
export const normalizeOtpCode = (code: string): string => {
  const c = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(c)) throw invalid('code', 'must be the 6-digit code', 'The code is the 6 digits the customer received, e.g. 042917.');
  return c;
};

/** The KBA answers normalised; throws VALIDATION_FAILED for a malformed answer (not counted). */
export const normalizeKbaAnswers = (answers: KbaAnswers): KbaAnswers => {
  const out: KbaAnswers = {};
  if (answers.date_of_birth !== undefined) {
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(answers.date_of_birth.trim());
    const month = m ? Number(m[2]) : 0;
    const day = m ? Number(m[3]) : 0;
    if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
      throw invalid('date_of_birth', 'must be a date as YYYY-MM-DD', 'Give the date of birth as YYYY-MM-DD, e.g. 1985-03-15.');
    }
    out.date_of_birth = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }
  if (answers.postcode !== undefined) {
    const p = answers.postcode.replace(/\s+/g, '').toUpperCase();
    if (p === '' || p.length > 16) throw invalid('postcode', 'must be a postcode', 'Give the postcode as the customer says it, e.g. 10001 or 1012 AB.');
    out.postcode = p;
  }
  if (answers.phone_last4 !== undefined) {
    const d = answers.phone_last4.replace(/\D/g, '');
    if (d.length !== 4) throw invalid('phone_last4', 'must be 4 digits', 'Give only the last four digits of the phone number on file, e.g. 1234.');
    out.phone_last4 = d;
  }
  return out;
};

/** What the record says, normalised like the answers; only the questions the record can answer. */
export const kbaFacts = (c: Customer): KbaAnswers => {
  const facts: KbaAnswers = {};
  if (c.date_of_birth) facts.date_of_birth = c.date_of_birth.slice(0, 10);
  if (c.postcode && c.postcode.trim() !== '') facts.postcode = c.postcode.replace(/\s+/g, '').toUpperCase();
  const digits = (c.phone ?? '').replace(/\D/g, '');
  if (digits.length >= 4) facts.phone_last4 = digits.slice(-4);
  return facts;
};

export const canonicalKba = (values: KbaAnswers, questions: readonly KbaQuestion[]): string =>
  JSON.stringify(questions.map((q) => [q, values[q] ?? '']));
