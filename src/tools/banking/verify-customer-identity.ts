import { z } from 'zod';
import { VerificationMethod, type VerificationStatus } from '../../domain/index.js';
import { defineTool } from '../define.js';
import { AuthSessionData, customerIdArg, requiredText } from './schemas.js';

// The contract's session statuses: an expired check is a failed one for the caller.
const STATUS: Record<VerificationStatus, z.infer<typeof AuthSessionData>['status']> = {
  pending: 'pending', verified: 'verified', failed: 'failed', expired: 'failed',
};

export default defineTool({
  name: 'verify_customer_identity',
  title: 'Verify customer identity',
  description: [
    'Verify customer identity using OTP or KBA.',
    'Starts an identity check of the customer in this conversation and returns an authSessionId with status pending (open for 10 minutes),',
    'or the existing session with status verified when the customer is already verified here.',
    'Account data (check_account_balance) stays locked until the status is verified. biometric is not supported.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    method: VerificationMethod.describe('otp (one-time code) or kba (knowledge-based questions); biometric is not supported by this server.'),
    conversationId: z.string().describe('ID of this conversation. The check is always bound to the conversation the server is serving (this MCP session), whatever value is given.'),
  }),
  output: AuthSessionData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  nextSteps: {
    NOT_FOUND: 'Call lookup_customer to get a valid customerId.',
    VALIDATION_FAILED: 'Use method otp or kba.',
    INVALID_STATE: 'Do not share account details; explain that the account is restricted and offer to open an account_issue case with create_support_ticket.',
  },
  async handler(args, ctx) {
    // The contract's conversationId argument is client-supplied and cannot be checked; the
    // verification belongs to ctx.conversationId, the conversation check_account_balance reads.
    const v = await ctx.verification.start({
      customerId: requiredText(args.customerId, 'customerId'),
      conversationId: ctx.conversationId,
      method: args.method,
    });
    return { authSessionId: v.id, status: STATUS[v.status], expiresAt: v.expires_at, method: v.method };
  },
});
