import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeStatus } from '../http/guard.js';
import type { HttpHandlers } from '../http/listener.js';
import { deviceName, type Device, type DeviceStore } from './devices.js';
import type { DeviceRole, ResolvedLanOptions } from './lan-options.js';
import { PAIR_PAGE } from './pair-page.js';
import type { PairingCodes } from './pairing-codes.js';
import type { AttemptLimit } from './rate-limit.js';

/** Why the LAN refused a request (the `refused` event): no paired device, a refused code, too many attempts. */
export type LanRefusalReason = 'device' | 'pairing' | 'rate';

/** A device asking to pair, with `lan: { approve: true }` (the `pairing` event): decide once. */
export interface PairingRequest {
  /** From its user agent, e.g. `iPhone Safari`. */
  readonly name: string;
  readonly address: string;
  readonly role: DeviceRole;
  approve(): void;
  deny(): void;
}

/** The pairing page (GET) and the code exchange (POST); served to unpaired devices, nothing else is. */
export const PAIR_PATH = '/__hise-webview/lan/pair';
const MAX_PAIR_BODY_BYTES = 512;

/** What the LAN's gate works with (lan.ts builds it once the port is known). */
export interface LanHttpContext {
  readonly options: ResolvedLanOptions;
  readonly https: boolean;
  /** The `Host` values of the LAN listener: `address:port` (IPv6 in brackets). */
  readonly hosts: ReadonlySet<string>;
  readonly cookie: string;
  readonly codes: PairingCodes;
  readonly limit: AttemptLimit;
  readonly devices: DeviceStore;
  /** The host's own handlers behind the gate (`Http.lanHandlers`). */
  readonly inner: { request(request: IncomingMessage, response: ServerResponse): void; upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, origin: string): void };
  refused(reason: 'host' | 'origin' | LanRefusalReason, request: IncomingMessage): void;
  /** Emits `pairing`: false when nothing listens. */
  ask(request: PairingRequest): boolean;
  paired(device: Device): void;
  /** A socket a device's request or upgrade arrived on (revoking the device destroys it). */
  seen(socket: Duplex, device: Device): void;
  /** Pairing failed on the host's side (reported as an `error`). */
  failed(error: unknown): void;
}

/**
 * The gate of every request and upgrade on the LAN listener, before the host's own guard: `Host`
 * must name a LAN address with the LAN port (DNS rebinding), an `Origin` must be exactly this
 * LAN origin (required for upgrades and pairing), and the request must carry a paired device's
 * cookie, except the pairing page and its code exchange (rate-limited).
 */
