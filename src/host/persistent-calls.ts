import type { PersistentCall } from '../protocol/index.js';

/**
 * HISE's persistence: the last `callFunction` per function name and the last `evaluate` per uid,
 * in the order each was first stored, with a version so a page can ask what changed since its
 * snapshot.
 */
export class PersistentCalls {
  readonly #calls = new Map<string, PersistentCall>();
  #version = 0;

  storeFunction(name: string, arg: unknown): void {
    this.#store(`function:${name}`, { kind: 'function', name, arg, version: ++this.#version });
  }

  storeEvaluate(uid: string, code: string): void {
    this.#store(`evaluate:${uid}`, { kind: 'evaluate', uid, code, version: ++this.#version });
  }

  /** Every stored call, first-stored order. */
  all(): PersistentCall[] {
    return [...this.#calls.values()];
  }

  /** The calls stored or replaced after `version`, first-stored order. */
  since(version: number): PersistentCall[] {
    return this.all().filter((call) => call.version > version);
  }

  clear(): void {
    this.#calls.clear();
  }

  #store(key: string, call: PersistentCall): void {
    this.#calls.set(key, call); // Map.set keeps the first position of a key
  }
}
