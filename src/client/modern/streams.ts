import { FrameType } from '../../protocol/extension.js';
import type { Frame } from '../../protocol/frame.js';
import { ownedFrame, readOwnedHead, type OwnedHead } from '../../protocol/owned-frame.js';
import { readTimedFrame, STREAM_TYPES, type StreamMeta } from '../../protocol/stream-meta.js';
import { HostClock } from './host-clock.js';
import type { Inbox } from './inbox.js';
import { FreshStreamsLink } from './stream-link.js';
import { SubscriptionBook, type SubscribeOptions } from './subscription-book.js';
import type { ClientMode, ClientModule, FrameHandler, FrameRoutes, Write } from './types.js';

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
  readonly #document: PageDocument | undefined;
  /** An owned frame's head (PROTOCOL.md §4.9) whose payload is the next message. */
  #head: OwnedHead | undefined;

  constructor(inbox: Inbox, freshStreams: boolean, page = (globalThis as { document?: PageDocument }).document) {
    this.#inbox = inbox;
    this.#document = page;
    this.#fresh = freshStreams;
    const stream: FrameHandler = (frame, bytes) => this.#deliver(bytes.byteLength, () => ({ frame, meta: undefined }));
    const frames: Record<number, FrameHandler> = {
      [FrameType.StreamsReady]: (frame) => this.#link?.start(frame, this.#subscriptions.state, this.#visible(), !this.#subscriptionsChanged),
      [FrameType.TimeSync]: (frame) => this.#link?.timeSync(frame),
      [FrameType.StreamWindow]: (frame) => this.#link?.streamWindow(frame),
      [FrameType.Timed]: (frame, bytes) => this.#deliver(bytes.byteLength, () => readTimedFrame(frame)),
      [FrameType.OwnedHead]: (frame, bytes) => {
        this.#head = readOwnedHead(frame, bytes.byteLength);
      },
    };
    for (const type of STREAM_TYPES) frames[type] = stream;
    this.frames = frames;
    if (freshStreams) this.#document?.addEventListener?.('visibilitychange', this.#onVisibilityChange);
  }

  /** True when the next message is the payload of an owned frame whose head came last. */
  get awaitsPayload(): boolean {
    return this.#head !== undefined;
  }

  /** The payload of the owned frame whose head came last: delivered as it is, its buffer the listeners' own. */
  payload(bytes: Uint8Array): void {
    const head = this.#head!;
    this.#head = undefined;
    this.#deliver(head.headBytes + bytes.byteLength, () => ({ frame: ownedFrame(head, bytes), meta: head.meta }));
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
    this.#head = undefined;
    this.#link?.stop();
    this.#link = this.#fresh && mode === 'extended' ? new FreshStreamsLink(write, this.#clock) : undefined;
  }

  closed(): void {
    this.#head = undefined;
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
  #deliver(messageBytes: number, unwrap: () => { frame: Frame; meta: StreamMeta | undefined }): void {
    try {
      const { frame, meta } = unwrap();
      this.#inbox.deliver(frame, meta);
    } finally {
      this.#link?.acks.consumed(messageBytes);
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

/** Where the client learns the page's visibility: the document, or (in a worker) what the page tells it. */
export type PageDocument = Pick<Partial<Document>, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
