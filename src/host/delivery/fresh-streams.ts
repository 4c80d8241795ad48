import {
  encodeStreamsReady,
  encodeStreamWindow,
  encodeTimeSync,
  FrameType,
  ProtocolError,
  readStreamAck,
  readSubscriptions,
  readTimeSync,
  readVisibility,
  STREAMS_VERSION,
  type Frame,
} from '../../protocol/index.js';
import { hostTime } from './host-clock.js';
import { controlFrame, wireBytes, type WireFrame } from './outbound.js';
import type { DeliveryResult } from './page-outbox.js';
import { StreamCredit } from './stream-credit.js';
import { Subscriptions } from './subscriptions.js';

/** How many slots late a capped id may be and still keep its cadence (catch up) rather than restart it. */
const CATCH_UP_SLOTS = 2;
/**
 * The page is told the window again once it is this factor away from the last one it was told
 * (either way): the page acks at half the window it knows, so it always acks before the host's
 * window fills, and a window that grows for a fast page is not eaten up by one ack per frame.
 */
const ADVERTISE_FACTOR = 1.5;

/** The longest delay `setTimeout` takes (longer ones fire after 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Limits of {@link FreshStreams}. */
export interface FreshStreamsLimits {
  /** Bytes of stream frames in flight at once, at least (0: no limit). */
  streamWindow: number;
  /** Milliseconds of the page's consumption the window grows to when that is more than `streamWindow` (0: fixed). */
  streamLatency: number;
  /** The most the window grows to for a fast page (bytes; the host's `maxStreamWindow`). */
  maxStreamWindow: number;
  /** Ids a Subscriptions frame may name. */
  maxSubscriptionIds: number;
}

/** Counters of one stream id on one connection. */
export interface StreamIdStats {
  /** Frames handed to the socket. */
  sent: number;
  /** Frames replaced by a newer one of the id before they went (latest wins). */
  coalesced: number;
  /** Frames not sent because the page has not subscribed to the id. */
  unsubscribed: number;
}

/** A read-only view of one connection's fresh streams (for an inspector). */
export interface FreshStreamsStats {
  /** Bytes of stream frames written and not yet acknowledged by the page. */
  readonly bytesInFlight: number;
  /** The window now (bytes): `streamWindow`, or more for a fast page; 0: no limit. */
  readonly windowBytes: number;
  /** False while the page reports itself hidden. */
  readonly visible: boolean;
  /** Stream ids with a frame waiting (for credit, visibility or a rate cap). */
  readonly waiting: number;
  /** Per stream id. */
  readonly ids: ReadonlyMap<string, Readonly<StreamIdStats>>;
}

/** Where {@link FreshStreams} writes. */
export interface FreshStreamsSink {
  /** Writes a stream frame (through the connection's backpressure outbox). */
  stream(frame: WireFrame): DeliveryResult;
  /** Writes a control frame. */
  control(frame: WireFrame): void;
}

/**
 * The fresh-streams policy of one connection whose page offered it (PROTOCOL.md §4.8): a stream
 * frame goes only to a page that subscribed to its id, is visible, is within the id's rate cap and
 * has credit; otherwise the newest frame of each id waits (latest wins) and goes as soon as all
 * four hold. Control frames never pass through here, so nothing about streams ever delays them.
 */
export class FreshStreams {
  readonly #sink: FreshStreamsSink;
  readonly #limits: FreshStreamsLimits;
  readonly #credit: StreamCredit;
  readonly #subscriptions = new Subscriptions();
  /** The newest waiting frame of each id, in the order the ids started waiting. */
  readonly #waiting = new Map<string, WireFrame>();
  /** When each capped id may next go (ms, host clock). */
  readonly #nextSlot = new Map<string, number>();
  readonly #ids = new Map<string, StreamIdStats>();
  #visible = true;
  /** Frames replaced while they waited here (the outbox counts those it replaces itself). */
  #coalesced = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #whenFree: { promise: Promise<void>; resolve: () => void } | undefined;
  /** The window the page was last told (StreamsReady, then StreamWindow). */
  #advertised: number;

  constructor(sink: FreshStreamsSink, limits: FreshStreamsLimits) {
    this.#sink = sink;
    this.#limits = limits;
    this.#credit = new StreamCredit({ min: limits.streamWindow, max: Math.max(limits.streamWindow, limits.maxStreamWindow), latency: limits.streamLatency });
    this.#advertised = limits.streamWindow;
  }

  /** @internal Tells the page that the host speaks fresh streams (after Hello). */
  announce(): void {
    this.#sink.control(controlFrame(encodeStreamsReady(STREAMS_VERSION, this.#limits.streamWindow)));
  }

  /** Frames replaced by a newer frame of their id while they waited for credit, visibility or a rate cap. */
  get coalesced(): number {
    return this.#coalesced;
  }

