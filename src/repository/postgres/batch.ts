// Look-ups by key that arrive together are answered by one statement. With many calls in
// flight (32 clients in bench/README.md), each get_order or find_customer by id was its own
// round trip: the statement, its wake-ups of Postgres and of this process, and Postgres's
// per-statement work were most of a call's cost. Keys asked for in the same turn of the event
// loop are collected and read with `= any($1)` (one prepared statement whatever the number of
// keys); each caller gets its own row. A single call still costs one statement, one turn
// later (setImmediate). Reads only, on the pool, never inside a transaction; an error of the
// statement is every caller's error, as it would have been for each of them alone.

/** Keys per statement; more wait for the next one (started at once). */
export const MAX_BATCH_KEYS = 100;

interface Waiter<V> {
  resolve: (value: V | null) => void;
  reject: (err: unknown) => void;
}

export class KeyedBatch<V> {
  #pending = new Map<string, Waiter<V>[]>();
  #scheduled = false;

  /** `fetch` reads the rows of these keys (distinct, at most MAX_BATCH_KEYS) by key; a missing key is null. */
  constructor(private readonly fetch: (keys: string[]) => Promise<Map<string, V>>, private readonly clone: (value: V) => V = structuredClone) {}

  load(key: string): Promise<V | null> {
    // Postgres text cannot hold NUL: no row has such a key, and sending it would fail the
    // whole statement, i.e. every other caller's look-up in the batch.
    if (key.includes('\u0000')) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiters = this.#pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#run());
      }
    });
  }

  #run(): void {
    this.#scheduled = false;
    const batch = [...this.#pending];
    this.#pending = new Map();
    for (let i = 0; i < batch.length; i += MAX_BATCH_KEYS) {
      const chunk = batch.slice(i, i + MAX_BATCH_KEYS);
      this.fetch(chunk.map(([key]) => key)).then(
        (rows) => {
          for (const [key, waiters] of chunk) {
            const row = rows.get(key) ?? null;
            // the same key twice in a batch: each caller gets its own copy to keep
            waiters.forEach((w, n) => w.resolve(row !== null && n > 0 ? this.clone(row) : row));
          }
        },
        (err: unknown) => {
          for (const [, waiters] of chunk) for (const w of waiters) w.reject(err);
        },
      );
    }
  }
}
