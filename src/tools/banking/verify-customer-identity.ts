import { z } from 'zod';
import { VerificationMethod } from '../../domain/index.js';
import { outcomeError, type KbaQuestion } from '../../services/verification-service.js';
import { defineTool } from '../define.js';
import { AuthSessionData, customerIdArg, requiredText } from './schemas.js';

// Our KBA questions in the contract's camelCase.
const QUESTION: Record<KbaQuestion, 'dateOfBirth' | 'postcode' | 'phoneLast4'> = {
  date_of_birth: 'dateOfBirth', postcode: 'postcode', phone_last4: 'phoneLast4',
};

// The contract's request type has customerId, method and conversationId; the other properties
// are optional extensions that complete the check (the contract has no second step).
export default defineTool({
  name: 'verify_customer_identity',
  title: 'Verify customer identity',
  description: [
    'Verify customer identity using OTP or KBA.',
    'otp: the first call sends a one-time code to the customer (channel email by default, or sms) and returns an authSessionId with status pending (open for 10 minutes);',
    'ask the customer for the code and call again with authSessionId and code.',
    'kba: call with the customer\'s dateOfBirth, postcode and phoneLast4 as the customer states them.',
    'Returns status verified when the check succeeds or the customer is already verified in this conversation; a wrong answer is AUTH_FAILED, an expired check AUTH_EXPIRED.',
    'Account data (check_account_balance) stays locked until the status is verified. Never fill in codes or answers yourself. biometric is not supported.',
  ].join(' '),
  input: z.object({
    customerId: customerIdArg,
    method: VerificationMethod.describe('otp (one-time code) or kba (knowledge-based questions); biometric is not supported by this server.'),
    conversationId: z.string().describe('ID of this conversation. The check is always bound to the conversation the server is serving (this MCP session), whatever value is given.'),
    authSessionId: z.string().optional().describe('Extension: the authSessionId of the check being answered.'),
    code: z.string().optional().describe('Extension, otp: the 6-digit code the customer received.'),
    channel: z.enum(['email', 'sms']).optional().describe('Extension, otp: where to send the code (default email).'),
    dateOfBirth: z.string().optional().describe('Extension, kba: the date of birth the customer states, as YYYY-MM-DD.'),
    postcode: z.string().optional().describe('Extension, kba: the postcode the customer states.'),
    phoneLast4: z.string().optional().describe('Extension, kba: the last four digits of the phone number the customer states.'),
  }),
  output: AuthSessionData,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  writesOnlyServerRecords: 'verification',
  nextSteps: {
    NOT_FOUND: 'Call lookup_customer to get a valid customerId, or start a new check without authSessionId.',
    VALIDATION_FAILED: 'Use method otp or kba, with the values named in the message.',
    INVALID_STATE: 'If the code or answers did not match, ask the customer to try again (the message says how many attempts are left); '
      + 'if the check expired or is locked, start a new one (later). If the customer is blocked, do not share account details; '
      + 'offer to open an account_issue case with create_support_ticket.',
  },
  async handler(args, ctx) {
    // The contract's conversationId argument is client-supplied and cannot be checked; the
    // verification belongs to ctx.conversationId, the conversation the other tools read.
    const o = await ctx.services.verification.verify({
      customerId: requiredText(args.customerId, 'customerId'),
      conversationId: ctx.conversationId,
      method: args.method,
      ...(args.channel !== undefined ? { channel: args.channel } : {}),
      ...(args.authSessionId !== undefined ? { verificationId: args.authSessionId } : {}),
      ...(args.code !== undefined ? { code: args.code } : {}),
      answers: { date_of_birth: args.dateOfBirth, postcode: args.postcode, phone_last4: args.phoneLast4 },
    });
    // Wrong, locked and expired checks are the contract's AUTH_FAILED / AUTH_EXPIRED errors.
    const error = outcomeError(o);
    if (error) throw error;
    const v = o.verification;
    const pending = o.status === 'pending';
    return {
      authSessionId: v.id,
      status: pending ? ('pending' as const) : ('verified' as const),
      expiresAt: v.expires_at,
      method: v.method,
      ...(pending && o.deliveredTo !== null ? { deliveredTo: o.deliveredTo } : {}),
      ...(pending && o.questions !== null ? { questions: o.questions.map((q) => QUESTION[q]) } : {}),
      ...(pending ? { attemptsLeft: o.attemptsLeft } : {}),
      ...(ctx.services.verification.conversationArgument ? { conversation_id: ctx.conversationId } : {}),
    };
  },
});
