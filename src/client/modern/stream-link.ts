import { encodeSubscriptions, encodeTimeSync, encodeVisibility, readStreamsReady, readStreamWindow, readTimeSync, type SubscriptionState } from '../../protocol/stream-meta.js';
import type { Frame } from '../../protocol/frame.js';
import { HostClock, pageTime } from './host-clock.js';
import { StreamAcks } from './stream-acks.js';

/** Round trips asked for right after the host announces fresh streams. */
const INITIAL_SYNCS = 5;
/** Milliseconds between later round trips (clocks drift). */
const SYNC_INTERVAL_MS = 10_000;

/**
 * The page side of fresh streams on one connection (PROTOCOL.md §4.8). Silent until the host
 * announces them (StreamsReady): a host that does not know them never gets one of their frames.
 * Then it sends the page's subscriptions and visibility, acknowledges consumed stream frames, and
 * keeps the host clock's estimate current.
 */
export class FreshStreamsLink {
  readonly acks: StreamAcks;
  readonly #send: (frame: Uint8Array) => void;
  readonly #clock: HostClock;
  #ready = false;
  #syncs = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(send: (frame: Uint8Array) => void, clock: HostClock) {
    this.#send = send;
    this.#clock = clock;
    this.acks = new StreamAcks(send);
  }

  /** True once the host announced fresh streams on this connection. */
  get ready(): boolean {
    return this.#ready;
  }

  /** The host's StreamsReady: send the page's state, start acks and clock sync. */
  start(frame: Frame, subscriptions: SubscriptionState, visible: boolean, isDefault: boolean): void {
    const { windowBytes } = readStreamsReady(frame);
    this.#ready = true;
    if (!isDefault) this.#send(encodeSubscriptions(subscriptions));
    if (!visible) this.#send(encodeVisibility(false));
    this.acks.enable(windowBytes);
    this.#askTime();
    this.#timer = setInterval(() => this.#askTime(), SYNC_INTERVAL_MS);
  }

  /** The host's StreamWindow: its window has moved, so acks go at half of the new one. */
  streamWindow(frame: Frame): void {
    const windowBytes = readStreamWindow(frame);
    if (this.#ready) this.acks.resize(windowBytes);
  }

  /** The host's answer to a TimeSync. */
  timeSync(frame: Frame): void {
    const { pageTime: askedAt, hostTime } = readTimeSync(frame);
    if (hostTime === undefined) return;
    this.#clock.sample(askedAt, hostTime);
    if (++this.#syncs < INITIAL_SYNCS) this.#askTime();
  }

  subscriptions(state: SubscriptionState): void {
    if (this.#ready) this.#send(encodeSubscriptions(state));
  }

  visibility(visible: boolean): void {
    if (this.#ready) this.#send(encodeVisibility(visible));
  }

  /** The connection has gone. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#ready = false;
    this.acks.stop();
  }

  #askTime(): void {
    this.#send(encodeTimeSync(pageTime()));
  }
}
