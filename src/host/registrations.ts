/** Undoes one registration. */
export type Undo = () => void;

/**
 * What one run of a host module registered (listeners, handlers, bound callbacks, observers,
 * mounted tools…), so that the dev server can undo all of it when it restarts the module
 * (src/dev/scoped-web-view.ts). Calls made outside a scope register for good.
 */
export class Scope {
  readonly #undos: Undo[] = [];
  #disposed = false;

  get disposed(): boolean {
    return this.#disposed;
  }

  /** @internal */
  add(undo: Undo): void {
    this.#undos.push(undo);
  }

  /** Undoes every registration, newest first, each once; one that throws does not keep the others in place. */
  dispose(): void {
    this.#disposed = true;
    for (const undo of new Set(this.#undos.splice(0).reverse())) {
      try {
        undo();
      } catch {
        // undoing one registration must not keep the others in place
      }
    }
  }
}

/**
 * The scope of the call running now. Every registering method of a capability asks {@link stale}
 * first (a call through a disposed scope does nothing: the next run of the module owns the
 * registrations now) and gives its undo to {@link own}.
 */
export class Registrations {
  #current: Scope | undefined;

  /** Runs `call` as made through `scope`. */
  within<T>(scope: Scope, call: () => T): T {
    const outer = this.#current;
    this.#current = scope;
    try {
      return call();
    } finally {
      this.#current = outer;
    }
  }

  /** True while a call made through a disposed scope runs: a registering method then does nothing. */
  get stale(): boolean {
    return this.#current?.disposed === true;
  }

  /** Gives `undo` to the scope of the call running now (outside a scope: nothing to do). */
  own(undo: Undo): void {
    this.#current?.add(undo);
  }
}