  /** Bytes of the frames waiting here. */
  get waitingBytes(): number {
    let bytes = 0;
    for (const frame of this.#waiting.values()) bytes += wireBytes(frame);
    return bytes;
  }

  get stats(): FreshStreamsStats {
    return { bytesInFlight: this.#credit.inFlight, windowBytes: this.#credit.window, visible: this.#visible, waiting: this.#waiting.size, ids: this.#ids };
  }

  /** @internal Offers one stream frame; `'skipped'` when the page did not subscribe to its id. */
  offer(frame: WireFrame): DeliveryResult | 'skipped' {
    const counts = this.#countsOf(frame.id);
    if (!this.#subscriptions.wants(frame.id)) {
      counts.unsubscribed++;
      return 'skipped';
    }
    if (this.#waiting.has(frame.id) || !this.#mayGo(frame, performance.now())) return this.#wait(frame, counts);
    return this.#send(frame, counts);
  }

  /** @internal A frame that was handed to the socket was replaced before it went: it never reaches the page. */
  discarded(frame: WireFrame): void {
    this.#credit.refund(wireBytes(frame));
    this.#countsOf(frame.id).coalesced++;
  }

  /**
   * @internal Reads one of the page's fresh-streams frames (types 0x15–0x18).
   * @throws {ProtocolError} `INVALID_CONTROL_FRAME` for a malformed one, or an ack of more than was sent
   */
  receive(frame: Frame): void {
    switch (frame.type) {
      case FrameType.StreamAck:
        if (!this.#credit.ack(readStreamAck(frame))) throw new ProtocolError('INVALID_CONTROL_FRAME', 'a stream ack counts more bytes than the host sent');
        this.#advertiseWindow();
        break;
      case FrameType.Subscriptions:
        this.#subscriptions.set(readSubscriptions(frame, this.#limits.maxSubscriptionIds));
        for (const id of this.#waiting.keys()) if (!this.#subscriptions.wants(id)) this.#waiting.delete(id);
        this.#freed();
        this.#nextSlot.clear();
        break;
      case FrameType.Visibility:
        this.#visible = readVisibility(frame);
        break;
      case FrameType.TimeSync: {
        const { pageTime, hostTime: answered } = readTimeSync(frame);
        if (answered !== undefined) throw new ProtocolError('INVALID_CONTROL_FRAME', 'a page asks the time; it does not answer it');
        this.#sink.control(controlFrame(encodeTimeSync(pageTime, hostTime())));
        return;
      }
      default:
        throw new ProtocolError('INVALID_CONTROL_FRAME', `frame type 0x${frame.type.toString(16)} is not a fresh-streams frame`);
    }
    this.#flush();
  }

  /**
   * Resolves once no stream frame waits here (at once when none does): for a producer that sends
   * as fast as the page takes, instead of polling or replacing waiting frames.
   */
  whenFree(): Promise<void> {
    if (this.#waiting.size === 0) return Promise.resolve();
    if (this.#whenFree === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#whenFree = { promise, resolve };
    }
    return this.#whenFree.promise;
  }

  /** @internal Stops the rate timer (the connection has gone). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting.clear();
    this.#freed();
  }

  /** Tells the page the window when it has moved far from what the page knows (it sets when the page acks). */
  #advertiseWindow(): void {
    const window = this.#credit.window;
    if (window === 0 || (window < this.#advertised * ADVERTISE_FACTOR && window * ADVERTISE_FACTOR > this.#advertised)) return;
    this.#advertised = window;
    this.#sink.control(controlFrame(encodeStreamWindow(window)));
  }

  #freed(): void {
    if (this.#waiting.size > 0 || this.#whenFree === undefined) return;
    const { resolve } = this.#whenFree;
    this.#whenFree = undefined;
    resolve();
  }

  #mayGo(frame: WireFrame, now: number): boolean {
    if (!this.#visible || !this.#credit.allows(wireBytes(frame))) return false;
    const slot = this.#nextSlot.get(frame.id);
    if (slot !== undefined && now < slot) {
      this.#wakeAt(slot);
      return false;
    }
    return true;
  }

  #wait(frame: WireFrame, counts: StreamIdStats): DeliveryResult {
    const replaced = this.#waiting.has(frame.id);
    this.#waiting.set(frame.id, frame);
    if (!replaced) return 'queued';
    counts.coalesced++;
    this.#coalesced++;
    return 'coalesced';
  }

  #send(frame: WireFrame, counts: StreamIdStats): DeliveryResult {
    this.#credit.spend(wireBytes(frame));
    counts.sent++;
    const interval = this.#subscriptions.interval(frame.id);
    if (interval > 0) {
      const now = performance.now();
      const slot = this.#nextSlot.get(frame.id);
      // Slots keep the cadence: a frame up to two slots late (a busy event loop) does not push every
      // later one back, so the rate holds on average; after a longer pause it starts again from now.
      this.#nextSlot.set(frame.id, slot !== undefined && now - slot < CATCH_UP_SLOTS * interval ? slot + interval : now + interval);
    }
    return this.#sink.stream(frame);
  }

  /** Sends the waiting frames that may go now, the longest waiting id first. */
  #flush(): void {
    const now = performance.now();
    for (const [id, frame] of this.#waiting) {
      if (!this.#visible) break;
      if (!this.#mayGo(frame, now)) {
        if (!this.#credit.allows(wireBytes(frame))) break;
        continue; // capped: its timer is set
      }
      this.#waiting.delete(id);
      this.#send(frame, this.#countsOf(id));
    }
    this.#freed();
  }

  #wakeAt(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#flush();
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - performance.now())));
  }

  #countsOf(id: string): StreamIdStats {
    let counts = this.#ids.get(id);
    if (counts === undefined) this.#ids.set(id, (counts = { sent: 0, coalesced: 0, unsubscribed: 0 }));
    return counts;
  }
}
