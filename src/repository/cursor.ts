// Keyset-pagination cursors shared by both backends, so a cursor from one page of the
// Postgres backend means the same position as one from the fixture backend.
import { ValidationError } from './errors.js';

export interface OrderCursor {
  ordered_at: string;
  id: string;
}

export const encodeOrderCursor = (c: OrderCursor): string =>
  Buffer.from(JSON.stringify([c.ordered_at, c.id]), 'utf8').toString('base64url');

export const decodeOrderCursor = (cursor: string): OrderCursor => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) && parsed.length === 2 &&
      typeof parsed[0] === 'string' && typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { ordered_at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new ValidationError('invalid cursor: pass back the next_cursor of a previous page unchanged');
};

/** Orders are listed newest first; ties on the timestamp are broken by id, descending. */
export const compareOrdersNewestFirst = (a: OrderCursor, b: OrderCursor): number =>
  a.ordered_at === b.ordered_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.ordered_at < b.ordered_at ? 1 : -1;

/** Transactions: the same keyset shape (instant, id), newest first; a distinct tag so an order cursor is refused. */
export interface TransactionCursor {
  posted_at: string;
  id: string;
}

export const encodeTransactionCursor = (c: TransactionCursor): string =>
  Buffer.from(JSON.stringify(['t', c.posted_at, c.id]), 'utf8').toString('base64url');

export const decodeTransactionCursor = (cursor: string): TransactionCursor => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) && parsed.length === 3 && parsed[0] === 't' &&
      typeof parsed[1] === 'string' && typeof parsed[2] === 'string' &&
      !Number.isNaN(Date.parse(parsed[1]))
    ) {
      return { posted_at: new Date(parsed[1]).toISOString(), id: parsed[2] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new ValidationError('invalid cursor: pass back the next_cursor of a previous page unchanged');
};

export const compareTransactionsNewestFirst = (a: TransactionCursor, b: TransactionCursor): number =>
  a.posted_at === b.posted_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.posted_at < b.posted_at ? 1 : -1;
