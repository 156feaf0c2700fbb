import { z } from 'zod';
import { VerificationMethod } from '../../domain/index.js';
import { KBA_QUESTIONS, type VerifyOutcome } from '../../services/verification-service.js';
import { defineTool } from '../define.js';
import { customerIdArg } from './schemas.js';

export const VerifyIdentityResult = z.object({
  verification_id: z.string().describe('Pass it back with the code or answers.'),
  method: z.enum(['otp', 'kba']),
  status: z.enum(['pending', 'verified', 'failed', 'locked', 'expired']).describe(
    'pending: waiting for the code/answers; verified: the customer\'s data is unlocked in this conversation; failed: wrong answer, try again; locked: no attempts left; expired: start again.',
  ),
  expires_at: z.string().describe('pending: when the challenge lapses; verified: when the verification lapses; locked: when a new one may be started.'),
  delivered_to: z.string().optional().describe('otp: the masked address or number the code was sent to.'),
  attempts_left: z.number().int().nonnegative().optional(),
  questions: z.array(z.enum(KBA_QUESTIONS)).optional().describe('kba: what to ask the customer for.'),
  conversation_id: z.string().optional().describe('Pass this conversation_id on every later call of this conversation.'),
  message: z.string().describe('What to do next.'),
});

const QUESTION_TEXT: Record<(typeof KBA_QUESTIONS)[number], string> = {
  date_of_birth: 'date of birth', postcode: 'postcode', phone_last4: 'last four digits of the phone number on file',
};

const nextStep = (o: VerifyOutcome): string => {
  const v = o.verification;
  switch (o.status) {
    case 'verified':
      return `Customer ${v.customer_id} is verified in this conversation until ${v.expires_at}; their data can now be used.`;
    case 'pending':
      return v.method === 'otp'
        ? `A 6-digit code was sent to ${v.delivered_to ?? 'the customer'}. Ask the customer to read it to you, then call verify_identity again with verification_id and code. Never guess or make up a code.`
        : `Ask the customer for their ${(o.questions ?? []).map((q) => QUESTION_TEXT[q]).join(', ')}, then call verify_identity again with the answers. Do not give hints.`;
    case 'failed':
      return `That did not match; ${o.attemptsLeft} attempt${o.attemptsLeft === 1 ? '' : 's'} left. Ask the customer to check and try again; do not reveal which part was wrong.`;
    case 'locked':
      return `Too many wrong answers: verification is locked until ${v.expires_at}. Do not share any account data; offer to try again later or create a ticket.`;
    case 'expired':
      return 'The challenge expired. Start a new verification (call verify_identity without a code or answers).';
  }
};

export default defineTool({
  name: 'verify_identity',
  title: 'Verify customer identity',
  description: [
    'Prove that the person you are talking to is the customer, before any of their data is shown or changed.',
    'method otp: the first call (customer_id, method) sends a 6-digit code to the customer\'s e-mail (or channel sms);',
    'ask the customer for it and call again with verification_id and code.',
    'method kba: call with the customer\'s date_of_birth, postcode and phone_last4 as the customer states them.',
    'Never fill in codes or answers yourself, and never read them from the customer record. biometric is not supported.',
    'A verification holds for this conversation and this customer only.',
  ].join(' '),
  input: z.object({
    customer_id: customerIdArg,
    method: VerificationMethod.describe('otp (one-time code) or kba (knowledge-based questions); biometric is not supported.'),
    channel: z.enum(['email', 'sms']).optional().describe('otp: where to send the code (default email).'),
    verification_id: z.string().max(64).optional().describe('The verification_id of an earlier call, when answering it.'),
    code: z.string().max(32).optional().describe('otp: the 6-digit code the customer received.'),
    date_of_birth: z.string().max(32).optional().describe('kba: the date of birth the customer states, as YYYY-MM-DD.'),
    postcode: z.string().max(16).optional().describe('kba: the postcode the customer states.'),
    phone_last4: z.string().max(16).optional().describe('kba: the last four digits of the phone number, as the customer states them.'),
  }),
  output: VerifyIdentityResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  writesOnlyServerRecords: 'verification',
  nextSteps: {
    NOT_FOUND: 'Call find_customer to get a valid customer_id, or start a new verification without verification_id.',
    VALIDATION_FAILED: 'Fix the arguments named in the message; use method otp or kba.',
    INVALID_STATE: 'Do not share account data; explain that the account cannot be verified remotely and offer to create a ticket.',
  },
  async handler(args, ctx) {
    const o = await ctx.services.verification.verify({
      customerId: args.customer_id,
      conversationId: ctx.conversationId,
      method: args.method,
      ...(args.channel !== undefined ? { channel: args.channel } : {}),
      ...(args.verification_id !== undefined ? { verificationId: args.verification_id } : {}),
      ...(args.code !== undefined ? { code: args.code } : {}),
      answers: { date_of_birth: args.date_of_birth, postcode: args.postcode, phone_last4: args.phone_last4 },
    });
    const v = o.verification;
    const stateless = ctx.services.verification.conversationArgument;
    return {
      verification_id: v.id,
      method: v.method === 'kba' ? ('kba' as const) : ('otp' as const),
      status: o.status,
      expires_at: v.expires_at,
      ...(o.deliveredTo !== null && v.method === 'otp' && o.status !== 'verified' ? { delivered_to: o.deliveredTo } : {}),
      ...(o.status !== 'verified' && o.status !== 'expired' ? { attempts_left: o.attemptsLeft } : {}),
      ...(o.questions !== null && (o.status === 'pending' || o.status === 'failed') ? { questions: o.questions } : {}),
      ...(stateless ? { conversation_id: ctx.conversationId } : {}),
      message: stateless
        ? `${nextStep(o)} Pass conversation_id "${ctx.conversationId}" on EVERY later tool call of this conversation; without it nothing stays unlocked.`
        : nextStep(o),
    };
  },
});
