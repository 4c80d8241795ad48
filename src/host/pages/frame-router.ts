import { decodeFrame, ProtocolError } from '../../protocol/index.js';
import type { Capability, FrameTable } from '../capability.js';
import type { HostCore } from '../core.js';
import { WebViewError } from '../errors.js';
import type { Connection } from './connection.js';
import { decodePageMessage } from './inbound.js';

/**
 * Reads what pages send and hands it to the capability that owns it: a modern page's frames by
 * type through the capabilities' {@link FrameTable}s (PROTOCOL.md §4), a HISE-format page's
 * messages to the first capability that takes them. Bad input is reported with a code, never thrown.
 */
export class FrameRouter {
  readonly #core: HostCore;
  readonly #table: FrameTable = {};
  readonly #hise: Capability[];
  readonly #refusers: Capability[];

  constructor(core: HostCore, capabilities: readonly Capability[]) {
    this.#core = core;
    for (const capability of capabilities) {
      for (const [type, handler] of Object.entries(capability.frames ?? {})) {
        if (this.#table[Number(type) as keyof FrameTable] !== undefined) throw new Error(`two capabilities read frame type ${type}`);
        this.#table[Number(type) as keyof FrameTable] = handler;
      }
    }
    this.#hise = capabilities.filter((capability) => capability.hiseMessage !== undefined);
    this.#refusers = capabilities.filter((capability) => capability.refuses !== undefined);
  }

  /** One WebSocket message of `connection`. */
  receive(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.extended) this.#receiveFrame(connection, data, isBinary);
    else this.#receiveHise(connection, data, isBinary);
  }

  #receiveFrame(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.#core.report(new WebViewError('INVALID_FRAME', 'an extended page sent a text frame', { data: data.toString('utf8') }), connection);
      return;
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      const frame = decodeFrame(bytes);
      const handler = this.#table[frame.type];
      if (handler === undefined) throw new ProtocolError('UNKNOWN_TYPE', `a page may not send frame type 0x${frame.type.toString(16)}`);
      if (this.#refusers.some((capability) => capability.refuses!(connection, frame, undefined))) return;
      handler(connection, frame);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const code = error.code === 'INVALID_JSON' ? 'INVALID_JSON' : 'INVALID_FRAME';
      this.#core.report(new WebViewError(code, error.message, { cause: error, data: new Uint8Array(bytes) }), connection);
    }
  }

  #receiveHise(connection: Connection, data: Buffer, isBinary: boolean): void {
    this.#core.hise?.received(connection, data.byteLength, isBinary);
    let message: unknown;
    try {
      message = decodePageMessage(data, isBinary);
    } catch (error) {
      this.#core.report(error as WebViewError, connection);
      return;
    }
    if (this.#refusers.some((capability) => capability.refuses!(connection, undefined, message))) return;
    for (const capability of this.#hise) if (capability.hiseMessage!(connection, message)) return;
  }
}
