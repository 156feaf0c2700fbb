// Fingerprint of a ticket request, stored with idempotent tickets so a reused key with a
// different request is told apart from a genuine retry. Both backends use this one function.
import { createHash } from 'node:crypto';
import { NewTicket } from '../domain/index.js';

export const ticketRequestHash = (input: NewTicket): string => {
  const t = NewTicket.parse(input);
  return createHash('sha256')
    .update(JSON.stringify([t.customer_id, t.category, t.priority, t.description, t.amount, t.currency]))
    .digest('hex');
};
