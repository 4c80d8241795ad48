import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { WebViewError } from '../errors.js';
import { readRegularFileSync } from '../regular-file.js';

/** File name of the per-user secret inside the shared directory. */
export const SECRET_FILE = 'shared-port.secret';
const SECRET_BYTES = 32;
const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;
/** Largest secret file read (the secret is its first bytes; a bigger file is not one this project made). */
const MAX_SECRET_FILE_BYTES = 4096;

/**
 * The per-user directory the secret lives in: `$XDG_RUNTIME_DIR/hise-webview` (a per-user runtime
 * directory only its user can enter), else `hise-webview-<uid>` in the temp directory, else in the
 * home directory.
 */
export function defaultSharedDirectory(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '') return join(runtime, 'hise-webview');
  let uid: number | string;
  try {
    uid = userInfo().uid >= 0 ? userInfo().uid : userInfo().username;
  } catch {
    return join(homedir(), '.hise-webview');
  }
  return join(tmpdir(), `hise-webview-${uid}`);
}

/**
 * The secret instances of this user prove to each other when they share a port: read from
 * `directory/shared-port.secret`, created (32 random bytes, mode 0600, in a 0700 directory) by
 * the first instance. A directory or file that another user owns or others can read is refused.
 * @throws {WebViewError} `SHARED_SECRET_UNSAFE`
 */
export function loadSecret(directory: string): Buffer {
  try {
    mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
    checkPrivate(directory, DIRECTORY_MODE, 'directory');
    const file = join(directory, SECRET_FILE);
    if (!exists(file)) create(file);
    checkPrivate(file, FILE_MODE, 'file');
    // Read from the descriptor checked again: not a link (O_NOFOLLOW), a regular file, still private, at most 4 KiB.
    const secret = readRegularFileSync(file, { limit: MAX_SECRET_FILE_BYTES, noFollow: true, check: (stats) => checkPrivateStats(stats, file, FILE_MODE, 'file') });
    if (secret.byteLength < SECRET_BYTES) throw new Error(`${file} holds ${secret.byteLength} bytes, fewer than ${SECRET_BYTES}`);
    return secret;
  } catch (error) {
    if (error instanceof WebViewError) throw error;
    throw new WebViewError('SHARED_SECRET_UNSAFE', `cannot use the shared-port secret in ${directory}: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes the secret under a temporary name and links it into place, so a racing instance never reads half a file. */
function create(file: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, randomBytes(SECRET_BYTES), { mode: FILE_MODE, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another instance was first: use its
  } finally {
    unlinkSync(temporary);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function checkPrivate(path: string, mode: number, what: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) throw new WebViewError('SHARED_SECRET_UNSAFE', `the shared-port ${what} ${path} is a symbolic link`);
  checkPrivateStats(stat, path, mode, what);
}

function checkPrivateStats(stat: Stats, path: string, mode: number, what: string): void {
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new WebViewError('SHARED_SECRET_UNSAFE', `the shared-port ${what} ${path} belongs to another user`);
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new WebViewError('SHARED_SECRET_UNSAFE', `the shared-port ${what} ${path} is open to other users (mode ${(stat.mode & 0o777).toString(8)}, needs ${mode.toString(8)})`);
  }
}

/** A fresh random nonce for one handshake. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** What one handshake's proofs are bound to (PROTOCOL.md §8, SECURITY.md "Shared port"). */
export interface HandshakeBinding {
  /** The shared port: the one the hub listens on, as the joiner dialled it. */
  readonly hubPort: number;
  readonly hubNonce: string;
  readonly memberNonce: string;
}

/** What the joiner's `hello` says besides its proof: its id and the private port its pages are piped to. */
export interface HelloFields {
  readonly id: string;
  readonly port: number;
}

/**
 * The hub's proof of knowing `secret`: HMAC-SHA-256 over the role, the shared port and both nonces.
 * A process that relays a handshake between a joiner and a hub on another port cannot pass it on:
 * the joiner checks it against the port it dialled.
 */
export function hubProof(secret: Buffer, binding: HandshakeBinding): string {
  return hmac(secret, ['hise-webview-hub.2', 'hub', binding.hubPort, binding.hubNonce, binding.memberNonce]);
}

/**
 * The joiner's proof: over the role, the shared port, both nonces and every other field of its
 * `hello` (id and private port), so no field can be changed in transit and no relay to another port passes.
 */
export function memberProof(secret: Buffer, binding: HandshakeBinding, hello: HelloFields): string {
  return hmac(secret, ['hise-webview-hub.2', 'member', binding.hubPort, binding.hubNonce, binding.memberNonce, hello.id, hello.port]);
}

function hmac(secret: Buffer, fields: readonly (string | number)[]): string {
  // Every field is a decimal number or a fixed alphabet without newlines: joined by newlines, no two lists collide.
  return createHmac('sha256', secret).update(fields.join('\n')).digest('hex');
}

/** Compares proofs in constant time. */
export function sameProof(expected: string, given: unknown): boolean {
  // 64 hex digits first: timingSafeEqual throws on buffers of different byte lengths ('é' is 2 bytes).
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given) || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}
