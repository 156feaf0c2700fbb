// Input rules shared by every profile (a contact is validated the same way whatever the
// tool contract): kept small and dependency-free on purpose.
import { phoneKey } from '../domain/index.js';
import { ServiceError } from './errors.js';

// Pragmatic address check (RFC 5322 is not the goal): one @, a dot in the domain, no spaces.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export const validateEmail = (raw: string): string => {
  const email = raw.trim();
  if (email.length > 254 || !EMAIL_RE.test(email)) {
    throw new ServiceError('VALIDATION_FAILED', `'${raw.slice(0, 80)}' is not a valid e-mail address.`, {
      issues: [{ field: 'email', message: 'must be a valid e-mail address' }],
    });
  }
  return email;
};

export const validatePhone = (raw: string): string => {
  const phone = raw.trim();
  if (phone.length > 32 || !/^[+\d][\d\s().-]*$/.test(phone) || phoneKey(phone) === null) {
    throw new ServiceError('VALIDATION_FAILED', 'That is not a valid phone number.', {
      issues: [{ field: 'phone', message: 'must be a phone number of 7 to 15 digits, e.g. 555-123-4567' }],
    });
  }
  return phone;
};
