// The audit trail of tool calls (issue 6): every call ends in ONE entry — time, conversation,
// tool, customer (when known), outcome, error code, duration, and the arguments with PII
// redacted (src/domain/masking.ts redactArgs; the call path redacts before anything here
// sees them).
//
// Two ways in:
// - Writes: the entry of a call that changes data is committed in the same transaction as
//   the change (ServiceHub.writeOptionsFor hands it to the domain services, which pass it to the
//   repository write). A change without its entry, or an entry without its change, cannot
//   happen. Such a call is not appended again here.
// - Everything else (reads, refusals, invalid arguments, a write that failed): buffered and
//   appended in batches — at most `flushIntervalMs` after the entry (1 s by default), at once
//   when `maxBatch` entries are waiting, and on close() (shutdown).
//
// Auditing never fails a tool call: when the store refuses a batch, a warning is logged and
// the entries are kept for the next attempt (retried with backoff), up to `maxPending`; past
// that the oldest are dropped, and the warning says how many.
import type { NewAuditEntry } from '../domain/index.js';
import { RepositoryError } from '../repository/errors.js';

export type AuditSink = { appendAudit(entries: NewAuditEntry[]): Promise<void> };

export type AuditWarning = (message: string, meta: Record<string, unknown>) => void;

export interface AuditLogOptions {
  /** Longest time an entry waits in the buffer (policy.audit.flushIntervalMs). */
  flushIntervalMs: number;
  /** Flush at once when this many entries are waiting; default 100. */
  maxBatch?: number;
  /** Entries kept while the store fails; beyond this the oldest are dropped. Default 10 000. */
  maxPending?: number;
  /** Longest wait between retries of a failing store; default 30 s. */
  maxRetryDelayMs?: number;
  /** While the store keeps failing, repeat the warning at most this often; default 60 s. */
  warnEveryMs?: number;
  /** Where problems are reported (never entry contents). Default: one line on stderr. */
  onWarning?: AuditWarning;
}

const defaultWarning: AuditWarning = (message, meta) => {
  process.stderr.write(`support-mcp: ${message} ${JSON.stringify(meta)}\n`);
};

export class AuditLog {
  readonly #sink: AuditSink;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #maxRetryDelayMs: number;
  readonly #warnEveryMs: number;
  readonly #warn: AuditWarning;
  #lastFailureWarning = Number.NEGATIVE_INFINITY;

  #buffer: NewAuditEntry[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #failures = 0;
  #inFlight = 0;
  #dropped = 0;
  #closed = false;

  constructor(sink: AuditSink, opts: AuditLogOptions) {
    this.#sink = sink;
    this.#intervalMs = Math.max(0, opts.flushIntervalMs);
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 100);
    this.#maxPending = Math.max(this.#maxBatch, opts.maxPending ?? 10_000);
    this.#maxRetryDelayMs = opts.maxRetryDelayMs ?? 30_000;
    this.#warnEveryMs = opts.warnEveryMs ?? 60_000;
    this.#warn = opts.onWarning ?? defaultWarning;
  }

  /** Entries dropped so far (buffer full while the store failed, or refused as invalid). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Entries not yet stored (buffered or being written). */
  get pending(): number {
    return this.#buffer.length + this.#inFlight;
  }

  /** Buffers one entry; it is stored within the flush interval. Never throws. */
  append(entry: NewAuditEntry): void {
    if (this.#closed) {
      // After shutdown there is no store to write to: say so rather than lose it silently.
      this.#warn('audit entry after shutdown was not stored', { tool: entry.tool, conversation_id: entry.conversation_id });
      return;
    }
    this.#buffer.push(entry);
    this.#bound();
    if (this.#buffer.length >= this.#maxBatch && this.#failures === 0) {
      this.#clearTimer();
      void this.flush();
    } else {
      this.#schedule(this.#intervalMs);
    }
  }

  /**
   * Stores everything buffered now (one batch after another). Resolves when done or when the
   * store failed (the entries are then kept and retried); never rejects.
   */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#buffer.length === 0) return;
    this.#clearTimer();
    this.#flushing = this.#drain();
    try {
      await this.#flushing;
    } finally {
      this.#flushing = null;
    }
  }

  /** Stops the timer and stores what is left (shutdown). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    this.#clearTimer();
    if (this.#buffer.length > 0) {
      this.#warn('audit entries could not be stored before shutdown', { lost: this.#buffer.length });
      this.#buffer = [];
    }
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.#maxBatch);
      this.#inFlight = batch.length;
      try {
        try {
          await this.#sink.appendAudit(batch);
        } catch (err) {
          // A refused entry would block every later one forever: store the batch entry by
          // entry and drop only what the store refuses as invalid.
          if (!(err instanceof RepositoryError && err.kind === 'validation')) throw err;
          await this.#appendOneByOne(batch);
        }
      } catch (err) {
        this.#inFlight = 0;
        // Back to the front: entries appended meanwhile stay behind the failed batch, in order.
        this.#buffer = batch.concat(this.#buffer);
        this.#bound();
        this.#failures++;
        const delay = Math.min(this.#maxRetryDelayMs, Math.max(this.#intervalMs, 100) * 2 ** Math.min(this.#failures - 1, 10));
        // The first failure of an outage, then at most one reminder per warnEveryMs (no flood).
        const now = Date.now();
        if (this.#failures === 1 || now - this.#lastFailureWarning >= this.#warnEveryMs) {
          this.#lastFailureWarning = now;
          this.#warn('could not store audit entries; keeping them for the next attempt', {
            pending: this.#buffer.length, failures: this.#failures, retry_in_ms: delay, err: (err as Error)?.message ?? String(err),
            // the driver's own words ("connect ECONNREFUSED 10.0.0.5:5432"), kept by UnavailableError as its cause
            ...((err as Error)?.cause instanceof Error ? { reason: ((err as Error).cause as Error).message } : {}),
          });
        }
        if (!this.#closed) this.#schedule(delay);
        return;
      }
      this.#inFlight = 0;
      if (this.#failures > 0) {
        this.#warn('audit store is back; kept entries are being stored', { failures: this.#failures, pending: this.#buffer.length });
        this.#failures = 0;
      }
    }
  }

  async #appendOneByOne(batch: NewAuditEntry[]): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      try {
        await this.#sink.appendAudit([batch[i]!]);
      } catch (err) {
        if (!(err instanceof RepositoryError && err.kind === 'validation')) {
          batch.splice(0, i); // the stored ones are done; the caller keeps the rest
          throw err;
        }
        this.#dropped++;
        this.#warn('audit entry refused by the store as invalid: dropped', { tool: batch[i]!.tool, reason: err.message });
      }
    }
  }

  #bound(): void {
    const excess = this.#buffer.length - this.#maxPending;
    if (excess <= 0) return;
    this.#buffer.splice(0, excess);
    this.#dropped += excess;
    this.#warn('audit buffer full while the store is failing: oldest entries dropped', { dropped_total: this.#dropped });
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== null || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, delayMs);
    // A pending flush must not keep a finished process alive; shutdown paths call close().
    this.#timer.unref?.();
  }

  #clearTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
