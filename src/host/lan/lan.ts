import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { CallError, encodeCallError, FrameType, readCall, type Frame } from '../../protocol/index.js';
import type { Capability } from '../capability.js';
import type { HostCore } from '../core.js';
import { controlFrame } from '../delivery/outbound.js';
import { WebViewError } from '../errors.js';
import { listenHttp, type HttpListener } from '../http/listener.js';
import type { Connection } from '../pages/connection.js';
import { DeviceStore, type Device } from './devices.js';
import { lanHandlers, PAIR_PATH, type LanHttpContext } from './lan-http.js';
import type { DeviceRole, ResolvedLanOptions } from './lan-options.js';
import { announce, serviceConfig, type Announcement } from './mdns.js';
import { PairingCodes } from './pairing-codes.js';
import { PrivateDirectory } from './private-file.js';
import { AttemptLimit } from './rate-limit.js';
import { loadTls, type LanTls } from './tls.js';
import { writePath } from './view-role.js';

/** A pairing code with the URL its QR code carries (the code in the fragment: never sent to a server, never logged). */
export interface Pairing {
  readonly code: string;
  readonly role: DeviceRole;
  readonly expires: number;
  readonly url: string;
}

/** The LAN side of a host (`wv.lan`, with the `lan` option): where it listens, pairing codes, TLS. */
export interface LanHost {
  /** The LAN addresses listened on. */
  readonly addresses: readonly string[];
  readonly port: number | undefined;
  readonly https: boolean;
  /** `http(s)://address:port/` of the first address. */
  readonly url: string | undefined;
  /** With `https`: the certificate's SHA-256 fingerprint and its public key's SPKI SHA-256 (base64). */
  readonly fingerprint: string | undefined;
  readonly spki: string | undefined;
  /** A new one-time pairing code for `role` (default: the `role` option) and its URL. @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket` */
  pair(role?: DeviceRole): Pairing;
}

/**
 * Serving phones and tablets on the LAN (docs/LAN.md): its own listener on the LAN addresses
 * (HTTP or HTTPS), every request through its gate (lan-http.ts), paired devices and their tokens
 * (devices.ts), `view` devices refused every write, `revoke` cutting a device off at once, mDNS.
 */
export class Lan implements Capability, LanHost {
  readonly #core: HostCore;
  readonly #options: ResolvedLanOptions;
  readonly #codes: PairingCodes;
  readonly #devices: DeviceStore;
  readonly #directory: PrivateDirectory;
  readonly #deviceOfSocket = new WeakMap<object, Device>();
  readonly #socketsOf = new Map<string, Set<Duplex>>();
  readonly #connections = new WeakMap<Connection, Device>();
  #listeners: HttpListener[] = [];
  #announcement: Announcement | undefined;
  #tls: LanTls | undefined;
  addresses: readonly string[] = [];
  port: number | undefined;

  /** @throws {WebViewError} `LAN_FILE_UNSAFE` (the devices file) */
  constructor(core: HostCore, options: ResolvedLanOptions) {
    this.#core = core;
    this.#options = options;
    this.#codes = new PairingCodes(options.codeLifetime);
    this.#directory = new PrivateDirectory(options.directory);
    this.#devices = new DeviceStore(options.ephemeral ? undefined : this.#directory, options.maxDevices);
  }

  get https(): boolean {
    return this.#options.https !== false;
  }

  get url(): string | undefined {
    return this.port === undefined ? undefined : `${this.https ? 'https' : 'http'}://${hostOf(this.addresses[0]!)}:${this.port}/`;
  }

  get fingerprint(): string | undefined {
    return this.#tls?.fingerprint;
  }

  get spki(): string | undefined {
    return this.#tls?.spki;
  }

  get devices(): Device[] {
    return this.#devices.list;
  }

  pair(role: DeviceRole = this.#options.role): Pairing {
    const url = this.url;
    if (url === undefined) throw new WebViewError('NOT_ENABLED', 'the LAN listens once setEnableWebSocket has been called');
    if (role !== 'control' && role !== 'view') throw new WebViewError('INVALID_OPTION', `a pairing role is 'control' or 'view', got ${String(role)}`);
    const made = this.#codes.create(role);
    return Object.freeze({ ...made, url: `${url.slice(0, -1)}${PAIR_PATH}#code=${made.code}&role=${role}` });
  }

