import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** Random, unambiguous reference such as TKT-7F3K9Q2M4D (50 bits). */
export const newReference = (prefix: string, length = 10): string => {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 32];
  return `${prefix}-${out}`;
};
