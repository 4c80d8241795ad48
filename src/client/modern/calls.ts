import { CallError, PendingCalls, answerCall, readCall, readReply, type CallHandler } from '../../protocol/calls.js';
import { FrameType } from '../../protocol/extension.js';
import type { Frame } from '../../protocol/frame.js';
import type { Transport } from './transport.js';
import type { ClientModule, FrameHandler, FrameRoutes } from './types.js';

/**
 * Calls both ways (extended mode): the page's calls to functions the host offered, waiting for
 * their results (bounded in number and time, rejected with `DISCONNECTED` when the connection
 * drops), and the host's calls to functions the page offered with `handle`.
 */
export class Calls implements ClientModule {
  /** A result or an error: settles the call it answers (a late or unknown one is ignored). */
  readonly #settle: FrameHandler = (frame) => void this.#pending.settle(readReply(frame));
  readonly frames: FrameRoutes = { [FrameType.Result]: this.#settle, [FrameType.Error]: this.#settle, [FrameType.Call]: (frame) => this.#answer(frame) };
  readonly #transport: Transport;
  readonly #pending: PendingCalls;
  readonly #handlers = new Map<string, CallHandler>();
  readonly #maxArguments: number;

  constructor(transport: Transport, options: { callTimeout: number; maxPendingCalls: number; maxCallArguments: number }) {
    this.#transport = transport;
    this.#pending = new PendingCalls({ timeout: options.callTimeout, max: options.maxPendingCalls });
    this.#maxArguments = options.maxCallArguments;
  }

  /** Calls made while connecting wait for the connection (bounded by their own timeout). */
  async call(name: string, args: unknown[]): Promise<unknown> {
    await this.#transport.whenOpen();
    if (this.#transport.mode === 'legacy') throw new CallError('NOT_SUPPORTED', `the host speaks only HISE's format: cannot call '${name}'`);
    const { frame, result } = this.#pending.start(name, args);
    this.#transport.write(frame);
    return result;
  }

  handle(name: string, fn: CallHandler | undefined): void {
    if (fn === undefined) this.#handlers.delete(name);
    else this.#handlers.set(name, fn);
  }

  closed(): void {
    this.#pending.rejectAll('DISCONNECTED', 'the connection dropped');
  }

  dispose(): void {
    this.#pending.rejectAll('DISCONNECTED', 'the client was closed');
  }

  /** The answer goes back on the connection the call came on, or nowhere. */
  #answer(frame: Frame): void {
    const write = this.#transport.writer();
    void answerCall(this.#handlers, readCall(frame), this.#maxArguments).then(write);
  }
}
