import { randomInt } from 'node:crypto';
import type { DeviceRole } from './lan-options.js';

/** 32 symbols without look-alikes (no 0/O, 1/I): 5 bits each, easy to read out and type (either case). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Symbols in a pairing code: 8 × 5 = 40 bits, 2⁴⁰ ≈ 1.1 × 10¹² codes. */
export const CODE_LENGTH = 8;
/** Codes alive at once; making one more drops the oldest. */
export const MAX_LIVE_CODES = 16;
/** How long a spent code is remembered (to say `used` or `expired` rather than `unknown`), and how many. */
const SPENT_MS = 600_000;
const MAX_SPENT_CODES = 1024;

/** A one-time pairing code and the role it pairs a device as. */
export interface PairingCode {
  readonly code: string;
  readonly role: DeviceRole;
  /** `Date.now()` after which it is refused. */
  readonly expires: number;
}

/** Why a code was not taken: unknown (never made, or a guess), expired, or used before. */
export type CodeRefusal = 'unknown' | 'expired' | 'used';

/** The host's live pairing codes: each made at random, good once, until it expires. */
export class PairingCodes {
  readonly #lifetime: number;
  readonly #live = new Map<string, PairingCode>();
  /** Codes taken or expired, for a while (to tell `used`/`expired` from a guess). */
  readonly #spent = new Map<string, { reason: 'expired' | 'used'; until: number }>();

  constructor(lifetime: number) {
    this.#lifetime = lifetime;
  }

  /** A fresh code for `role`. */
  create(role: DeviceRole, now = Date.now()): PairingCode {
    this.#sweep(now);
    if (this.#live.size >= MAX_LIVE_CODES) this.#live.delete(this.#live.keys().next().value!);
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const made: PairingCode = Object.freeze({ code, role, expires: now + this.#lifetime });
    this.#live.set(code, made);
    return made;
  }

  /** Takes `code` (it is gone after, whatever happens next): its role, or why it is refused. */
  take(code: string, now = Date.now()): PairingCode | CodeRefusal {
    this.#sweep(now);
    code = code.toUpperCase();
    const found = this.#live.get(code);
    if (found === undefined) return this.#spent.get(code)?.reason ?? 'unknown';
    this.#live.delete(code);
    this.#spend(code, 'used', now);
    return found;
  }

  #spend(code: string, reason: 'expired' | 'used', now: number): void {
    if (this.#spent.size >= MAX_SPENT_CODES) this.#spent.delete(this.#spent.keys().next().value!);
    this.#spent.set(code, { reason, until: now + SPENT_MS });
  }

  #sweep(now: number): void {
    for (const [code, made] of this.#live) {
      if (made.expires > now) continue;
      this.#live.delete(code);
      this.#spend(code, 'expired', now);
    }
    for (const [code, spent] of this.#spent) if (spent.until <= now) this.#spent.delete(code);
  }
}
