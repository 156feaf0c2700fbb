// The size-capped JSON body of an MCP request, read the way express.json({ limit, type:
// ['application/json', 'application/*+json'] }) (body-parser 2) reads it, answered the way our
// error handler answered body-parser's errors. Plain node, for the POST /mcp fast path and,
// through an adapter, the Express routes (http-rules.ts says why).
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import type { NodeRequest } from './http-rules.js';

/** A body that could not be read: the status and JSON-RPC error it is answered with. */
export interface BodyRefusal {
  status: number;
  code: number;
  message: string;
}
export type BodyResult = { ok: true; body: unknown } | ({ ok: false } & BodyRefusal);

const MEDIA_TYPE = /^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$/;

/** The media type of a Content-Type header, lower case, if it is a well-formed one (content-type 2 + media-typer). */
function mediaType(header: string): string | undefined {
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
  return MEDIA_TYPE.test(type) ? type : undefined;
}

/** Whether body-parser's json({ type: ['application/json', 'application/*+json'] }) would parse this Content-Type. */
export function isJsonBodyType(header: string | undefined): boolean {
  const type = header ? mediaType(header) : undefined;
  if (type === undefined) return false;
  if (type === 'application/json') return true;
  return type.startsWith('application/') && type.length - 'application/'.length >= 5 && type.endsWith('+json');
}

/** The charset parameter of a Content-Type header, lower case: content-type 2's lenient parameter parser (first one wins). */
function charsetOf(header: string): string | undefined {
  const ows = (i: number): number => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
    return i;
  };
  const trimEnd = (s: string): string => s.replace(/[ \t]+$/, '');
  let i = header.indexOf(';');
  if (i === -1) return undefined;
  while (i < header.length) {
    i = ows(i + 1); // past the ';'
    const keyStart = i;
    while (i < header.length && header[i] !== ';' && header[i] !== '=') i++;
    if (i >= header.length || header[i] === ';') continue;
    const key = trimEnd(header.slice(keyStart, i)).toLowerCase();
    i = ows(i + 1);
    let value: string | undefined = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) value += header[i] === '\\' && i + 1 < header.length ? header[++i] : header[i];
      if (i >= header.length) value = undefined; // unterminated: not a value
      while (i < header.length && header[i] !== ';') i++;
    } else {
      const valueStart = i;
      while (i < header.length && header[i] !== ';') i++;
      value = trimEnd(header.slice(valueStart, i));
    }
    if (key === 'charset' && value !== undefined) return value.toLowerCase();
  }
  return undefined;
}

const refusal = (status: number, code: number, message: string): BodyResult => ({ ok: false, status, code, message });
const invalid = (status: number): BodyResult => refusal(status, -32600, 'Invalid request');

/**
 * Decoders for the charsets body-parser accepts (`utf-*`): UTF-8 as a Buffer, UTF-16 through
 * TextDecoder. The one difference from body-parser (iconv-lite): UTF-7 and UTF-32 bodies are
 * refused (415) instead of decoded; no MCP client sends them.
 */
function decoderFor(charset: string): ((bytes: Buffer) => string) | undefined {
  if (charset === 'utf-8') {
    return (bytes) => {
      const text = bytes.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // iconv-lite strips a BOM
    };
  }
  try {
    const decoder = new TextDecoder(charset);
    return (bytes) => decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function decompressor(encoding: string): zlib.Inflate | zlib.Gunzip | zlib.BrotliDecompress | undefined {
  switch (encoding) {
    case 'deflate':
      return zlib.createInflate();
    case 'gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      const z = zlib as unknown as { createZstdDecompress?: () => zlib.Inflate };
      return z.createZstdDecompress?.();
    }
  }
  return undefined;
}

/** Reads the rest of a request and discards it (body-parser answers errors after the body is in). */
const drain = (req: IncomingMessage): Promise<void> =>
  new Promise((resolve) => {
    if (req.complete || req.destroyed) return resolve();
    req.on('end', resolve).on('close', resolve).on('error', resolve);
    req.resume();
  });

/**
 * The JSON body as express.json({ limit, type: ['application/json', 'application/*+json'] })
 * reads it, with the answers our error handler gives its errors. `req.body` is set as body-
 * parser sets it: undefined when the request has no body or another Content-Type (then the
 * stream is left unread), else the parsed value (an empty body is `{}`). Refusals: 413 over
 * the limit, 400 -32700 for invalid JSON (or a top-level value that is not an object/array),
 * 415 for a charset other than UTF-* or an unknown Content-Encoding, 400 for a broken stream.
 */
export async function readJsonBody(req: NodeRequest, limit: number): Promise<BodyResult> {
  req.body = undefined;
  const hasBody = req.headers['transfer-encoding'] !== undefined || !isNaN(req.headers['content-length'] as unknown as number);
  const contentType = req.headers['content-type'];
  if (!hasBody || !isJsonBodyType(contentType)) return { ok: true, body: undefined };

  const charset = charsetOf(contentType!) || 'utf-8';
  if (!charset.startsWith('utf-')) return invalid(415);
  const encoding = (req.headers['content-encoding'] || 'identity').toLowerCase();
  const inflate = encoding === 'identity' ? undefined : decompressor(encoding);
  if (encoding !== 'identity' && inflate === undefined) return invalid(415);

  const declared = encoding === 'identity' && req.headers['content-length'] !== undefined ? parseInt(req.headers['content-length'], 10) : NaN;
  if (declared > limit) {
    await drain(req);
    return refusal(413, -32000, `Request body larger than ${limit} bytes`);
  }
  const decode = decoderFor(charset);
  if (decode === undefined) {
    await drain(req);
    return invalid(415);
  }

  const read = await new Promise<{ bytes: Buffer } | { refused: BodyResult }>((resolve) => {
    const stream = inflate ?? req;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (result: { bytes: Buffer } | { refused: BodyResult }, thenDrain: boolean): void => {
      if (done) return;
      done = true;
      stream.removeListener('data', onData);
      if (inflate) {
        req.unpipe(inflate);
        inflate.on('error', () => undefined);
        inflate.destroy();
      }
      if (thenDrain) void drain(req).then(() => resolve(result));
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) finish({ refused: refusal(413, -32000, `Request body larger than ${limit} bytes`) }, true);
      else chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (!Number.isNaN(declared) && received !== declared) return finish({ refused: invalid(400) }, true);
      finish({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }, false);
    });
    stream.once('error', () => finish({ refused: invalid(400) }, true));
    req.once('aborted', () => finish({ refused: invalid(400) }, false));
    if (inflate) req.pipe(inflate);
  });
  if ('refused' in read) return read.refused;

  const text = decode(read.bytes);
  if (text.length === 0) return { ok: true, body: (req.body = {}) };
  // strict: only an object or an array at the top level
  const first = /^[\x20\x09\x0a\x0d]*(.?)/.exec(text)![1];
  if (first !== '{' && first !== '[') return refusal(400, -32700, 'Parse error: the body is not valid JSON');
  try {
    return { ok: true, body: (req.body = JSON.parse(text)) };
  } catch {
    return refusal(400, -32700, 'Parse error: the body is not valid JSON');
  }
}
