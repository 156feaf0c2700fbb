// The verification outbox: where one-time codes wait for a sender. The server never talks to
// an SMS or e-mail provider itself; it stores the message (repository: a Postgres table, or
// the in-memory store in fixtures mode) and a separate sender delivers it. That keeps
// provider credentials and retries out of the MCP server, and makes delivery auditable.
//
// Fixtures mode has no shared store between processes, so the outbox there ALSO appends each
// message as one JSON line to a file (default: <tmpdir>/support-mcp-outbox.jsonl, created
// 0600) that `support-mcp outbox` reads to show pending codes in demos.
//
// Plugging in a real sender (Postgres): poll `repo.listOutbox({ pendingOnly: true })` (or
// `select ... from outbox where sent_at is null and (expires_at is null or expires_at > now())
// order by created_at for update skip locked`), send `body` with `{code}` replaced by `code`
// to `destination` over `channel`, then `repo.markOutboxSent(id)` (which also wipes the code).
import { appendFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NewOutboxMessage, OutboxMessage, SupportRepository } from '../repository/types.js';

export const DEFAULT_OUTBOX_FILE = path.join(os.tmpdir(), 'support-mcp-outbox.jsonl');

/** The message text; the sender replaces {code} (the code is never part of the stored text). */
export const otpMessageBody = (ttlMs: number): string => {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000));
  return `Your customer-support verification code is {code}. It expires in ${minutes} minute${minutes === 1 ? '' : 's'}. `
    + 'Give it only to the support conversation you started; nobody will ever ask you for it in any other way.';
};

/** The body with its {code} placeholder filled in, as a sender would send it. */
export const renderOutboxBody = (m: Pick<OutboxMessage, 'body' | 'code'>): string => m.body.replaceAll('{code}', m.code ?? '[sent]');

export interface OutboxOptions {
  /** Fixtures mode: also append every message to this JSON-lines file (for `support-mcp outbox`). */
  file?: string | null;
  /** Called when the file cannot be written; the message is still in the repository's outbox. */
  onFileError?: (err: Error) => void;
}

export class Outbox {
  readonly file: string | null;

  constructor(private readonly repo: SupportRepository, private readonly opts: OutboxOptions = {}) {
    this.file = opts.file ?? null;
  }

  /** Stores a message for delivery (and, in fixtures mode, appends it to the demo file). */
  async enqueue(message: NewOutboxMessage): Promise<OutboxMessage> {
    const stored = await this.repo.enqueueOutbox(message);
    if (this.file !== null) {
      try {
        await appendFile(this.file, `${JSON.stringify(stored)}\n`, { encoding: 'utf8', mode: 0o600 });
      } catch (err) {
        this.opts.onFileError?.(err as Error);
      }
    }
    return stored;
  }
}

/**
 * Reads an outbox file written by a fixtures-mode server: one message per line, oldest first.
 * Lines that are not messages (a partial last line while the server writes) are skipped.
 * A missing file is an empty outbox.
 */
export async function readOutboxFile(file: string): Promise<OutboxMessage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: OutboxMessage[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const m = JSON.parse(line) as OutboxMessage;
      if (m && typeof m === 'object' && typeof m.id === 'string' && typeof m.destination === 'string') out.push(m);
    } catch {
      // a line being written right now, or not ours
    }
  }
  return out;
}
