import { createHash, randomBytes } from 'node:crypto';
import { WebViewError } from '../errors.js';
import type { DeviceRole } from './lan-options.js';
import type { PrivateDirectory } from './private-file.js';

/** One paired device, as `wv.devices` lists it. */
export interface Device {
  /** Stable id, e.g. for `wv.revoke(id)`. */
  readonly id: string;
  /** What its browser says it is (from the user agent), e.g. `iPhone Safari`. */
  readonly name: string;
  /** The address it paired from (and was last seen at). */
  readonly address: string;
  readonly role: DeviceRole;
  /** `Date.now()` when it paired. */
  readonly paired: number;
  /** `Date.now()` of its last request or connection. */
  readonly lastSeen: number;
}

interface StoredDevice extends Device {
  /** SHA-256 of the device token (hex): the file never holds a token itself. */
  readonly tokenHash: string;
}

/** The file of the paired devices in the LAN directory. */
export const DEVICES_FILE = 'lan-devices.json';
const MAX_FILE_BYTES = 1 << 20;
/** How often `lastSeen` is written back at most (it changes on every request). */
const LAST_SEEN_WRITE_MS = 60_000;

/**
 * The paired devices and their tokens: a token is 32 random bytes (base64url), kept only as its
 * SHA-256, so the device file does not hand out working tokens. Persisted in `lan-devices.json`
 * (0600) unless ephemeral; a revoked device is deleted there at once.
 */
export class DeviceStore {
  readonly #byHash = new Map<string, StoredDevice>();
  readonly #directory: PrivateDirectory | undefined;
  readonly #max: number;
  #written = 0;

  /** @throws {WebViewError} `LAN_FILE_UNSAFE` */
  constructor(directory: PrivateDirectory | undefined, max: number) {
    this.#directory = directory;
    this.#max = max;
    const bytes = directory?.read(DEVICES_FILE, MAX_FILE_BYTES);
    if (bytes !== undefined) for (const device of parseDevices(bytes)) this.#byHash.set(device.tokenHash, device);
  }

  get list(): Device[] {
    return [...this.#byHash.values()].map(({ tokenHash: _, ...device }) => Object.freeze(device));
  }

  get full(): boolean {
    return this.#byHash.size >= this.#max;
  }

  /** Pairs a device: its token (given to it once, never stored). */
  add(name: string, address: string, role: DeviceRole): { device: Device; token: string } {
    if (this.full) throw new WebViewError('LAN_PAIRING_REFUSED', `${this.#max} devices are paired (maxDevices): revoke one first`);
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const stored: StoredDevice = { id: randomBytes(6).toString('hex'), name, address, role, paired: now, lastSeen: now, tokenHash: hashToken(token) };
    this.#byHash.set(stored.tokenHash, stored);
    try {
      this.#save(true);
    } catch (error) {
      this.#byHash.delete(stored.tokenHash); // not paired unless it is kept
      throw error;
    }
    const { tokenHash: _, ...device } = stored;
    return { device, token };
  }

  /** The device a token belongs to (and marks it seen from `address`), or undefined. */
  find(token: string, address: string): Device | undefined {
    const hash = hashToken(token);
    const found = this.#byHash.get(hash);
    if (found === undefined) return undefined;
    const seen: StoredDevice = { ...found, address, lastSeen: Date.now() };
    this.#byHash.set(hash, seen);
    try {
      this.#save(false);
    } catch {
      // `lastSeen` is kept on a best-effort basis: a file that cannot be written now must not refuse a paired device.
    }
    const { tokenHash: _, ...device } = seen;
    return device;
  }

  /** Forgets a device (its token is dead from now on): whether it was paired. */
  remove(id: string): boolean {
    for (const [hash, device] of this.#byHash) {
      if (device.id !== id) continue;
      this.#byHash.delete(hash);
      this.#save(true);
      return true;
    }
    return false;
  }

  /** Writes the file now (`force`), or a `lastSeen` change at most once a minute. */
  #save(force: boolean): void {
    if (this.#directory === undefined) return;
    const now = Date.now();
    if (!force && now - this.#written < LAST_SEEN_WRITE_MS) return;
    this.#written = now;
    this.#directory.write(DEVICES_FILE, JSON.stringify({ version: 1, devices: [...this.#byHash.values()] }, null, 2) + '\n');
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The devices of a file this project wrote; anything else in it is refused, not guessed at. */
function parseDevices(bytes: Buffer): StoredDevice[] {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new WebViewError('LAN_FILE_UNSAFE', `${DEVICES_FILE} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const devices = (data as { devices?: unknown })?.devices;
  if (!Array.isArray(devices)) throw new WebViewError('LAN_FILE_UNSAFE', `${DEVICES_FILE} has no devices list`);
  return devices.map((entry: Record<string, unknown>) => {
    const { id, name, address, role, paired, lastSeen, tokenHash } = entry ?? {};
    if (typeof id !== 'string' || typeof name !== 'string' || typeof address !== 'string' || (role !== 'control' && role !== 'view') || typeof tokenHash !== 'string' || !/^[0-9a-f]{64}$/.test(tokenHash)) {
      throw new WebViewError('LAN_FILE_UNSAFE', `${DEVICES_FILE} holds an entry this version does not know`);
    }
    return { id, name, address, role, paired: Number(paired) || 0, lastSeen: Number(lastSeen) || 0, tokenHash };
  });
}

/** A short name from a user agent: platform and browser, e.g. `iPhone Safari`, `Android Chrome`. */
export function deviceName(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512);
  const platform = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android' : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'browser';
  return `${platform} ${browser}`;
}
