import { FrameType } from '../../protocol/extension.js';
import type { Frame } from '../../protocol/frame.js';
import { readTimedFrame, STREAM_TYPES, type StreamMeta } from '../../protocol/stream-meta.js';
import { HostClock } from './host-clock.js';
import type { Inbox } from './inbox.js';
import { FreshStreamsLink } from './stream-link.js';
import { SubscriptionBook, type SubscribeOptions } from './subscription-book.js';
import type { ClientMode, ClientModule, FrameHandler, FrameRoutes, Write } from './types.js';

type PageDocument = Pick<Partial<Document>, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;

/**
 * Stream frames (typed arrays, bytes; timed or not) to the listeners, and fresh streams when
 * offered (PROTOCOL.md §4.8): per connection a {@link FreshStreamsLink} (credit, subscriptions,
 * visibility, clock sync), across connections the page's subscriptions and the host clock.
 */
export class Streams implements ClientModule {
  readonly frames: FrameRoutes;
  readonly #inbox: Inbox;
  readonly #fresh: boolean;
  readonly #clock = new HostClock();
  readonly #subscriptions = new SubscriptionBook();
  #subscriptionsChanged = false;
  /** Fresh streams on the current connection (extended mode). */
  #link: FreshStreamsLink | undefined;
  readonly #document = (globalThis as { document?: PageDocument }).document;

  constructor(inbox: Inbox, freshStreams: boolean) {
    this.#inbox = inbox;
    this.#fresh = freshStreams;
    const stream: FrameHandler = (frame, bytes) => this.#deliver(bytes, () => ({ frame, meta: undefined }));
    const frames: Record<number, FrameHandler> = {
      [FrameType.StreamsReady]: (frame) => this.#link?.start(frame, this.#subscriptions.state, this.#visible(), !this.#subscriptionsChanged),
      [FrameType.TimeSync]: (frame) => this.#link?.timeSync(frame),
      [FrameType.StreamWindow]: (frame) => this.#link?.streamWindow(frame),
      [FrameType.Timed]: (frame, bytes) => this.#deliver(bytes, () => readTimedFrame(frame)),
    };
    for (const type of STREAM_TYPES) frames[type] = stream;
    this.frames = frames;
    if (freshStreams) this.#document?.addEventListener?.('visibilitychange', this.#onVisibilityChange);
  }

  subscribe(ids: string | readonly string[] | undefined, options: SubscribeOptions | undefined): void {
    this.#subscriptions.subscribe(typeof ids === 'string' ? [ids] : ids, options);
    this.#changed();
  }

  unsubscribe(ids: string | readonly string[] | undefined): void {
    this.#subscriptions.unsubscribe(typeof ids === 'string' ? [ids] : ids);
    this.#changed();
  }

  hostTime(): number | undefined {
    return this.#clock.now();
  }

  opened(mode: ClientMode, write: Write): void {
    this.#link?.stop();
    this.#link = this.#fresh && mode === 'extended' ? new FreshStreamsLink(write, this.#clock) : undefined;
  }

  closed(): void {
    this.#link?.stop();
  }

  dispose(): void {
    this.#document?.removeEventListener?.('visibilitychange', this.#onVisibilityChange);
    this.#link?.stop();
  }

  /**
   * Hands a stream frame to the listeners and counts it as consumed for the host's window, also
   * when it turns out unreadable (the host counted it as sent either way).
   */
  #deliver(message: Uint8Array, unwrap: () => { frame: Frame; meta: StreamMeta | undefined }): void {
    try {
      const { frame, meta } = unwrap();
      this.#inbox.deliver(frame, meta);
    } finally {
      this.#link?.acks.consumed(message.byteLength);
    }
  }

  #changed(): void {
    this.#subscriptionsChanged = true;
    this.#link?.subscriptions(this.#subscriptions.state);
  }

  readonly #onVisibilityChange = (): void => {
    this.#link?.visibility(this.#visible());
  };

  #visible(): boolean {
    return this.#document?.visibilityState !== 'hidden';
  }
}
