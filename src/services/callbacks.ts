// Callback use cases: a call back to the customer's phone number on file (never a number the
// caller supplies), in a window inside business hours in the customer's time zone (from their
// preferences), in the future and at most `maxDaysAhead` days ahead. An identical request
// returns the callback already scheduled; a customer has at most `maxOpenPerCustomer` open.
import { createHash } from 'node:crypto';
import { IsoDate, maskPhone, type Callback } from '../domain/index.js';
import { DEFAULT_BUSINESS_HOURS, DAYS, formatMinutes, instantOf, type BusinessHours } from './business-hours.js';
import { DomainService, type DomainServiceOptions } from './domain-service.js';
import { invalidField, ServiceError } from './errors.js';
import { newReference } from './ids.js';
import type { SupportRepository } from '../repository/types.js';

export interface CallbackPolicy {
  hours: BusinessHours;
  maxDaysAhead: number;
  maxOpenPerCustomer: number;
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { hours: DEFAULT_BUSINESS_HOURS, maxDaysAhead: 14, maxOpenPerCustomer: 3 };

export interface CallbackServiceOptions extends DomainServiceOptions {
  callbacks?: CallbackPolicy;
  /** The conversation the callback is scheduled in (recorded with it). */
  conversationId?: string;
  /** The clock (tests). */
  now?: () => number;
}

export interface CallbackRequest {
  customerId: string;
  /** The customer's local calendar day, YYYY-MM-DD. */
  date: string;
  /** Local times HH:MM: the window in which the customer wants the call. */
  fromTime: string;
  toTime: string;
  topic: string;
}

export interface ScheduledCallback {
  callback: Callback;
  created: boolean;
  /** The time zone the window was read in. */
  timezone: string;
  phoneMasked: string;
  /** The sentence to tell the customer. */
  message: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

const minutesOf = (value: string, field: string): number => {
  const m = HHMM.exec(value.trim());
  if (!m) throw invalidField(field, `${field} must be a time such as 09:30 (24-hour clock).`, 'must be HH:MM');
  return Number(m[1]) * 60 + Number(m[2]);
};

const dayLabel = (hours: BusinessHours): string => hours.label;

export class CallbackService extends DomainService {
  readonly #policy: CallbackPolicy;
  readonly #conversationId: string | null;
  readonly #now: () => number;

  constructor(repo: SupportRepository, opts: CallbackServiceOptions = {}) {
    super(repo, opts);
    this.#policy = opts.callbacks ?? DEFAULT_CALLBACK_POLICY;
    this.#conversationId = opts.conversationId?.trim() ? opts.conversationId : null;
    this.#now = opts.now ?? Date.now;
  }

  /** Schedules (or, for an identical request, finds) a callback; see the module comment for the rules. */
  scheduleCallback(req: CallbackRequest): Promise<ScheduledCallback> {
    // the arguments alone, before any access check
    const date = req.date.trim();
    if (!IsoDate.safeParse(date).success || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      throw invalidField('date', 'date must be a calendar day such as 2024-12-03 (the customer\'s local date).', 'must be YYYY-MM-DD');
    }
    const from = minutesOf(req.fromTime, 'fromTime');
    const to = minutesOf(req.toTime, 'toTime');
    if (to <= from) throw invalidField('toTime', 'The window must end after it starts.', 'must be after fromTime');
    const topic = req.topic.trim().replace(/\s+/g, ' ');
    if (topic === '' || topic.length > 200) throw invalidField('topic', 'Say in a few words (at most 200 characters) what the call is about.', 'must be 1-200 characters');
    const hours = this.#policy.hours;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (!hours.days.has(weekday) || from < hours.open || to > hours.close) {
      throw invalidField('date', `Callbacks are made during business hours only (${dayLabel(hours)}, in the customer's time zone); ${DAYS[weekday]} ${formatMinutes(from)}-${formatMinutes(to)} is outside them.`, 'outside business hours');
    }
    return this.forCustomer(req.customerId, async (scope) => {
      const customer = await scope.customer();
      if (customer.phone === null) {
        throw new ServiceError('INVALID_STATE', `Customer ${customer.id} has no phone number on file to call back.`, { entity: 'callback', state: 'no_phone_on_file' });
      }
      const { timezone } = (await scope.preferences())!;
      const start = instantOf(date, from, timezone);
      const end = instantOf(date, to, timezone);
      const now = this.#now();
      if (start <= now) throw invalidField('date', `That window has already started or passed (${date} ${formatMinutes(from)} in ${timezone}); choose a later one.`, 'must be in the future');
      if (start > now + this.#policy.maxDaysAhead * DAY_MS) {
        throw invalidField('date', `Callbacks can be scheduled at most ${this.#policy.maxDaysAhead} days ahead.`, `at most ${this.#policy.maxDaysAhead} days ahead`);
      }
      const windowStart = new Date(start).toISOString();
      const windowEnd = new Date(end).toISOString();
      const requestKey = createHash('sha256').update(JSON.stringify([customer.id, windowStart, windowEnd, topic.toLowerCase()])).digest('hex');
      const { callback, created } = await scope.scheduleCallback({
        id: newReference('CB'),
        destination: customer.phone,
        window_start: windowStart,
        window_end: windowEnd,
        topic,
        conversation_id: this.#conversationId,
        request_key: requestKey,
      }, this.#policy.maxOpenPerCustomer);
      const phoneMasked = maskPhone(callback.destination);
      return {
        callback, created, timezone, phoneMasked,
        message: `We will call you on ${date} between ${formatMinutes(from)} and ${formatMinutes(to)} (${timezone}) on the number we have on file, ending in ${phoneMasked.slice(-4)}.`,
      };
    });
  }

  /** Cancels a scheduled callback (changed=false when it already was); INVALID_STATE once it took place. */
  cancelCallback(callbackId: string): Promise<{ callback: Callback; changed: boolean }> {
    const id = callbackId.trim();
    return this.forOwnerOf(
      (records) => records.getCallback(id),
      () => new ServiceError('NOT_FOUND', `No callback with id ${id}.`, { entity: 'callback', key: 'id', value: id }),
      (c) => c.customer_id,
      (callback, scope) => scope.cancelCallback(callback),
    );
  }
}
