import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeCall,
  encodeFrame,
  encodeValue,
  FrameType,
  PendingCalls,
  ProtocolError,
  type CallHandler,
} from '../../src/protocol/index.js';
import { WebViewError, type Connection } from '../../src/host/index.js';
import { EventEmitter } from 'node:events';
import { FrameRouter } from '../../src/host/pages/frame-router.js';
import { HostCore } from '../../src/host/core.js';
import { Calls } from '../../src/host/calls.js';
import { Inbox } from '../../src/host/inbox.js';
import { Delivery } from '../../src/host/delivery/delivery.js';
import { InboundOrder } from '../../src/host/delivery/inbound-order.js';
import { PageRegistry } from '../../src/host/pages/registry.js';
import { decodePageMessage } from '../../src/host/pages/inbound.js';
import { resolveOptions } from '../../src/host/options.js';

// The host's own decoding of what pages send, under random and mutated input: it returns a value or
// reports a coded WebViewError, and never throws anything else (test/protocol covers the codecs).

const HOST_CODES = new Set(['INVALID_JSON', 'INVALID_FLOAT_PAYLOAD', 'INVALID_FRAME', 'INVALID_SEQUENCE']);

describe('decodePageMessage (HISE-style pages)', () => {
  it('binary: a Float32Array of byteLength / 4, or INVALID_FLOAT_PAYLOAD with the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(7), (bytes, offset) => {
        const buffer = Buffer.alloc(bytes.length + offset);
        buffer.set(bytes, offset);
        const view = buffer.subarray(offset); // any alignment, as ws hands them over
        try {
          const value = decodePageMessage(view, true) as Float32Array;
          expect(value).toBeInstanceOf(Float32Array);
          expect(value.length * 4).toBe(bytes.length);
          expect(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).toEqual(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(WebViewError);
          expect((error as WebViewError).code).toBe('INVALID_FLOAT_PAYLOAD');
          expect(bytes.length % 4).not.toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('text: a string, parsed JSON, or INVALID_JSON carrying the raw text', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.json(), fc.json().map((j) => j.slice(0, Math.floor(j.length / 2))));
    fc.assert(
      fc.property(text, (t) => {
        try {
          decodePageMessage(Buffer.from(t, 'utf8'), false);
        } catch (error) {
          expect(error).toBeInstanceOf(WebViewError);
          expect((error as WebViewError).code).toBe('INVALID_JSON');
          expect((error as WebViewError).data).toBe(Buffer.from(t, 'utf8').toString('utf8'));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

/** The host's frame router, with the capabilities that read a modern page's frames, wired to a fake page; records what happens. */
function receiver() {
  const reports: WebViewError[] = [];
  const delivered: unknown[] = [];
  const sent: Uint8Array[] = [];
  const page = {
    extended: true,
    session: 'fuzz',
    calls: new PendingCalls({ timeout: 1000, max: 8 }),
    deliver: (frame: { bytes: Uint8Array }) => void sent.push(frame.bytes),
  } as unknown as Connection;
  const events = new EventEmitter().on('error', (error: WebViewError) => void reports.push(error));
  const core = new HostCore(resolveOptions({ maxIncomingCalls: 4 }), events as never);
  core.started = Promise.resolve(0);
  const calls = new Calls(core, new PageRegistry(core));
  calls.handle('echo', ((...args: unknown[]) => args) as CallHandler);
  const inbox = new Inbox(core, new InboundOrder(core));
  inbox.setCallback((value, _page, id) => void delivered.push([id, value]));
  // Observed, so that fuzzed calls also go through the observer's description of them.
  core.observe(() => undefined);
  const router = new FrameRouter(core, [calls, inbox, new Delivery(core)]);
  const rx = { receive: (data: Buffer, isBinary: boolean) => router.receive(page, data, isBinary) };
  return { rx, reports, delivered, sent };
}

const id = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\0'));
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.json().map((j) => JSON.parse(j) as unknown),
  fc.float32Array({ maxLength: 16 }),
  fc.uint8Array({ maxLength: 16 }),
  fc.int16Array({ maxLength: 16 }),
  fc.float64Array({ maxLength: 8 }),
);
const goodFrame = fc.oneof(
  fc.tuple(id, value, fc.option(fc.nat(), { nil: undefined })).map(([i, v, seq]) => encodeValue(i, v, { align: true, ...(seq === undefined ? {} : { seq }) })),
  fc.tuple(fc.nat(), fc.constantFrom('echo', 'missing', '__proto__'), fc.array(fc.integer(), { maxLength: 4 })).map(([c, name, args]) => encodeCall(c, name, args)),
  fc.tuple(fc.nat(), fc.constantFrom(FrameType.Result, FrameType.Error, FrameType.Ack), fc.string({ maxLength: 30 })).map(([, type, data]) =>
    encodeFrame(type, '', data, { align: true }),
  ),
);

describe('ExtendedReceiver (pages with the extension)', () => {
  it('random bytes, mutated frames and truncations: delivered, answered, or reported with a code; never thrown', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(goodFrame, fc.nat(), fc.nat(255)).map(([bytes, at, b]) => {
        const mutated = bytes.slice();
        mutated[at % mutated.length] = b;
        return mutated;
      }),
      fc.tuple(goodFrame, fc.nat()).map(([bytes, cut]) => bytes.subarray(0, cut % (bytes.length + 1))),
      goodFrame,
    );
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), fc.boolean(), (frames, asText) => {
        const { rx, reports } = receiver();
        for (const bytes of frames) {
          const buffer = Buffer.from(bytes);
          expect(() => rx.receive(buffer, !asText)).not.toThrow();
        }
        for (const report of reports) {
          expect(report).toBeInstanceOf(WebViewError);
          expect(HOST_CODES.has(report.code)).toBe(true);
          // A number out of the session's window is refused before its payload is read: no protocol cause.
          if (!asText && report.code !== 'INVALID_SEQUENCE') expect(report.cause).toBeInstanceOf(ProtocolError);
        }
        if (asText) expect(reports).toHaveLength(frames.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('a well-formed data frame is delivered as the value that was encoded', () => {
    fc.assert(
      fc.property(id, value, (i, v) => {
        const { rx, delivered, reports } = receiver();
        rx.receive(Buffer.from(encodeValue(i, v, { align: true })), true);
        expect(reports).toEqual([]);
        expect(delivered).toEqual([[i, v]]);
      }),
      { numRuns: 1000 },
    );
  });
});