  /** Forgets the device and cuts every socket it has open now (WebSockets and HTTP): whether it was paired. */
  /** @throws {WebViewError} `LAN_FILE_UNSAFE` when the devices file cannot be written (the device is cut off and forgotten here all the same) */
  revoke(id: string): boolean {
    try {
      return this.#devices.remove(id);
    } finally {
      for (const socket of this.#socketsOf.get(id) ?? []) socket.destroy();
      this.#socketsOf.delete(id);
    }
  }

  /** Listens on the LAN addresses (after the loopback listener, whose port is the default). */
  async start(loopbackPort: number, inner: (port: number) => LanHttpContext['inner']): Promise<void> {
    const addresses = this.#options.host ?? lanAddresses();
    if (addresses.length === 0) throw new WebViewError('LAN_NO_ADDRESS', 'this machine has no LAN address (no non-internal IPv4 interface): give lan.host');
    this.#tls = await loadTls(this.#options.https, addresses, this.#directory);
    let port = this.#options.port ?? loopbackPort;
    const context: Omit<LanHttpContext, 'hosts' | 'inner' | 'cookie'> & { hosts: Set<string>; cookie: string; inner: LanHttpContext['inner'] | undefined } = {
      options: this.#options,
      https: this.https,
      hosts: new Set(),
      cookie: '',
      codes: this.#codes,
      limit: new AttemptLimit(this.#options.maxAttemptsPerAddress, this.#options.maxAttempts),
      devices: this.#devices,
      inner: undefined,
      refused: (reason, request) => this.#refused(reason, request),
      ask: (request) => this.#core.listenerCount('pairing') > 0 && (this.#core.emit('pairing', request), true),
      paired: (device) => this.#core.emit('paired', device),
      seen: (socket, device) => this.#seen(socket, device),
      failed: (error) => this.#core.report(error instanceof WebViewError ? error : new WebViewError('LAN_PAIRING_REFUSED', `pairing failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined),
    };
    // Until the listeners are up and the port known, the gate has no LAN host to admit (403) and nothing behind it (503).
    let behind: LanHttpContext['inner'] | undefined;
    context.inner = {
      request: (request, response) => (behind === undefined ? void response.writeHead(503).end() : behind.request(request, response)),
      upgrade: (request, socket, head, origin) => (behind === undefined ? void socket.destroy() : behind.upgrade(request, socket, head, origin)),
    };
    const handlers = lanHandlers(context as LanHttpContext);
    const limits = { handshakeTimeout: this.#core.options.handshakeTimeout };
    try {
      for (const address of addresses) {
        const listener = await listenHttp(port, address, handlers, limits, this.#tls);
        this.#listeners.push(listener);
        port = listener.port;
      }
    } catch (error) {
      await this.#closeListeners();
      throw error;
    }
    this.addresses = Object.freeze([...addresses]);
    this.port = port;
    for (const address of addresses) context.hosts.add(`${hostOf(address)}:${port}`);
    context.cookie = `hise-webview-device-${port}`;
    behind = inner(port);
    if (this.#options.mdns) {
      this.#announcement = await announce(serviceConfig(this.#options.name, port, this.https), (error) =>
        this.#core.report(new WebViewError('LAN_MDNS_FAILED', `the mDNS announcement failed: ${error.message}`, { cause: error }), undefined),
      );
    }
  }

  attach(connection: Connection): void {
    const device = this.#deviceOfSocket.get(connection.transport);
    if (device !== undefined) this.#connections.set(connection, device);
  }

  /** The device a connection belongs to (undefined for loopback pages). */
  deviceOf(connection: Connection): Device | undefined {
    return this.#connections.get(connection);
  }

  refuses(connection: Connection, frame: Frame | undefined, hiseMessage: unknown): boolean {
    const device = this.#connections.get(connection);
    if (device?.role !== 'view') return false;
    const path = writePath(frame, hiseMessage);
    if (path === undefined) return false;
    const message = `${device.name} (${device.id}) is a view device, refused: ${path}`;
    if (frame?.type === FrameType.Call) connection.deliver(controlFrame(encodeCallError(readCall(frame).callId, new CallError('LAN_VIEW_ONLY', message))));
    this.#core.report(new WebViewError('LAN_VIEW_ONLY', message), connection);
    return true;
  }

  async dispose(): Promise<void> {
    await this.#announcement?.stop();
    await this.#closeListeners();
  }

  async #closeListeners(): Promise<void> {
    const listeners = this.#listeners;
    this.#listeners = [];
    await Promise.all(listeners.map((listener) => listener.close()));
  }

  #seen(socket: Duplex, device: Device): void {
    this.#deviceOfSocket.set(socket, device);
    let sockets = this.#socketsOf.get(device.id);
    if (sockets === undefined) this.#socketsOf.set(device.id, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  }

  #refused(reason: Parameters<LanHttpContext['refused']>[0], request: IncomingMessage): void {
    this.#core.emit('refused', { reason, origin: request.headers.origin, remoteAddress: request.socket?.remoteAddress, host: request.headers.host, lan: true });
  }
}

/** Every non-internal IPv4 address of this machine. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')
    .map((entry) => entry!.address);
}

function hostOf(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}
