import type { PersistentCall } from '../../protocol/index.js';

/**
 * HISE's persistence: the last `callFunction` or `evaluate` per key, replayed in pages that open
 * later in the order each key was first stored, with a version so a page can ask what changed since
 * its snapshot.
 *
 * Keys are HISE's: `callFunction` names and `evaluate` uids share one namespace, compared without
 * regard to case, so `callFunction('setup', …)` is replaced by a later `evaluate('Setup', …)`.
 * Disabled, nothing is stored and nothing replays: turning persistence off forgets what was stored,
 * and turning it on again starts from what is stored from then on — unless {@link keepWhileDisabled}
 * (HISE-strict mode): then what was stored is kept, and replays again once it is turned back on, as in HISE.
 */
export class PersistentCalls {
  readonly #calls = new Map<string, PersistentCall>();
  #version = 0;
  #enabled = true;
  /** HISE's way: turning persistence off keeps what was stored (it does not replay until it is on again). */
  keepWhileDisabled = false;

  /** HISE's `enablePersistence`. @default true */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(enabled: boolean) {
    this.#enabled = Boolean(enabled);
    if (!this.#enabled && !this.keepWhileDisabled) this.#calls.clear();
  }

  /** Stores a `callFunction` (`arg` undefined: called with no argument). Does nothing while disabled. */
  storeFunction(name: string, arg: unknown): void {
    const version = ++this.#version;
    this.#store(name, arg === undefined ? { kind: 'function', name, version } : { kind: 'function', name, arg, version });
  }

  /** Stores an `evaluate`. Does nothing while disabled. */
  storeEvaluate(uid: string, code: string): void {
    this.#store(uid, { kind: 'evaluate', uid, code, version: ++this.#version });
  }

  /** Every stored call that replays, first-stored order (none while disabled). */
  all(): PersistentCall[] {
    return this.#enabled ? [...this.#calls.values()] : [];
  }

  /** The calls stored or replaced after `version`, first-stored order. */
  since(version: number): PersistentCall[] {
    return this.all().filter((call) => call.version > version);
  }

  clear(): void {
    this.#calls.clear();
  }

  #store(key: string, call: PersistentCall): void {
    if (!this.#enabled) return;
    this.#calls.set(key.toLowerCase(), call); // Map.set keeps the first position of a key
  }
}
