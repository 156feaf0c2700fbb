// KeyedBatch without a database: keys of one turn in one fetch (distinct, chunked), every
// caller answered (missing keys null, duplicates as separate copies), errors to all callers of
// that fetch only, and keys Postgres cannot hold never sent.
import { describe, expect, it } from 'vitest';
import { KeyedBatch, MAX_BATCH_KEYS } from './batch.js';

const rowsFor = (keys: string[]) => new Map(keys.filter((k) => !k.startsWith('missing')).map((k) => [k, { id: k, seen: 0 }]));

describe('KeyedBatch', () => {
  it('answers the keys asked for in one turn with one fetch of the distinct keys', async () => {
    const fetches: string[][] = [];
    const batch = new KeyedBatch(async (keys) => (fetches.push(keys), rowsFor(keys)));
    const answers = await Promise.all(['a', 'b', 'missing-1', 'a'].map((k) => batch.load(k)));
    expect(fetches).toEqual([['a', 'b', 'missing-1']]);
    expect(answers.map((a) => a?.id ?? null)).toEqual(['a', 'b', null, 'a']);
    answers[0]!.seen = 1; // each caller owns its row
    expect(answers[3]!.seen).toBe(0);
    await batch.load('c');
    expect(fetches).toEqual([['a', 'b', 'missing-1'], ['c']]); // a later turn: its own fetch
  });

  it('splits a large turn into fetches of at most MAX_BATCH_KEYS', async () => {
    const fetches: number[] = [];
    const batch = new KeyedBatch(async (keys) => (fetches.push(keys.length), rowsFor(keys)));
    const keys = Array.from({ length: MAX_BATCH_KEYS * 2 + 5 }, (_, i) => `k${i}`);
    const answers = await Promise.all(keys.map((k) => batch.load(k)));
    expect(fetches).toEqual([MAX_BATCH_KEYS, MAX_BATCH_KEYS, 5]);
    expect(answers.map((a) => a!.id)).toEqual(keys);
  });

  it('a failed fetch fails its callers, and the next turn fetches again', async () => {
    let fail = true;
    const batch = new KeyedBatch(async (keys) => {
      if (fail) throw new Error('database down');
      return rowsFor(keys);
    });
    const settled = await Promise.allSettled([batch.load('a'), batch.load('b')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await batch.load('a'))!.id).toBe('a');
  });

  it('a key with NUL is never sent (it would fail everyone\'s statement): it has no row', async () => {
    const fetches: string[][] = [];
    const batch = new KeyedBatch(async (keys) => (fetches.push(keys), rowsFor(keys)));
    const [evil, good] = await Promise.all([batch.load('a\u0000b'), batch.load('good')]);
    expect(evil).toBeNull();
    expect(good!.id).toBe('good');
    expect(fetches).toEqual([['good']]);
  });
});
