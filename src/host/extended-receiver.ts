import {
  answerCall,
  CallError,
  decodeFrame,
  encodeCallError,
  encodeAck,
  readAck,
  FrameType,
  ProtocolError,
  readCall,
  readPayload,
  readParameterJson,
  readReply,
  type CallHandler,
} from '../protocol/index.js';
import { WebViewError } from './errors.js';
import { Observers } from './observer.js';
import { controlFrame } from './outbound.js';
import type { Connection } from './connection.js';
import { SessionLedger, type SequenceVerdict } from './sessions.js';
import { sessionSource } from './session-source.js';

/** What the receiver needs from the host. */
export interface ReceiverHost {
  readonly handlers: ReadonlyMap<string, CallHandler>;
  readonly ledger: SessionLedger;
  /** Calls from this page that may run at once; more are answered `TOO_MANY_CALLS` unrun. */
  readonly maxIncomingCalls: number;
  readonly maxCallArguments: number;
  /** Sees every call this page makes to the host, with its outcome. */
  readonly observers: Observers;
  /** Hands a data message to the `on(id)` handlers and the catch-all callback. */
  deliver(page: Connection, id: string, value: unknown): void;
  /** The page has delivered the host's sequenced messages up to `seq`. */
  acknowledge(page: Connection, seq: number): void;
  /** A parameter operation (frame 0x22), delivered once like a data message (PROTOCOL.md "Parameters"); without it, they are dropped. */
  parameter?(page: Connection, id: string, data: unknown): void;
  report(error: WebViewError, page: Connection): void;
}

/**
 * Reads the frames of one page that negotiated the extension (PROTOCOL.md §4): data messages
 * (delivered once, by sequence number, and acknowledged), calls to the host, and replies to the
 * host's calls.
 */
export class ExtendedReceiver {
  readonly #page: Connection;
  readonly #host: ReceiverHost;
  /** Numbers seen on this connection, for pages without a session id (one entry, under the key ''). */
  readonly #connectionLedger: SessionLedger;
  #ackScheduled = false;
  /** The number this connection sent last (not refused): its ack is the end of the ledger's run holding it. */
  #lastJudged = 0;
  /** Calls from this page whose handlers have not finished yet. */
  #runningCalls = 0;

  constructor(page: Connection, host: ReceiverHost) {
    this.#page = page;
    this.#host = host;
    this.#connectionLedger = new SessionLedger(1, host.ledger.window);
  }

  receive(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.#host.report(new WebViewError('INVALID_FRAME', 'an extended page sent a text frame', { data: data.toString('utf8') }), this.#page);
      return;
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      const frame = decodeFrame(bytes);
      switch (frame.type) {
        case FrameType.Call:
          this.#answer(readCall(frame));
          return;
        case FrameType.Result:
        case FrameType.Error:
          this.#page.calls.settle(readReply(frame));
          return;
        case FrameType.Ack:
          this.#host.acknowledge(this.#page, readAck(frame));
          return;
        case FrameType.StreamAck:
        case FrameType.Subscriptions:
        case FrameType.Visibility:
        case FrameType.TimeSync:
          if (this.#page.streams === undefined) throw new ProtocolError('INVALID_CONTROL_FRAME', 'a page that did not offer fresh streams sent one of their frames');
          this.#page.streams.receive(frame);
          return;
        default: {
          // The number counts as seen even when the payload turns out bad, so a resend cannot loop;
          // the payload is read even for a duplicate, so a bad one is always reported.
          const verdict = frame.seq === undefined ? 'new' : this.#judge(frame.seq);
          if (verdict === 'out-of-window') {
            this.#refuseSequence(frame.seq!, frame.id);
            return;
          }
          if (frame.type === FrameType.ParameterOp) {
            const op = readParameterJson(frame);
            if (verdict === 'new') this.#host.parameter?.(this.#page, frame.id, op);
            return;
          }
          const value = readPayload(frame);
          if (verdict === 'new') this.#host.deliver(this.#page, frame.id, value);
        }
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const code = error.code === 'INVALID_JSON' ? 'INVALID_JSON' : 'INVALID_FRAME';
      this.#host.report(new WebViewError(code, error.message, { cause: error, data: new Uint8Array(bytes) }), this.#page);
    }
  }

  /** Judges `seq` against the session's ledger (recording it when new) and schedules an ack. */
  #judge(seq: number): SequenceVerdict {
    const verdict = this.#ledger().accept(this.#page.session ?? '', seq, sessionSource(this.#page));
    if (verdict !== 'out-of-window') {
      this.#lastJudged = seq;
      this.#scheduleAck();
    }
    return verdict;
  }

  /** A number too far past the session's last one: never delivered, never recorded (PROTOCOL.md §4, "Sequence numbers"). */
  #refuseSequence(seq: number, id: string): void {
    const last = this.#ledger().last(this.#page.session ?? '');
    this.#host.report(
      new WebViewError('INVALID_SEQUENCE', `message '${id}' is numbered ${seq}, more than ${this.#host.ledger.window} past the session's highest delivered number ${last}: refused`),
      this.#page,
    );
  }

  #ledger(): SessionLedger {
    return this.#page.session === undefined ? this.#connectionLedger : this.#host.ledger;
  }

  /** One ack per turn of the event loop, for the highest number delivered so far. */
  #scheduleAck(): void {
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    setImmediate(() => {
      this.#ackScheduled = false;
      // The end of this connection's own run: a number forged far ahead on a stolen id is never acknowledged to the owner.
      this.#page.deliver(controlFrame(encodeAck(this.#ledger().acknowledged(this.#page.session ?? '', this.#lastJudged))));
    });
  }

  #answer(call: ReturnType<typeof readCall>): void {
    if (this.#runningCalls >= this.#host.maxIncomingCalls) {
      const refusal = new CallError('TOO_MANY_CALLS', `${this.#host.maxIncomingCalls} calls from this page are already running; '${call.name}' was not run`);
      this.#page.deliver(controlFrame(encodeCallError(call.callId, refusal)));
      return;
    }
    this.#runningCalls++;
    const settle = this.#host.observers.callStarted('page-to-host', call.name, call.args, this.#page.page);
    void answerCall(this.#host.handlers, call, this.#host.maxCallArguments)
      .finally(() => this.#runningCalls--)
      .then((reply) => {
        Observers.settleFromReply(settle, reply);
        this.#page.deliver(controlFrame(reply));
      });
  }
}
