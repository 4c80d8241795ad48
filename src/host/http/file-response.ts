import type { Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream';
import parseRange from 'range-parser';
import send from 'send';
import { HttpFailure } from './failure.js';

/** A regular file at its real path, with what `stat` said of it. */
export interface CheckedFile {
  path: string;
  stats: Stats;
}

/**
 * Streams one file the caller has already checked (a regular file at its real path, inside the
 * folder it may come from) through `send`: MIME type, ranges, ETag, conditional requests, HEAD.
 * `send` serves it as the only file of its folder, so nothing in the request can pick another one.
 * @returns false when the file is gone since it was checked (the caller answers 404)
 * @throws {HttpFailure} 416 for a `Range` outside the file, 500 when reading fails (as rejections)
 */
export function sendFile(request: IncomingMessage, response: ServerResponse, file: CheckedFile, cacheControl: string): Promise<boolean> {
  const { path } = file;
  checkRange(request, file);
  return new Promise((done, fail) => {
    const stream = send(request, `/${encodeURIComponent(basename(path))}`, {
      root: dirname(path),
      dotfiles: 'allow', // the callers check dot segments, on the request's path and on the real one
      index: false,
      cacheControl: false,
      etag: true,
      lastModified: true,
    });
    stream.on('headers', (res: ServerResponse) => res.setHeader('Cache-Control', cacheControl));
    stream.on('error', (error: { status?: number; headers?: Record<string, string> } & Error) => {
      if (error.status === 404) done(false);
      else if (error.status === 412) {
        response.writeHead(412).end();
        done(true);
      } else if (error.status === 416) {
        fail(new HttpFailure(416, 'RANGE_NOT_SATISFIABLE', `Range ${JSON.stringify(request.headers.range)} is outside ${basename(path)}`, error.headers ?? {}));
      } else {
        const failure = new HttpFailure(500, 'HTTP_HANDLER_FAILED', `reading ${basename(path)} failed: ${error.message}`);
        failure.cause = error;
        fail(failure);
      }
    });
    finished(response, () => done(true));
    stream.pipe(response);
  });
}

/** The byte ranges `send` honours: it ignores a `Range` that does not start like this. */
const BYTES_RANGE = /^ *bytes=/;

/**
 * A byte `Range` that does not parse (`bytes=abc`) is refused like one outside the file (`bytes=9-2`),
 * so a client never gets the whole file while believing it asked for a part; other units are ignored.
 * @throws {HttpFailure} 416
 */
function checkRange(request: IncomingMessage, file: CheckedFile): void {
  const range = request.headers.range;
  if (range === undefined || !BYTES_RANGE.test(range) || parseRange(file.stats.size, range, { combine: true }) !== -2) return;
  throw new HttpFailure(416, 'RANGE_NOT_SATISFIABLE', `Range ${JSON.stringify(range)} does not parse`, { 'Content-Range': `bytes */${file.stats.size}` });
}
