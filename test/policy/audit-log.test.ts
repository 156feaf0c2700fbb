// AuditLog on its own: batching, the flush interval, shutdown, and a failing store. Fake timers
// make "within the interval" exact without sleeping.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewAuditEntry } from '../../src/domain/index.js';
import { ValidationError } from '../../src/repository/errors.js';
import { AuditLog, type AuditSink } from '../../src/services/audit-log.js';

const entry = (n: number): NewAuditEntry => ({
  conversation_id: 'conv', tool: `tool_${n}`, customer_id: null, outcome: 'ok', error_code: null, duration_ms: 1, args: {},
});

class Sink implements AuditSink {
  stored: NewAuditEntry[] = [];
  batches: number[] = [];
  fail: ((entries: NewAuditEntry[]) => Error | null) | null = null;
  async appendAudit(entries: NewAuditEntry[]): Promise<void> {
    const err = this.fail?.(entries) ?? null;
    if (err) throw err;
    this.batches.push(entries.length);
    this.stored.push(...entries);
  }
  tools(): string[] {
    return this.stored.map((e) => e.tool);
  }
}

describe('AuditLog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('buffers entries and stores them in one batch when the interval has passed', async () => {
    const sink = new Sink();
    const log = new AuditLog(sink, { flushIntervalMs: 1000, onWarning: () => undefined });
    log.append(entry(1));
    await vi.advanceTimersByTimeAsync(400);
    log.append(entry(2));
    log.append(entry(3));
    await vi.advanceTimersByTimeAsync(599);
    expect(sink.stored).toEqual([]);
    expect(log.pending).toBe(3);
    await vi.advanceTimersByTimeAsync(1); // 1000 ms after the FIRST entry
    expect(sink.tools()).toEqual(['tool_1', 'tool_2', 'tool_3']);
    expect(sink.batches).toEqual([3]);
    expect(log.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing scheduled while the buffer is empty
  });

  it('stores at once when maxBatch entries are waiting', async () => {
    const sink = new Sink();
    const log = new AuditLog(sink, { flushIntervalMs: 60_000, maxBatch: 5, onWarning: () => undefined });
    for (let i = 0; i < 12; i++) log.append(entry(i));
    await vi.advanceTimersByTimeAsync(0);
    // The full batch starts a flush at once, which takes everything buffered by then, in
    // batches of at most 5, without waiting for the minute.
    expect(sink.batches).toEqual([5, 5, 2]);
    expect(sink.tools()).toEqual(Array.from({ length: 12 }, (_, i) => `tool_${i}`));
    expect(log.pending).toBe(0);
    // Below maxBatch, the interval applies.
    log.append(entry(12));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(sink.stored).toHaveLength(12);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.stored).toHaveLength(13);
  });

  it('close() stores what is buffered, stops the timer, and warns about entries appended afterwards', async () => {
    const sink = new Sink();
    const warnings: string[] = [];
    const log = new AuditLog(sink, { flushIntervalMs: 60_000, onWarning: (m) => warnings.push(m) });
    log.append(entry(1));
    log.append(entry(2));
    await log.close();
    expect(sink.tools()).toEqual(['tool_1', 'tool_2']);
    expect(vi.getTimerCount()).toBe(0);
    log.append(entry(3));
    expect(warnings).toEqual(['audit entry after shutdown was not stored']);
    await log.close(); // idempotent
    expect(sink.stored).toHaveLength(2);
  });

  it('a failing store: entries are kept in order, retried with backoff, and stored when it is back', async () => {
    const sink = new Sink();
    const warnings: [string, Record<string, unknown>][] = [];
    let attempts = 0;
    const log = new AuditLog(sink, { flushIntervalMs: 1000, warnEveryMs: 10_000, onWarning: (m, meta) => warnings.push([m, meta]) });
    sink.fail = () => {
      attempts++;
      return new Error('down');
    };
    log.append(entry(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toEqual([['could not store audit entries; keeping them for the next attempt',
      { pending: 1, failures: 1, retry_in_ms: 1000, err: 'down' }]]);
    log.append(entry(2));
    await vi.advanceTimersByTimeAsync(1000); // first retry, 1 s later
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(2000 + 4000); // backoff: 2 s, then 4 s
    expect(attempts).toBe(4);
    expect(warnings).toHaveLength(1); // no flood while the outage lasts...
    await vi.advanceTimersByTimeAsync(8000);
    expect(attempts).toBe(5);
    expect(warnings).toHaveLength(2); // ...but a reminder after warnEveryMs
    expect(warnings[1]![1]).toMatchObject({ pending: 2, failures: 5, retry_in_ms: 16_000 });
    sink.fail = null;
    await vi.advanceTimersByTimeAsync(15_999);
    expect(sink.stored).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.tools()).toEqual(['tool_1', 'tool_2']);
    expect(warnings[2]).toEqual(['audit store is back; kept entries are being stored', { failures: 5, pending: 0 }]);
    // Healthy again: back to the normal interval.
    log.append(entry(3));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sink.tools()).toEqual(['tool_1', 'tool_2', 'tool_3']);
  });

  it('keeps at most maxPending entries while the store fails, dropping the oldest, and says so', async () => {
    const sink = new Sink();
    const warnings: string[] = [];
    const log = new AuditLog(sink, { flushIntervalMs: 1000, maxBatch: 2, maxPending: 4, onWarning: (m) => warnings.push(m) });
    sink.fail = () => new Error('down');
    for (let i = 0; i < 7; i++) log.append(entry(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(log.pending).toBe(4);
    expect(warnings).toContain('audit buffer full while the store is failing: oldest entries dropped');
    sink.fail = null;
    await log.close();
    expect(sink.tools()).toEqual(['tool_3', 'tool_4', 'tool_5', 'tool_6']);
  });

  it('an entry the store refuses as invalid is dropped alone; the rest of its batch is stored', async () => {
    const sink = new Sink();
    const warnings: string[] = [];
    const log = new AuditLog(sink, { flushIntervalMs: 1000, onWarning: (m) => warnings.push(m) });
    sink.fail = (entries) => (entries.some((e) => e.tool === 'tool_2') ? new ValidationError('invalid audit entry') : null);
    for (let i = 1; i <= 3; i++) log.append(entry(i));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sink.tools()).toEqual(['tool_1', 'tool_3']);
    expect(warnings).toEqual(['audit entry refused by the store as invalid: dropped']);
    expect(log.pending).toBe(0);
  });

  it('close() while the store is down reports how many entries were lost', async () => {
    const sink = new Sink();
    const warnings: [string, Record<string, unknown>][] = [];
    const log = new AuditLog(sink, { flushIntervalMs: 1000, onWarning: (m, meta) => warnings.push([m, meta]) });
    sink.fail = () => new Error('down');
    log.append(entry(1));
    log.append(entry(2));
    await log.close();
    expect(warnings.at(-1)).toEqual(['audit entries could not be stored before shutdown', { lost: 2 }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
