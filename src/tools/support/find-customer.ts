import { z } from 'zod';
import type { CustomerLookup } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { FindCustomerResult } from './schemas.js';

// Argument name → repository lookup key.
const KEYS = { email: 'email', phone: 'phone', customer_id: 'id', username: 'username', account_number: 'account_number' } as const;
const ARGS = Object.keys(KEYS) as (keyof typeof KEYS)[];

const input = z
  .object({
    email: z.string().max(254).optional().describe('E-mail address (case-insensitive).'),
    phone: z.string().max(32).optional().describe('Phone number in any common format, e.g. 415-555-1234 or +14155551234.'),
    customer_id: z.string().max(64).optional().describe('Customer id, e.g. CUST-12345.'),
    username: z.string().max(64).optional().describe('Username.'),
    account_number: z.string().max(64).optional().describe('Bank account number, e.g. ACC-001-2024.'),
  })
  .refine((a) => ARGS.filter((k) => a[k] !== undefined).length === 1, {
    message: 'give exactly one of email, phone, customer_id, username, account_number',
  });

export default defineTool({
  name: 'find_customer',
  title: 'Find customer',
  description: [
    'Look up one customer by exactly one identifier: email, phone, customer_id, username or account_number.',
    'Use it first, to get the customer_id that the other tools need.',
    'Do not use it to search by name: names are not unique and are not accepted.',
    'When the customer has not verified their identity in this conversation yet, only the customer id and masked contacts come back',
    '(verification_required: true): verify them with verify_identity first.',
  ].join(' '),
  input,
  output: FindCustomerResult,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Check the identifier with the customer (typos are common), or try another identifier such as phone or email.',
  },
  async handler(args, ctx) {
    const arg = ARGS.find((k) => args[k] !== undefined)!;
    const found = await ctx.services.customers.lookupCustomer({ by: KEYS[arg], value: args[arg]! } as CustomerLookup);
    return found.verified
      ? { customer: found.customer, verification_required: false }
      : { customer: found.preview, verification_required: true };
  },
});
