import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, WebView, WebViewError, type WebViewOptions } from '../../src/host/index.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { watchedHost } from './helpers.js';

// Issue 10, class 7: `maxPayload: 0` silently meant "unlimited" (ws reads 0 as no limit), and a
// detached Float32Array threw a raw TypeError out of sendToWebsocket.

const invalid = expect.objectContaining({ code: 'INVALID_OPTION' }) as unknown as WebViewError;
const detached = expect.objectContaining({ code: 'DETACHED_BUFFER' }) as unknown as WebViewError;

function transferred<T extends ArrayBufferView>(view: T): T {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
  return view;
}

describe('options where 0 means nothing can work', () => {
  it.each(['maxPayload', 'maxQueuedBytesPerPage', 'callTimeout', 'maxPendingCalls', 'maxPages', 'maxConnectionsPerPage', 'maxSessionsPerSource', 'maxSessionBytes', 'sequenceWindow'] as const)(
    'O1 %s: 0 is INVALID_OPTION, 1 is accepted',
    (key) => {
      expect(() => new WebView({ [key]: 0 } as WebViewOptions)).toThrow(invalid);
      expect(() => new WebView({ [key]: 0.5 } as WebViewOptions)).toThrow(invalid);
      expect(() => new WebView({ [key]: 1 } as WebViewOptions)).not.toThrow();
    },
  );

  it.each(['heartbeatInterval', 'handshakeTimeout', 'sessionTimeout', 'closeTimeout', 'maxPendingIds', 'maxIncomingCalls', 'maxCallArguments', 'highWaterMark', 'maxSessions'] as const)(
    '%s: 0 keeps its documented meaning (off, none, or at once)',
    (key) => {
      expect(() => new WebView({ [key]: 0 } as WebViewOptions)).not.toThrow();
    },
  );

  it.each(['maxPendingIds', 'maxPendingCalls', 'maxIncomingCalls', 'maxPages', 'maxConnectionsPerPage', 'maxSessions', 'maxSessionsPerSource', 'sequenceWindow', 'maxCallArguments'] as const)(
    '%s counts, so a fraction is INVALID_OPTION',
    (key) => {
      expect(() => new WebView({ [key]: 2.5 } as WebViewOptions)).toThrow(invalid);
    },
  );

  it('the new session limits have their documented defaults', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ maxSessionsPerSource: 16, maxSessionBytes: 64 * 1024 * 1024, sequenceWindow: 1024 });
  });

  it('a small maxPayload is enforced, not ignored', async () => {
    const { wv, port, errors } = await watchedHost({ maxPayload: 1 });
    const client = new RecordingClient(`ws://127.0.0.1:${port}`);
    await client.opened;
    client.socket.send(new Float32Array([1]));
    expect((await client.closed).code).toBe(1009);
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe('MESSAGE_TOO_LARGE');
    expect(wv.pages).toHaveLength(0);
  });
});

describe('detached buffers', () => {
  it('D1 sendToWebsocket, send, sendTo, addBufferToWebSocket and updateBuffer throw DETACHED_BUFFER; nothing is sent and the host goes on', async () => {
    const { wv, port } = await watchedHost();
    const client = new RecordingClient(`ws://127.0.0.1:${port}`);
    await client.opened;
    await until(() => wv.pages.length === 1);
    const page = wv.pages[0]!;
    expect(() => wv.sendToWebsocket('f', transferred(new Float32Array(4)))).toThrow(detached);
    expect(() => wv.sendToWebSocket('f', transferred(new Float32Array(4).subarray(1)))).toThrow(detached);
    expect(() => wv.send('f', transferred(new Float32Array(4)))).toThrow(detached);
    expect(() => wv.send('i', transferred(new Int16Array(4)) as never)).toThrow(detached);
    expect(() => wv.send('b', transferred(new Uint8Array(4)) as never)).toThrow(detached);
    expect(() => wv.sendTo(page, 'f', transferred(new Float64Array(2)) as never)).toThrow(detached);
    const gone = new ArrayBuffer(8);
    structuredClone(gone, { transfer: [gone] });
    expect(() => wv.send('a', gone as never)).toThrow(detached);
    expect(() => wv.addBufferToWebSocket(1, transferred(new Float32Array(8)))).toThrow(detached);
    const registered = new Float32Array(8);
    wv.addBufferToWebSocket(2, registered);
    transferred(registered);
    expect(() => wv.updateBuffer(2)).toThrow(detached);
    // An empty array that was never transferred is data, not an error.
    expect(wv.sendToWebsocket('empty', new Float32Array(0))).toBe('sent');
    expect(wv.sendToWebsocket('after', 'still working')).toBe('sent');
    const frames = await client.waitFor(2);
    // The first frames the page got are these two: nothing of the refused sends went out before them.
    expect(frames[0]!.includes(Buffer.from('empty'))).toBe(true);
    expect(frames[1]!.includes(Buffer.from('still working'))).toBe(true);
  });
});
