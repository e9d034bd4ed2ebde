// Reading response bodies within a byte budget, decompressing as we go.
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { classifyNetworkError } from './classify.js';
import type { RawResponse } from './fetch-page.js';

/** Stop reading a body we do not want; its abort error is expected and ignored. */
export function discard(body: Readable): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

function decoderFor(encoding: string | undefined): NodeJS.ReadWriteStream | null {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * The decoded body, or `null` when it is larger than `maxBytes` — by its Content-Length, by the
 * bytes on the wire, or by what decompression makes of them (a gzip bomb stops at the cap).
 */
export async function readBody(res: RawResponse, maxBytes: number, signal: AbortSignal): Promise<Buffer | null> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    discard(res.body);
    return null;
  }
  const encoding = res.headers['content-encoding'];
  const decoder = decoderFor(Array.isArray(encoding) ? encoding[0] : encoding);
  // pipeline() carries an error on either side to the stream we read from.
  const stream: Readable = decoder ? (pipeline(res.body, decoder, () => {}) as unknown as Readable) : res.body;
  const onAbort = () => stream.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  } catch (err) {
    throw classifyNetworkError(err, res.finalUrl);
  } finally {
    signal.removeEventListener('abort', onAbort);
    discard(stream);
    discard(res.body);
  }
}
