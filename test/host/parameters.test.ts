import { describe, expect, it } from 'vitest';
import { WebViewError, type ParameterGesture, type WebView } from '../../src/host/index.js';
import {
  decodeFrame,
  decodeMessage,
  encodeFrame,
  encodeParameterOp,
  FrameType,
  readParameterJson,
  SUBPROTOCOL,
  type Frame,
} from '../../src/protocol/index.js';
import { connect as connectClient } from '../../src/client/index.js';
import { scopeWebView } from '../../src/dev/scoped-web-view.js';
import { startHost } from '../helpers/host.js';
import { WebSocket } from 'ws';
import { connect, until } from '../helpers/node-client.js';

// The host's side of parameters with raw sockets: coded errors for every kind of bad input (and
// nothing changed), exactly-once operations, HISE mode over plain text, getState/setState.

const codeOf = (run: () => unknown): string => {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof WebViewError ? error.code : `not a WebViewError: ${String(error)}`;
  }
};

function declare(wv: WebView) {
  return {
    gain: wv.parameter('gain', { min: -60, max: 12, step: 0.1, unit: 'dB' }),
    mode: wv.parameter('mode', { choices: ['sine', 'saw'] }),
  };
}

/** A raw socket that negotiated the extension, recording what it gets. */
async function extendedSocket(port: number): Promise<{ socket: WebSocket; payloads(): Buffer[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`, [SUBPROTOCOL]);
  const received: Buffer[] = [];
  socket.on('message', (data: Buffer) => received.push(data));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, payloads: () => received };
}

/** The frames of a parameter type the client got so far. */
function framesOf(client: { payloads(): Buffer[] }, type: number): Frame[] {
  return client.payloads().map((data) => decodeFrame(new Uint8Array(data))).filter((frame) => frame.type === type);
}

describe('host parameters with raw sockets', () => {
  it('every kind of bad input gets a coded error back to the page and changes nothing', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const reported: string[] = [];
    wv.on('error', (error) => reported.push(error.code));
    const changes: unknown[] = [];
    gain.on('change', (value) => changes.push(value));
    const client = await extendedSocket(port);
    await until(() => framesOf(client, FrameType.ParameterSpecs).length === 1);
    let seq = 0;
    const op = (id: string, data: object) => client.socket.send(encodeParameterOp(id, data as never, ++seq));
    const cases: [string, object, string][] = [
      ['nope', { op: 'set', v: 1 }, 'UNKNOWN_PARAMETER'],
      ['gain', { op: 'set', v: 'loud' }, 'INVALID_PARAMETER_VALUE'],
      ['gain', { op: 'set', v: null }, 'INVALID_PARAMETER_VALUE'], // what JSON makes of NaN
      ['gain', { op: 'set', v: 12.5 }, 'PARAMETER_OUT_OF_RANGE'],
      ['gain', { op: 'end', g: 1 }, 'GESTURE_NOT_STARTED'],
      ['gain', { op: 'set', v: 1, g: 9 }, 'GESTURE_NOT_STARTED'],
      ['gain', { op: 'jump' }, 'INVALID_PARAMETER_MESSAGE'],
    ];
    for (const [id, data] of cases) op(id, data);
    op('gain', { op: 'begin', g: 1 });
    op('gain', { op: 'begin', g: 2 }); // nested
    op('mode', { op: 'begin', g: 3 }); // interleaved
    op('mode', { op: 'end', g: 1 }); // the open gesture is gain's
    await until(() => framesOf(client, FrameType.ParameterError).length === cases.length + 3);
    const errors = framesOf(client, FrameType.ParameterError).map((frame) => ({ id: frame.id, ...(readParameterJson(frame) as { code: string; op: string; message: string }) }));
    expect(errors.map((e) => [e.id, e.code])).toEqual([
      ...cases.map(([id, , code]) => [id, code]),
      ['gain', 'GESTURE_NESTED'],
      ['mode', 'GESTURE_INTERLEAVED'],
      ['mode', 'GESTURE_NOT_STARTED'],
    ]);
    expect(errors[0]).toMatchObject({ op: 'set', message: "no parameter 'nope' is declared" });
    expect(reported).toEqual(errors.map((e) => e.code));
    expect(changes).toEqual([]);
    expect(gain.value).toBe(0);
  });

  it('an operation resent with the same number is applied once; gesture events carry from and to', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const gestures: ParameterGesture<number>[] = [];
    gain.on('gesture', (g) => gestures.push(g));
    const changes: unknown[] = [];
    gain.on('change', (value, change) => changes.push([value, change.source, change.inGesture]));
    const client = await extendedSocket(port);
    const frames = [
      encodeParameterOp('gain', { op: 'begin', g: 7 }, 1),
      encodeParameterOp('gain', { op: 'set', v: -3, g: 7 }, 2),
      encodeParameterOp('gain', { op: 'set', v: -4, g: 7 }, 3),
      encodeParameterOp('gain', { op: 'end', g: 7 }, 4),
    ];
    for (const frame of [...frames, ...frames]) client.socket.send(frame);
    await until(() => gestures.length === 2);
    // The ack for all eight covers 4; the resends were ignored.
    await until(() => client.payloads().some((d) => d[0] === FrameType.Ack && d.readUInt32LE(d.length - 4) === 4));
    expect(changes).toEqual([
      [-3, 'page', true],
      [-4, 'page', true],
    ]);
    expect(gestures.map(({ page: _page, ...rest }) => rest)).toEqual([
      { phase: 'start', from: 0 },
      { phase: 'end', from: 0, to: -4, reason: 'end' },
    ]);
    // The gesture's end brings the page the authoritative value.
    await until(() => framesOf(client, FrameType.ParameterValues).length === 1);
    expect(readParameterJson(framesOf(client, FrameType.ParameterValues)[0]!)).toEqual({ gain: [-4, 'page'] });
  });

  it('values with their own toString (op, id) are refused with codes on both channels; the host lives on', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const reported: string[] = [];
    wv.on('error', (error) => reported.push(error.code));
    // HISE's channel: JSON text a page's socket sends, with objects where strings belong.
    const legacy = await connect(port);
    legacy.socket.send('{"hwv":"param","id":"gain","op":{"toString":1}}');
    legacy.socket.send('{"hwv":"param","id":{"toString":1},"op":"set","v":1}');
    legacy.socket.send('{"hwv":"param","id":"gain","op":"set","v":{"toString":1,"valueOf":1}}');
    // The extension's 0x22, unsequenced and sequenced.
    const modern = await extendedSocket(port);
    modern.socket.send(encodeFrame(FrameType.ParameterOp, 'gain', '{"op":{"toString":1}}'));
    modern.socket.send(encodeFrame(FrameType.ParameterOp, 'gain', '{"op":"set","v":{"toString":1}}', { seq: 1 }));
    await until(() => reported.length === 5);
    expect(reported).toEqual(['INVALID_PARAMETER_MESSAGE', 'UNKNOWN_PARAMETER', 'INVALID_PARAMETER_VALUE', 'INVALID_PARAMETER_MESSAGE', 'INVALID_PARAMETER_VALUE']);
    expect(gain.value).toBe(0);
    modern.socket.send(encodeParameterOp('gain', { op: 'set', v: -6 }, 2));
    await until(() => gain.value === -6); // still serving
  });

  it("HISE mode: JSON text with hwv: 'param' one way, ≤ 125-byte string messages with one id per parameter the other", async () => {
    const { wv, port } = await startHost({ extensions: false });
    const { gain } = declare(wv);
    const callback: unknown[] = [];
    wv.on('error', () => undefined); // the refusal below is reported too
    wv.setWebSocketCallback((data) => void callback.push(data));
    const client = await connect(port);
    client.socket.send(JSON.stringify({ hwv: 'param', id: '', op: 'sync' }));
    // Per parameter: its value, then its spec in parts, each payload ≤ 125 bytes as HISE can send it (PROTOCOL.md §9).
    const messages = (): { id: string; data: string; bytes: number }[] =>
      client.messages.map((m) => ({ ...(decodeMessage(new Uint8Array(m.data)) as { id: string; data: string }), bytes: m.data.byteLength }));
    const specOf = (id: string): Record<string, unknown> | undefined => {
      const parts = messages().filter((m) => m.id.startsWith('hwv:s') && m.id.endsWith(`:${id}`));
      const count = Number(/\/(\d+):/.exec(parts[0]?.id ?? '')?.[1] ?? 0);
      if (count === 0 || parts.length < count) return undefined;
      expect(parts.map((m) => m.id)).toEqual(parts.map((_, k) => `hwv:s${k}/${count}:${id}`));
      return Object.assign({}, ...parts.map((m) => JSON.parse(m.data)));
    };
    await until(() => specOf('gain') !== undefined && specOf('mode') !== undefined);
    expect(specOf('gain')).toMatchObject({ type: 'number', min: -60, max: 12, step: 0.1, unit: 'dB' });
    expect(specOf('mode')).toMatchObject({ type: 'choice', choices: ['sine', 'saw'] });
    expect(messages().find((m) => m.id === 'hwv:v:gain')?.data).toBe('{"v":0,"s":"host"}');
    expect(messages().every((m) => m.bytes <= 125)).toBe(true);
    const seen = client.messages.length;
    client.socket.send(JSON.stringify({ hwv: 'param', id: 'gain', op: 'set', v: -6 }));
    await until(() => gain.value === -6);
    client.socket.send(JSON.stringify({ hwv: 'param', id: 'gain', op: 'set', v: 'x' }));
    await client.waitFor(seen + 1);
    const refused = messages()[seen]!;
    expect(refused.id).toBe('hwv:e:gain');
    expect(JSON.parse(refused.data)).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', op: 'set' });
    gain.set(2);
    await client.waitFor(seen + 2);
    expect(messages()[seen + 1]).toMatchObject({ id: 'hwv:v:gain', data: '{"v":2,"s":"host"}' });
    client.socket.send(JSON.stringify({ other: 1 }));
    await until(() => callback.length === 1);
    expect(callback).toEqual([{ other: 1 }]); // parameter messages never reach the callback
  });

  it('the host’s own API: clamps, refuses the wrong type and bad specs; a parameter event per new id', async () => {
    const { wv } = await startHost();
    const declared: string[] = [];
    wv.on('parameter', (parameter) => declared.push(parameter.id));
    const { gain, mode } = declare(wv);
    expect(declared).toEqual(['gain', 'mode']);
    gain.set(99);
    expect(gain.value).toBe(12);
    gain.setNormalized(0.5);
    expect(gain.value).toBe(-24);
    expect(gain.text).toBe('-24.0 dB');
    expect(codeOf(() => gain.set(Number.NaN))).toBe('INVALID_PARAMETER_VALUE');
    expect(codeOf(() => mode.set('square' as never))).toBe('INVALID_PARAMETER_VALUE');
    // Declared again (a host module restarting): the same parameter, the new spec, the value kept if it fits.
    expect(wv.parameter('gain', { min: -60, max: 12, step: 0.1, unit: 'dB' })).toBe(gain);
    expect(gain.value).toBe(-24);
    expect(wv.parameter('gain', { min: 0, max: 1 })).toBe(gain);
    expect([gain.value, gain.spec.type === 'number' && gain.spec.max]).toEqual([0, 1]);
    expect(codeOf(() => wv.parameter('x', { min: 2, max: 1 }))).toBe('INVALID_PARAMETER_SPEC');
    expect(codeOf(() => wv.parameter('', { min: 0, max: 1 }))).toBe('INVALID_ID');
    expect([...wv.parameters.keys()]).toEqual(['gain', 'mode']);
    expect(declared).toEqual(['gain', 'mode']); // declaring again is no new parameter
    expect(wv.parameters.get('mode')!.spec).toEqual({ type: 'choice', choices: ['sine', 'saw'], default: 'sine', label: '' });
  });

  it('getState and setState: parameters and retained ids as plain JSON; a bad state changes nothing', async () => {
    const { wv } = await startHost();
    const { gain, mode } = declare(wv);
    wv.retain('scope', 'preset', 'title');
    gain.set(-6);
    mode.set('saw');
    wv.send('scope', new Float32Array([0.5, -1]));
    wv.send('preset', { name: 'warm', n: [1, 2] });
    wv.send('title', 'hello');
    const state = wv.getState();
    expect(JSON.parse(JSON.stringify(state))).toEqual({
      version: 1,
      parameters: { gain: -6, mode: 'saw' },
      retained: {
        scope: { type: 'float32', value: [0.5, -1] },
        preset: { type: 'json', value: { name: 'warm', n: [1, 2] } },
        title: { type: 'string', value: 'hello' },
      },
    });
    gain.reset();
    mode.reset();
    wv.send('title', 'changed');
    const changes: unknown[] = [];
    gain.on('change', (value, change) => changes.push([value, change.source]));
    expect(wv.setState({ ...state, parameters: { ...state.parameters, removed: 1 } })).toEqual({ ignored: ['removed'] });
    expect([gain.value, mode.value]).toEqual([-6, 'saw']);
    expect(changes).toEqual([[-6, 'host']]);
    expect(wv.getState()).toEqual(state);
    for (const bad of [
      null,
      { version: 2, parameters: {} },
      { version: 1, parameters: { gain: 'loud', mode: 'sine' } },
      { version: 1, parameters: { mode: 'square' } },
      { version: 1, parameters: [] },
      { version: 1, retained: { scope: { type: 'float32', value: ['a'] } } },
      { version: 1, retained: { scope: { type: 'int8', value: [] } } },
    ]) {
      expect(codeOf(() => wv.setState(bad as never)), JSON.stringify(bad)).toBe('INVALID_STATE');
    }
    expect(wv.getState()).toEqual(state);
  });

  it('a host module that restarts (dev loop) gets its parameters back, value kept, its old listeners gone', async () => {
    const { wv } = await startHost();
    const first = scopeWebView(wv);
    const gain = first.webView.parameter('gain', { min: -60, max: 12 });
    gain.on('change', () => undefined);
    gain.set(-6);
    first.dispose();
    expect(gain.listenerCount('change')).toBe(0);
    const second = scopeWebView(wv);
    expect(second.webView.parameter('gain', { min: -60, max: 12 })).toBe(gain);
    expect(gain.value).toBe(-6);
  });

  it('HISE mode: a client asks for the parameters only once it uses them, also after it opened', async () => {
    const { wv, port } = await startHost({ extensions: false });
    const { gain } = declare(wv);
    gain.set(-3);
    const texts: unknown[] = [];
    wv.setWebSocketCallback((data) => void texts.push(data));
    const client = connectClient({ port, extensions: false, WebSocket: WebSocket as never, reconnect: false });
    try {
      await client.ready;
      client.send('json', { plain: true });
      await until(() => texts.length === 1);
      const param = client.parameter('gain'); // after the open: the client asks now
      await param.ready;
      expect([param.value, param.text]).toEqual([-3, '-3.0 dB']);
      expect(texts).toEqual([{ plain: true }]); // a page without parameters sends HISE nothing of them
    } finally {
      client.close();
    }
  });
});
