// Handing a conversation to a person (issue 13). Not a customer-data service: it works before
// any verification (a customer who cannot verify must still reach someone) and reveals nothing
// about any customer — the answer is the handoff's own id, queue, position and a sentence for
// the customer. A customer id the caller gives is recorded as given, with whether that customer
// verified in this conversation; its existence is never checked nor reported. Handoffs are a
// control record (like the outbox): a help desk drains them (see `support-mcp handoffs`).
import { randomUUID } from 'node:crypto';
import {
  HANDOFF_SUMMARY_MAX, storableText, type Handoff, type HandoffPriority, type HandoffQueue, type HandoffReason,
} from '../domain/index.js';
import type { SupportRepository } from '../repository/types.js';
import { translated } from './domain-service.js';
import { invalidField } from './errors.js';

export interface TransferInput {
  reason: HandoffReason;
  /** Written by the model for the person taking over: what the customer needs, what was tried. */
  summary: string;
  priority?: HandoffPriority;
  queue?: HandoffQueue;
  /** The customer the conversation is about, when known. */
  customerId?: string;
}

export interface TransferResult {
  handoff: Handoff;
  /** false: this conversation already had a handoff in progress, which is returned. */
  created: boolean;
  /** 1-based place in its queue; 0 once a person accepted it. */
  position: number;
  /** The sentence to tell the customer. */
  message: string;
}

/** The queue a reason goes to when the caller names none. */
const DEFAULT_QUEUE: Record<HandoffReason, HandoffQueue> = {
  customer_request: 'general', cannot_verify: 'general', complaint: 'general', fraud_or_security: 'fraud',
  complex_issue: 'general', tool_failure: 'technical', other: 'general',
};

const QUEUE_LABEL: Record<HandoffQueue, string> = {
  general: 'customer support', fraud: 'fraud and security', cards: 'card services', billing: 'billing', technical: 'technical support',
};

/** The sentence for the customer. */
export const handoffMessage = (h: Handoff, position: number): string => {
  if (h.status === 'accepted') return `A member of our ${QUEUE_LABEL[h.queue]} team has picked up your conversation and will be with you shortly.`;
  const place = position <= 1 ? 'You are next in line' : `You are number ${position} in the queue`;
  return `I have asked a member of our ${QUEUE_LABEL[h.queue]} team to take over this conversation. ${place}; please stay in this conversation and they will join you.`;
};

export interface HandoffServiceOptions {
  conversationId: string;
  /** Principal.id: a conversation belongs to its principal. */
  principal: string;
  /** Whether the customer verified their identity in this conversation (no access check, no error). */
  isVerified: (customerId: string) => Promise<boolean>;
}

export class HandoffService {
  readonly #repo: SupportRepository;
  readonly #opts: HandoffServiceOptions;

  constructor(repo: SupportRepository, opts: HandoffServiceOptions) {
    this.#repo = repo;
    this.#opts = opts;
  }

  /** Opens this conversation's handoff, or returns the one in progress (a retry). */
  async transfer(input: TransferInput): Promise<TransferResult> {
    const summary = storableText(input.summary.trim());
    if (summary.length === 0) throw invalidField('summary', 'Write a short summary for the person taking over.', 'must not be empty');
    if (summary.length > HANDOFF_SUMMARY_MAX) {
      throw invalidField('summary', `The summary is limited to ${HANDOFF_SUMMARY_MAX} characters.`, `at most ${HANDOFF_SUMMARY_MAX} characters`);
    }
    const conversationId = this.#opts.conversationId.trim();
    if (conversationId === '') throw invalidField('conversation_id', 'A handoff needs a conversation to hand over.', 'must not be empty');
    const customerId = input.customerId?.trim() ? storableText(input.customerId.trim().slice(0, 64)) : null;
    const verified = customerId === null ? false : await translated(() => this.#opts.isVerified(customerId));
    const { handoff, created, position } = await translated(() => this.#repo.openHandoff({
      id: randomUUID(),
      conversation_id: conversationId,
      principal: this.#opts.principal,
      customer_id: customerId,
      customer_verified: verified,
      reason: input.reason,
      summary,
      priority: input.priority ?? (input.reason === 'fraud_or_security' ? 'urgent' : 'medium'),
      queue: input.queue ?? DEFAULT_QUEUE[input.reason],
    }));
    return { handoff, created, position, message: handoffMessage(handoff, position) };
  }
}
