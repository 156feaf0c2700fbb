// CoalescingWriter (stdio.ts): answers written in one turn of the event loop reach stdout in
// one write, in order; a stream that pushes back (write → false) is waited for ('drain').
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CoalescingWriter } from './stdio.js';

class FakeStdout extends EventEmitter {
  writes: string[] = [];
  full = false;
  write(data: string | Buffer): boolean {
    this.writes.push(data.toString());
    return !this.full;
  }
}
const turn = () => new Promise((r) => setImmediate(r));

describe('CoalescingWriter', () => {
  it('joins the writes of one turn into one, keeps their order, and writes each later turn on its own', async () => {
    const out = new FakeStdout();
    const w = new CoalescingWriter(out as unknown as NodeJS.WritableStream);
    expect(w.write('{"id":1}\n')).toBe(true);
    w.write('{"id":2}\n');
    w.write('{"id":3}\n');
    expect(out.writes).toEqual([]);
    await turn();
    await turn();
    expect(out.writes).toEqual(['{"id":1}\n{"id":2}\n{"id":3}\n']);
    w.write('{"id":4}\n');
    await turn();
    await turn();
    expect(out.writes).toEqual(['{"id":1}\n{"id":2}\n{"id":3}\n', '{"id":4}\n']);
  });

  it('flush() writes at once (before the process exits)', () => {
    const out = new FakeStdout();
    const w = new CoalescingWriter(out as unknown as NodeJS.WritableStream);
    w.write('a\n');
    w.write('b\n');
    w.flush();
    expect(out.writes).toEqual(['a\nb\n']);
  });

  it('waits for the real stream to drain before writing more', async () => {
    const out = new FakeStdout();
    out.full = true;
    const w = new CoalescingWriter(out as unknown as NodeJS.WritableStream);
    w.write('a\n');
    await turn();
    await turn();
    w.write('b\n');
    await turn();
    await turn();
    expect(out.writes).toEqual(['a\n']); // 'b' waits behind the full pipe
    out.full = false;
    out.emit('drain');
    await turn();
    await turn();
    expect(out.writes).toEqual(['a\n', 'b\n']);
  });
});
