/** The part of a `net.Socket` that {@link WriteBatch} uses. */
export interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

/**
 * Batches the frames written to one socket in one turn of the event loop into one `writev`: the
 * first write of a turn corks the socket, and it is uncorked on `process.nextTick`. Without it each
 * frame that fits the socket's buffer is its own syscall (and, on loopback, its own trip through the
 * receiver's TCP stack), which is what a page that keeps up pays per frame; a congested socket
 * batches by itself already.
 */
export class WriteBatch {
  readonly #socket: CorkableSocket;
  #corked = false;

  constructor(socket: CorkableSocket) {
    this.#socket = socket;
  }

  /** Call before each write. */
  writing(): void {
    if (this.#corked) return;
    this.#corked = true;
    this.#socket.cork();
    process.nextTick(this.#uncork);
  }

  readonly #uncork = (): void => {
    this.#corked = false;
    this.#socket.uncork();
  };
}