export function lanHandlers(context: LanHttpContext): HttpHandlers {
  return {
    request: (request, response) => {
      const origin = checkHostAndOrigin(context, request, request.method !== 'GET' && request.method !== 'HEAD');
      if (typeof origin !== 'string') return answer(response, origin.status, origin.code, 'refused by the LAN gate (docs/LAN.md)');
      response.setHeader('Referrer-Policy', 'no-referrer');
      const path = request.url?.split(/[?#]/, 1)[0];
      if (path === PAIR_PATH) {
        // Whatever goes wrong (the device went away mid-body, the devices file cannot be written) is an answer, never a crash.
        pairRoute(context, request, response, origin).catch((error: unknown) => {
          context.failed(error);
          if (!response.headersSent) answer(response, 500, 'LAN_PAIRING_REFUSED', 'the host could not pair this device');
          else response.destroy();
        });
        return;
      }
      // Every page asks for one, the pairing page too: "none", rather than a refusal in the log.
      if (path === '/favicon.ico') return void response.writeHead(204).end();
      const device = deviceOf(context, request);
      if (device === undefined) {
        context.refused('device', request);
        response.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return void response.end(NOT_PAIRED_PAGE);
      }
      context.seen(request.socket, device);
      context.inner.request(request, response);
    },
    upgrade: (request, socket, head) => {
      socket.on('error', () => undefined);
      const origin = checkHostAndOrigin(context, request, true);
      if (typeof origin !== 'string') return writeStatus(socket, origin.status);
      const device = deviceOf(context, request);
      if (device === undefined) {
        context.refused('device', request);
        return writeStatus(socket, 401);
      }
      context.seen(socket, device);
      context.inner.upgrade(request, socket, head, origin);
    },
  };
}

/** The LAN origin the request's `Host` names, or the refusal (400 not origin-form, 403 host or origin). */
function checkHostAndOrigin(context: LanHttpContext, request: IncomingMessage, originRequired: boolean): string | { status: 400 | 403; code: string } {
  if (!request.url?.startsWith('/')) return { status: 400, code: 'INVALID_REQUEST' };
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !context.hosts.has(host)) {
    context.refused('host', request);
    return { status: 403, code: 'LAN_HOST_REFUSED' };
  }
  const own = `${context.https ? 'https' : 'http'}://${host}`;
  const origin = request.headers.origin;
  if ((origin === undefined && originRequired) || (origin !== undefined && origin !== own)) {
    context.refused('origin', request);
    return { status: 403, code: 'LAN_ORIGIN_REFUSED' };
  }
  return own;
}

function deviceOf(context: LanHttpContext, request: IncomingMessage): Device | undefined {
  const token = readCookie(request.headers.cookie, context.cookie);
  return token === undefined ? undefined : context.devices.find(token, request.socket.remoteAddress ?? '');
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

async function pairRoute(context: LanHttpContext, request: IncomingMessage, response: ServerResponse, origin: string): Promise<void> {
  response.setHeader('Cache-Control', 'no-store');
  if (request.method === 'GET' || request.method === 'HEAD') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return void response.end(request.method === 'HEAD' ? undefined : PAIR_PAGE);
  }
  if (request.method !== 'POST') return answer(response, 405, 'INVALID_REQUEST', 'the pairing page takes GET and POST');
  // Sent by the pairing page itself: a POST from anywhere else has no Origin or another one (checked before).
  if (request.headers.origin !== origin) return answer(response, 403, 'LAN_ORIGIN_REFUSED', 'refused');
  const address = request.socket.remoteAddress ?? '';
  if (!context.limit.admit(address)) {
    context.refused('rate', request);
    response.setHeader('Retry-After', '60');
    return answer(response, 429, 'LAN_RATE_LIMITED', 'too many pairing attempts: wait a minute');
  }
  const code = await readCode(request);
  if (code === 'too-large') {
    response.setHeader('Connection', 'close');
    return answer(response, 413, 'INVALID_REQUEST', `a pairing request is at most ${MAX_PAIR_BODY_BYTES} bytes`);
  }
  const taken = code === undefined ? 'unknown' : context.codes.take(code);
  if (typeof taken === 'string') {
    context.refused('pairing', request);
    return answer(response, 403, 'LAN_CODE_REFUSED', taken === 'unknown' ? 'this pairing code is not one the host made' : `this pairing code is ${taken === 'used' ? 'used up' : 'expired'}: ask for a new one`);
  }
  const name = deviceName(request.headers['user-agent']);
  if (context.options.approve && !(await approved(context, { name, address, role: taken.role }, request))) {
    return answer(response, 403, 'LAN_NOT_APPROVED', 'the host did not approve this device');
  }
  if (context.devices.full) return answer(response, 403, 'LAN_PAIRING_REFUSED', `${context.options.maxDevices} devices are paired: revoke one on the host first`);
  const { device, token } = context.devices.add(name, address, taken.role);
  const cookie = `${context.cookie}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000${context.https ? '; Secure' : ''}`;
  response.setHeader('Set-Cookie', cookie);
  answer(response, 200, 'PAIRED', 'paired', { id: device.id, role: device.role });
  context.paired(device);
}

/**
 * The code of a pairing POST (`{"code": "…"}`), undefined when it is not one or the request went
 * away, `'too-large'` past 512 bytes (then it is read no further).
 */
function readCode(request: IncomingMessage): Promise<string | undefined | 'too-large'> {
  return new Promise((resolve) => {
    let body = '';
    const onData = (chunk: Buffer): void => {
      body += chunk.toString('utf8');
      if (body.length <= MAX_PAIR_BODY_BYTES) return;
      request.off('data', onData);
      request.pause();
      resolve('too-large');
    };
    request.on('data', onData);
    request.once('end', () => resolve(parseCode(body)));
    request.once('error', () => resolve(undefined));
    request.once('close', () => resolve(undefined)); // after 'end' it changes nothing
  });
}

function parseCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { code?: unknown })?.code;
    return typeof code === 'string' && code.length <= 64 ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Waits for the `pairing` listener's decision (refused without one, after `approveTimeout`, or when the device goes). */
function approved(context: LanHttpContext, about: Omit<PairingRequest, 'approve' | 'deny'>, request: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let decided = false;
    const decide = (yes: boolean): void => {
      if (decided) return;
      decided = true;
      clearTimeout(timer);
      request.socket.off('close', gone);
      resolve(yes);
    };
    const gone = (): void => decide(false);
    const timer = setTimeout(gone, context.options.approveTimeout);
    request.socket.once('close', gone);
    if (!context.ask(Object.freeze({ ...about, approve: () => decide(true), deny: () => decide(false) }))) decide(false);
  });
}

function answer(response: ServerResponse, status: number, code: string, message: string, extra: object = {}): void {
  const body = JSON.stringify({ code, message, ...extra });
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

const NOT_PAIRED_PAGE =
  '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not paired</title>' +
  '<p style="font:18px system-ui;margin:2em">This device is not paired with the host (or was revoked): scan the QR code the host shows.</p>';
