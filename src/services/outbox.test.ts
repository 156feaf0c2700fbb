// The outbox service: messages go to the repository, and in fixtures mode also to a JSON-lines
// file (0600) that `support-mcp outbox` reads from another process.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../repository/dataset.js';
import { FixtureRepository } from '../repository/fixtures/index.js';
import type { NewOutboxMessage } from '../repository/types.js';
import { Outbox, otpMessageBody, readOutboxFile, renderOutboxBody } from './outbox.js';

let dir: string;
let repo: FixtureRepository;
const message = (id: string, code = '123456'): NewOutboxMessage => ({
  id, channel: 'sms', destination: '+14155551234', body: otpMessageBody(600_000), code,
  verification_id: null, customer_id: 'CUST-001', expires_at: '2030-01-01T00:00:00.000Z',
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-test-'));
  repo = new FixtureRepository(await loadDataset());
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Outbox', () => {
  it('without a file: only the repository', async () => {
    const outbox = new Outbox(repo);
    expect(outbox.file).toBeNull();
    const m = await outbox.enqueue(message('m1'));
    expect(await repo.listOutbox()).toEqual([m]);
  });

  it('with a file: appends one JSON line per message, created 0600, readable by readOutboxFile', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    const outbox = new Outbox(repo, { file });
    const a = await outbox.enqueue(message('m1', '111111'));
    const b = await outbox.enqueue(message('m2', '222222'));
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([a, b]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readOutboxFile(file)).toEqual([a, b]);
  });

  it('a file that cannot be written is reported, and the message is still stored', async () => {
    const errors: string[] = [];
    const outbox = new Outbox(repo, { file: path.join(dir, 'missing-dir', 'outbox.jsonl'), onFileError: (e) => errors.push(e.message) });
    await outbox.enqueue(message('m1'));
    expect(errors).toHaveLength(1);
    expect(await repo.listOutbox()).toHaveLength(1);
  });

  it('readOutboxFile: a missing file is empty; partial or foreign lines are skipped', async () => {
    expect(await readOutboxFile(path.join(dir, 'nope.jsonl'))).toEqual([]);
    const file = path.join(dir, 'mixed.jsonl');
    const m = await repo.enqueueOutbox(message('m1'));
    await writeFile(file, `${JSON.stringify(m)}\nnot json\n{"other":1}\n{"id":"m2","destin`);
    expect(await readOutboxFile(file)).toEqual([m]);
  });

  it('the stored body has a {code} placeholder; rendering fills it in', () => {
    const body = otpMessageBody(600_000);
    expect(body).toMatch(/\{code\}/);
    expect(body).toMatch(/10 minutes/);
    expect(renderOutboxBody({ body, code: '042917' })).toMatch(/042917/);
    expect(renderOutboxBody({ body, code: null })).not.toMatch(/\{code\}/);
  });
});
