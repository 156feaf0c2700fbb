import { z } from 'zod';
import type { Customer, CustomerTier } from '../../domain/index.js';
import type { NamedLookup } from '../../services/customers.js';
import { argumentError } from '../arguments.js';
import { defineTool } from '../define.js';
import { LookupCustomerData } from './schemas.js';

// Argument → repository lookup key, in the order they are tried.
const KEYS = { customerId: 'id', email: 'email', phone: 'phone' } as const;
const ARGS = Object.keys(KEYS) as (keyof typeof KEYS)[];

// The contract has three tiers; our `basic` (other contracts' lowest tier) is its `standard`.
const TIER: Record<CustomerTier, z.infer<typeof LookupCustomerData>['tier']> = {
  basic: 'standard', standard: 'standard', premium: 'premium', enterprise: 'enterprise',
};

export const toLookupData = (c: Customer): z.input<typeof LookupCustomerData> => ({
  id: c.id,
  name: c.name,
  email: c.email,
  ...(c.phone !== null ? { phone: c.phone } : {}),
  ...(c.account_number !== null ? { accountNumber: c.account_number } : {}),
  tier: TIER[c.tier],
  riskLevel: c.risk_level,
  kycStatus: c.kyc_status,
});

export default defineTool({
  name: 'lookup_customer',
  title: 'Look up customer',
  description: [
    'Look up customer information by phone, email, or customer ID.',
    'Give at least one of them; when you give several they must all belong to the same customer.',
    'The result\'s id is the customerId the other tools need. Do not search by name.',
    'Before the customer has verified their identity in this conversation the result may hold only id, emailMasked, phoneMasked and verificationRequired: true; then call verify_customer_identity.',
  ].join(' '),
  input: z.object({
    phone: z.string().optional().describe('Phone number in any common format, e.g. +14155551234 or (415) 555-1234.'),
    email: z.string().optional().describe('E-mail address (case-insensitive).'),
    customerId: z.string().optional().describe('Customer ID, e.g. CUST-001.'),
  }),
  output: LookupCustomerData,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Check the identifier with the customer (typos are common), or try another one such as phone or email.',
    VALIDATION_FAILED: 'Call lookup_customer again with phone, email or customerId.',
  },
  async handler(args, ctx) {
    const given = ARGS.filter((k) => (args[k] ?? '').trim() !== '');
    if (given.length === 0) {
      throw argumentError('(arguments)', 'Give at least one of phone, email or customerId.', 'phone, email or customerId is required');
    }
    // All given identifiers must name the same customer (the customer service's rule).
    const found = await ctx.services.customers.lookupCustomerByAll(
      given.map((k) => ({ by: KEYS[k], value: args[k]!, argument: k }) as NamedLookup),
    );
    if (found.verified) return toLookupData(found.customer);
    // Verified access, not verified here: only what starting a verification needs.
    const { id, email_masked, phone_masked } = found.preview;
    return { id, emailMasked: email_masked, ...(phone_masked !== null ? { phoneMasked: phone_masked } : {}), verificationRequired: true as const };
  },
});
