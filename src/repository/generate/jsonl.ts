// Buffered JSONL writers with backpressure: the generator's output files.
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const CHUNK_BYTES = 256 * 1024;

export class JsonlWriter {
  count = 0;
  private parts: string[] = [];
  private size = 0;
  private error: Error | null = null;
  readonly stream: WriteStream;

  constructor(file: string) {
    this.stream = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
    this.stream.on('error', (err) => {
      this.error ??= err;
    });
  }

  add(record: object): void {
    const line = `${JSON.stringify(record)}\n`;
    this.parts.push(line);
    this.size += line.length;
    this.count++;
  }

  get full(): boolean {
    return this.size >= CHUNK_BYTES;
  }

  /** Hands the buffered lines to the stream; waits for 'drain' when the stream is saturated. */
  async flush(): Promise<void> {
    if (this.error) throw this.error;
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (err: Error) => {
          this.stream.off('drain', onDrain);
          reject(err);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    if (this.error) throw this.error;
  }

  destroy(): void {
    this.stream.destroy();
  }
}
