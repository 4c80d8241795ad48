import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BINDINGS_ID,
  BRIDGE_CONFIG_GLOBAL,
  BRIDGE_SCRIPT_PATH,
  BridgeCall,
  CallError,
  SUBPROTOCOL,
  decodeFrame,
  readPayload,
  type BridgeConfig,
  type AnyContract,
  type CallHandler,
  type Contract,
  type EventsOf,
  type HostFunctionsOf,
  type MessagesOf,
  type PageFunctionsOf,
  type ParamsOf,
  type SpecFor,
  type ValueOfSpec,
  type ParameterSpecInput,
} from '../protocol/index.js';
import { checkBindingName } from './binding-name.js';
import { PersistentCalls } from './persistent-calls.js';
import { isFunctionPath } from '../protocol/function-path.js';
import { WebViewRoot } from './webview-root.js';
import { ProjectImages } from './project-images.js';
import { resolveNullOnError } from './callback-errors.js';
import { WebViewError } from './errors.js';
import { ExtendedReceiver } from './extended-receiver.js';
import { emitContained } from './contained-emit.js';
import { HttpGuard, writeStatus } from './http-guard.js';
import { listenHttp, type HttpHandlers, type HttpListener } from './http-listener.js';
import type { ParsedRequest } from './http-request.js';
import { serveHttp } from './http-routes.js';
import { decodePageMessage } from './inbound.js';
import { HostParameters } from './parameters.js';
import type { Parameter } from './parameter.js';
import { captureState, planState, type StateResult, type WebViewState } from './web-view-state.js';
import { isHiseParameterMessage } from '../protocol/parameter-messages.js';
import { resolveOptions, type ResolvedWebViewOptions, type WebViewOptions } from './options.js';
import { anyMessage, checkAttached, checkSerializable, controlFrame, hiseMessage, type OutboundMessage, type SendOptions } from './outbound.js';
import { Connection } from './connection.js';
import { CloseCode, Page } from './page.js';
import { PendingMessages } from './pending-messages.js';
import { SessionLedger } from './sessions.js';
import { sessionLimits, SessionLogs, type SessionStats } from './session-outbox.js';
import { callTarget, tabOf, Tabs } from './tabs.js';
import { checkUpgrade, type RefusalReason } from './upgrade-gate.js';
import { RefusalCloser } from './refusal-close.js';
import { Instances } from './shared-port/instances.js';
import { SharedPort } from './shared-port/shared-port.js';
import { now, Observers, type Observer } from './observer.js';
import { ToolRoutes, type ToolRoute } from './tool-routes.js';

/** Where a message went: to the connected pages, held for the first page to connect, or dropped. */
export type SendResult = 'sent' | 'queued' | 'dropped';

/**
 * The one receiver of every page message: a string, parsed JSON, or a `Float32Array` from HISE-style
 * pages (whose messages have no id), any payload type with its `id` from modern pages.
 */
export type WebSocketCallback = (data: unknown, page: Page, id: string | undefined) => unknown;

/**
 * Why a connection was refused before the upgrade: `'host'` (a `Host` that is not this machine nor
 * in `allowedHosts`, 403, for plain HTTP requests too), `'origin'` (403), `'token'` (401), `'capacity'`
 * (`maxPages` connected, 503), `'timeout'` (no complete request within `handshakeTimeout`; destroyed).
 */
export interface RefusedConnection {
  reason: Exclude<RefusalReason, 'fallback'> | 'capacity' | 'timeout';
  origin: string | undefined;
  remoteAddress: string | undefined;
  /** The refused `Host` header, with reason `'host'` (the name to add to `allowedHosts` if it is yours). */
  host?: string | undefined;
}

export interface WebViewEvents {
  /** A page connected: a browser tab (its first connection), or a page without the bridge. */
  connect: [page: Page];
  /**
   * A socket opened: a page's first (after its `connect`) or a further one of a tab, e.g. the page's
   * client joining its bridge. For logs and diagnostics; address the page, not the connection.
   */
  connection: [connection: Connection];
  /** A page went away (its last connection closed); `code` and `reason` are from that close frame (1006 when it just vanished). */
  disconnect: [page: Page, code: number, reason: string];
  /**
   * Bad input from a page, a failing callback, a slow page. Never thrown: when nothing listens
   * for `error`, it is written to `console.warn` instead.
   */
  error: [error: WebViewError, page: Page | undefined];
  /** A connection was refused before the upgrade (403 origin, 401 token, 503 capacity) or timed out in its handshake. */
  refused: [info: RefusedConnection];
  /** A parameter was declared (its first `wv.parameter(id, …)`): for tools that follow parameters and their gestures. */
  parameter: [parameter: Parameter];
}

/** A parameter's value type: the contract's, or (untyped) what its spec declares. */
export type ParamValue<C extends Contract, K extends string, S> = string extends keyof ParamsOf<C> ? ValueOfSpec<S> : ParamsOf<C>[K];

/** Highest index `addBufferToWebSocket` accepts (HISE's limit). */
export const MAX_BUFFER_INDEX = 255;

/**
 * A webview host with HISE's ScriptWebView API: a WebSocket server on loopback that speaks HISE's
 * binary format to every connected page, byte for byte, and the negotiated `hise-webview.1`
 * extension (ids both ways, more types, calls) to pages using the modern client.
 *
 * `C` types the ids, payloads and functions both sides agree on (see {@link Contract}).
 */
export class WebView<C extends Contract = AnyContract> extends EventEmitter<WebViewEvents> {
  readonly options: Readonly<ResolvedWebViewOptions>;
  readonly #wss: WebSocketServer;
  readonly #refusals = new RefusalCloser();
  /** Every open connection; a page (tab) has one or more. */
  readonly #connections = new Set<Connection>();
  readonly #tabs = new Tabs();
  readonly #pending: PendingMessages<OutboundMessage>;
  readonly #retained = new Map<string, OutboundMessage | undefined>();
  readonly #buffers = new Map<number, Float32Array>();
  readonly #streamSeq = new Map<string, number>();
  readonly #handlers = new Map<string, CallHandler>();
  readonly #listeners = new Map<string, Set<(value: unknown, page: Page) => unknown>>();
  readonly #ledger: SessionLedger;
  readonly #sessions: SessionLogs;
  readonly #root = new WebViewRoot();
  readonly #projectImages = new ProjectImages(() => this.#enableCache);
  readonly #bindings = new Map<string, (args: unknown[]) => unknown>();
  readonly #persistent = new PersistentCalls();
  readonly #tools = new ToolRoutes();
  #guard: HttpGuard | undefined;
  readonly #token: string | undefined;
  /**
   * With `shared: true`: the instances sharing the port (list, `join`/`leave`, messages between
   * them; README "Shared port"). Undefined for a host that does not share its port.
   */
  readonly instances: Instances | undefined;
  #shared: SharedPort | undefined;
  readonly #parameters: HostParameters;
  readonly #observers = new Observers((error) =>
    this.#report(new WebViewError('OBSERVER_FAILED', `an observer failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined),
  );
  #listening: Promise<number> | undefined;
  #listener: HttpListener | undefined;
  #callback: WebSocketCallback | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #nextPageId = 1;
  #closed = false;

  /** @throws {WebViewError} `INVALID_OPTION` */
  constructor(options: WebViewOptions = {}) {
    super();
    this.options = Object.freeze(resolveOptions(options));
    this.#token = this.options.token === 'auto' ? randomBytes(18).toString('base64url') : this.options.token;
    this.instances = this.options.shared ? new Instances() : undefined;
    this.#handlers.set(BridgeCall.Callback, ((name: string, args: unknown) => this.#runBinding(name, args)) as CallHandler);
    this.#handlers.set(BridgeCall.Sync, ((version: number) => this.#persistent.since(Number(version) || 0)) as CallHandler);
    this.#pending = new PendingMessages(this.options.maxPendingIds);
    this.#parameters = new HostParameters({
      interval: this.options.parameterInterval,
      highWaterMark: this.options.highWaterMark,
      report: (error, from) => this.#report(error, from),
      declared: (parameter) => this.emit('parameter', parameter),
      observers: this.#observers,
    });
    this.#ledger = new SessionLedger(this.options.maxSessions, this.options.sequenceWindow, this.options.maxSessionsPerSource);
    this.#sessions = new SessionLogs(sessionLimits(this.options), {
      overflow: (page, _session, reason) => this.#dropOverfullSession(page, reason),
    });
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.options.maxPayload,
      perMessageDeflate: false, // audio does not compress, and deflate would cost every frame a copy
      handleProtocols: (offered) => (this.options.extensions && offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
  }

  /**
   * Starts the server. `0` or `-1` picks a free port. Called again, resolves the port of the first call.
   * @returns the bound port
   * @throws {WebViewError} `INVALID_PORT`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED` (as rejections)
   */
  setEnableWebSocket(port = 0): Promise<number> {
    if (this.#closed) return Promise.reject(new WebViewError('CLOSED', 'this WebView has been closed'));
    if (!Number.isInteger(port) || port < -1 || port > 65535) {
      return Promise.reject(new WebViewError('INVALID_PORT', `port must be an integer from -1 to 65535, got ${String(port)}`));
    }
    this.#listening ??= this.#listen(port === -1 ? 0 : port);
    return this.#listening;
  }

  /** The bound port once `setEnableWebSocket` has resolved. */
  get port(): number | undefined {
    return this.#shared?.port ?? this.#listener?.port;
  }

  /** The pages connected now: one per browser tab (see {@link Page}). */
  get pages(): readonly Page[] {
    return this.#tabs.pages;
  }

  /**
   * HISE's send: `data` under `id` to every connected page: a string as type 1, a `Float32Array` as
   * type 2 (copied now), a plain object or array as JSON text (type 1). With no page connected, the
   * latest message per id is held for the first page that connects.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult {
    this.#assertOpen();
    const message = hiseMessage(id, data, () => this.#nextSeq(id));
    const result = this.#observeSend(message, data, undefined, this.#broadcast(message), 'sendToWebsocket');
    this.#shared?.relaySend('hise', id, data);
    return result;
  }

  /** The same as {@link sendToWebsocket}; HISE accepts both spellings. */
  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult {
    return this.sendToWebsocket(id, data);
  }

  /**
   * Sends any value the extension carries: string, JSON value (arrives parsed), `Float32Array`,
   * `Int16Array`, `Int32Array`, `Float64Array`, `Uint8Array`. Typed arrays and bytes are streams
   * (sequenced, coalesced under backpressure). HISE-style pages get strings, float32 and JSON as
   * text; types their format cannot carry are skipped for them. A stream may carry `options.time`
   * (host clock, see `hostTime()`) and `options.samplePosition`, which pages that speak fresh
   * streams get as `meta.time` / `meta.samplePosition`.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `INVALID_OPTION`, `CLOSED`
   */
  send<K extends keyof EventsOf<C> & string>(id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult {
    this.#assertOpen();
    const message = anyMessage(id, data, () => this.#nextSeq(id), options);
    const result = this.#observeSend(message, data, undefined, this.#broadcast(message), 'send');
    this.#shared?.relaySend('any', id, data, message.meta);
    return result;
  }

  /**
   * Like {@link send}, to one page only: e.g. a stream that only the page which asked for it wants.
   * Stream sequence numbers are per id for the whole host, so an id sent this way should not also be
   * broadcast (other pages would count the gaps as dropped frames).
   * @returns `'sent'`; `'queued'` for a page whose client has not connected yet (its bridge connects
   * first; the latest message per id waits, up to `maxPendingIds` ids); `'dropped'` when the page is
   * no longer connected or that wait is full
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendTo<K extends keyof EventsOf<C> & string>(page: Page, id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult {
    this.#assertOpen();
    const message = anyMessage(id, data, () => this.#nextSeq(id), options);
    return this.#observeSend(message, data, page, this.#sendToPage(page, message), 'send');
  }

  /**
   * Adds an observer of everything that crosses the bridge: messages both ways, calls both ways with
   * their outcome and duration, pages connecting and going, errors (see {@link Observation}). For
   * inspectors, recorders and tests. With no observer, observing costs nothing measurable.
   * @returns the function that removes the observer
   */
  observe(observer: Observer): () => void {
    if (typeof observer !== 'function') throw new WebViewError('INVALID_OPTION', 'observe needs a function');
    return this.#observers.add(observer);
  }

  /**
   * Serves a tool (the inspector) on the host's port under `prefix`, a path under `/__hise-webview/`
   * ending in `/`: its requests and upgrades go to `route`, behind the same HTTP guard as everything
   * (request parsed, `Host` checked); the rest (Origin, a token) is the tool's to check.
   * @returns the function that unmounts it
   * @throws {WebViewError} `INVALID_OPTION`
   */
  mount(prefix: string, route: ToolRoute): () => void {
    return this.#tools.add(prefix, route);
  }

  /**
   * Accepts a WebSocket upgrade that arrived on another server (a tool's path on another host's
   * port): the same guard and gate as upgrades on this host's own port (Host, Origin, token, `maxPages`).
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#httpGuard().upgrade(request, socket, head, (...parsed) => this.#handleUpgrade(...parsed));
  }

  /**
   * Runs a function offered with {@link handle}, else a callback bound with {@link bindCallback}
   * (given `args` as its array), as a page's call would: for tools (the inspector's console).
   * Rejects with `CallError` `UNKNOWN_FUNCTION` when neither has `name`.
   */
  async runHandler(name: string, args: readonly unknown[]): Promise<unknown> {
    const handler = name.startsWith('$') ? undefined : this.#handlers.get(name);
    if (handler !== undefined) return (handler as (...values: unknown[]) => unknown)(...args);
    return this.#runBinding(name, [...args]);
  }

  /** The retained ids (see {@link retain}) with the latest value each has sent (`undefined`: none yet). */
  get retainedValues(): ReadonlyMap<string, unknown> {
    return new Map([...this.#retained].map(([id, message]) => [id, message === undefined ? undefined : readPayload(decodeFrame(message.forPage(true)!.bytes))]));
  }

  /**
   * Marks ids as retained: the host keeps the latest message of each and sends it to every page
   * when it connects or reconnects, so a page always starts from the current state.
   */
  retain(...ids: (keyof EventsOf<C> & string)[]): void {
    for (const id of ids) if (!this.#retained.has(id)) this.#retained.set(id, undefined);
  }

  /**
   * Sets the one receiver of page messages (replacing any earlier one; `undefined` removes it).
   * @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket`, as in HISE
   */
  setWebSocketCallback(callback: WebSocketCallback | undefined): void {
    if (this.#listening === undefined) {
      throw new WebViewError('NOT_ENABLED', 'call setEnableWebSocket before setWebSocketCallback');
    }
    if (callback !== undefined && typeof callback !== 'function') {
      throw new WebViewError('INVALID_OPTION', 'the WebSocket callback must be a function');
    }
    this.#callback = callback;
  }

  /**
   * Adds a handler for messages a modern page sends under `id`. Returns a function that removes it.
   * (Named `onMessage`, not `on`: `on`/`off`/`once` are Node's EventEmitter methods for the host's
   * own events, and a page may well send an id called `error` or `connect`.)
   */
  onMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(handler as (value: unknown, page: Page) => unknown);
    return () => this.offMessage(id, handler);
  }

  /** Removes a handler added with {@link onMessage}. */
  offMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): void {
    const set = this.#listeners.get(id);
    set?.delete(handler as (value: unknown, page: Page) => unknown);
    if (set?.size === 0) this.#listeners.delete(id);
  }

  /**
   * Offers `fn` to pages as `call(name, ...args)`: its return value (or awaited promise) resolves
   * the page's promise; a throw rejects it with the error's `{name, message, code}`. Replaces an
   * earlier function of that name; `undefined` removes it.
   */
  handle<K extends keyof HostFunctionsOf<C> & string>(name: K, fn: HostFunctionsOf<C>[K] | undefined): void {
    if (fn === undefined) this.#handlers.delete(name);
    else if (typeof fn !== 'function') throw new WebViewError('INVALID_OPTION', `handle('${name}') needs a function`);
    else this.#handlers.set(name, fn as CallHandler);
  }

  /**
   * Calls a function a modern page offered with `handle`. With a page: its result. With `'all'`: the
   * settled result of every modern page. Rejects with a `CallError`: `CALL_TIMEOUT`, `DISCONNECTED`,
   * `UNKNOWN_FUNCTION`, `TOO_MANY_CALLS`, `NOT_SUPPORTED` (a HISE-style page), `UNSERIALIZABLE`, or
   * the page's own error code.
   */
  call<K extends keyof PageFunctionsOf<C> & string>(
    target: Page,
    name: K,
    ...args: Parameters<PageFunctionsOf<C>[K]>
  ): Promise<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>;
  call<K extends keyof PageFunctionsOf<C> & string>(
    target: 'all',
    name: K,
    ...args: Parameters<PageFunctionsOf<C>[K]>
  ): Promise<PromiseSettledResult<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>[]>;
  call(target: Page | 'all', name: string, ...args: unknown[]): Promise<unknown> {
    if (target === 'all') {
      return Promise.allSettled(this.#tabs.pages.filter((page) => page.extended).map((page) => this.#callTab(page, name, args)));
    }
    return this.#callTab(target, name, args);
  }

  // ---- Parameters (PROTOCOL.md "Parameters"): the logic lives in parameters.ts ----

  /**
   * Declares a parameter that every page can read, change and drag with gestures, e.g.
   * `wv.parameter('gain', { min: -60, max: 12, step: 0.1, unit: 'dB' })`; see README "Parameters".
   * @throws {WebViewError} `INVALID_PARAMETER_SPEC`, `INVALID_ID`
   */
  parameter<K extends keyof ParamsOf<C> & string, const S extends SpecFor<ParamsOf<C>[K]>>(id: K, spec: S): Parameter<ParamValue<C, K, S>> {
    return this.#parameters.declare(id, spec as unknown as ParameterSpecInput) as unknown as Parameter<ParamValue<C, K, S>>;
  }

  /** The declared parameters by id. */
  get parameters(): ReadonlyMap<string, Parameter> {
    return this.#parameters.byId;
  }

  /** Every parameter's value and every retained id's latest message, as plain JSON (a plugin's state). */
  getState(): WebViewState {
    return captureState(this.#parameters.byId.values(), this.#retained);
  }

  /**
   * Restores a state from {@link getState}: parameters (clamped to their ranges) and retained ids
   * reach every page. Ids this host does not have are skipped and listed in `ignored`.
   * @throws {WebViewError} `INVALID_STATE` (nothing changed), `CLOSED`
   */
  setState(state: WebViewState): StateResult {
    this.#assertOpen();
    const plan = planState(state, this.#parameters.byId, new Set(this.#retained.keys()));
    for (const [parameter, value] of plan.parameters) parameter.apply(value, { source: 'host', page: undefined, inGesture: false }, undefined);
    for (const [id, data] of plan.retained) this.send(id as keyof EventsOf<C> & string, data as EventsOf<C>[keyof EventsOf<C> & string]);
    return { ignored: plan.ignored };
  }

  // ---- Direct communication (PROTOCOL.md §5): works in any browser, through the injected bridge ----

  /**
   * HISE's `enablePersistence`: store the last `callFunction` or `evaluate` per key (names and uids
   * share one namespace, case-insensitive, as in HISE) and replay them in pages that open later, at
   * DOMContentLoaded. Off: nothing is stored and nothing replays (what was stored is forgotten).
   * @default true
   */
  get enablePersistence(): boolean {
    return this.#persistent.enabled;
  }
  set enablePersistence(enabled: boolean) {
    this.#persistent.enabled = enabled;
  }
  /** HISE's `enableDebugMode`: in a browser, the bridge logs every call it runs to the console (`console.debug`). @default false */
  enableDebugMode = false;
  /** HISE's `scaleFactorToZoom`: kept for API parity; a browser zooms by itself, so it changes nothing here. @default true */
  scaleFactorToZoom = true;

  /** HISE's `enableCache`: false serves the root with `Cache-Control: no-store`, so every reload shows your edits. @default false */
  get enableCache(): boolean {
    return this.#enableCache;
  }
  set enableCache(enabled: boolean) {
    this.#enableCache = enabled;
    this.#root.cache = enabled;
  }
  #enableCache = false;

  /**
   * Shows a folder (or an HTML file and its folder) at `http://127.0.0.1:PORT/`. Every HTML page gets
   * the bridge injected. A `hisewebsocket-min.js` in the folder is served as it is; without one, the
   * host's drop-in answers for it.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection)
   */
  async setIndexFile(path: string): Promise<void> {
    try {
      await this.#root.setIndexFile(path);
    } catch (error) {
      throw new WebViewError('ROOT_NOT_FOUND', `cannot serve ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * The project's images folder, for HISE's `{PROJECT_FOLDER}name.png` references in pages (HISE
   * resolves them through the project's image pool): `/{PROJECT_FOLDER}knob.png`, also from pages in
   * sub-folders, is served from `folder/knob.png` (sub-folders too) with its MIME type, inside the
   * folder only. `undefined` stops serving them.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection) when `folder` is not an existing folder
   */
  async setProjectImagesFolder(folder: string | undefined): Promise<void> {
    try {
      await this.#projectImages.setFolder(folder);
    } catch (error) {
      throw new WebViewError('ROOT_NOT_FOUND', `cannot serve project images from ${String(folder)}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The folder `{PROJECT_FOLDER}` references are served from (its real path). */
  get projectImagesFolder(): string | undefined {
    return this.#projectImages.folder;
  }

  /** Shows one HTML string at `http://127.0.0.1:PORT/`, with the bridge injected. */
  setHtmlContent(html: string): void {
    this.#root.setHtmlContent(String(html));
  }

  /** The folder `setIndexFile` serves. */
  get rootDirectory(): string | undefined {
    return this.#root.directory;
  }

  /** Where the webview is served, once `setEnableWebSocket` has resolved. */
  get url(): string | undefined {
    // The host's own listener serves its pages; when shared, that is its private port (their sockets go to the shared one).
    const port = this.#listener?.port;
    return port === undefined ? undefined : `http://127.0.0.1:${port}/`;
  }

  /** The bridge script for pages the host does not serve (a Vite dev server, a file): include it first in `<head>`. */
  get bridgeScriptUrl(): string | undefined {
    const port = this.#listener?.port;
    return port === undefined ? undefined : `http://localhost:${port}${BRIDGE_SCRIPT_PATH}`;
  }

  /** The host's own accounting of its session logs (what `maxSessions`, `maxSessionsPerSource` and `maxSessionBytes` bound). */
  get sessionStats(): SessionStats {
    return this.#sessions.stats;
  }

  /** The token pages must present (`options.token`, or the random one of `token: 'auto'`). */
  get token(): string | undefined {
    return this.#token;
  }

  /**
   * HISE's `bindCallback`: pages get `window[name](...args)` returning a Promise. `fn` receives the
   * array of arguments; its return value (or awaited promise) resolves, a throw rejects with the
   * error's name, message and code. Rebinding replaces. `name` must be a plain identifier that is
   * not a reserved word and does not shadow a property of `window` (`location`, `__proto__`, `fetch` …).
   * @throws {WebViewError} `INVALID_NAME`, `INVALID_OPTION`
   */
  bindCallback(name: string, fn: (args: unknown[]) => unknown): void {
    checkBindingName(name);
    if (typeof fn !== 'function') throw new WebViewError('INVALID_OPTION', `bindCallback('${name}') needs a function`);
    this.#bindings.set(name, fn);
    this.#updateBindings();
  }

  /** Removes one bound callback; pages lose `window[name]`. */
  unbindCallback(name: string): void {
    if (!this.#bindings.delete(name)) return;
    this.#updateBindings();
  }

  /**
   * HISE's `callFunction`: runs `name(arg)` in every page with the bridge, finding `name` as HISE
   * does (top-level `const`/`let`/`function` of classic scripts, dotted paths with `this` = the
   * owner); `arg` travels as JSON, never pasted into code; no `arg` calls `name()`. Stored for replay
   * when `enablePersistence`.
   * @returns each page's result or error
   * @throws {WebViewError} `INVALID_NAME` (not identifiers joined by dots), `UNSERIALIZABLE_DATA`
   */
  callFunction(name: string, arg?: unknown): Promise<PromiseSettledResult<unknown>[]> {
    checkName(name);
    if (!isFunctionPath(name)) throw new WebViewError('INVALID_NAME', `callFunction needs identifiers joined by dots, got '${name.slice(0, 80)}'`);
    if (arg !== undefined) checkSerializable(arg);
    this.#persistent.storeFunction(name, arg);
    return this.#callBridges(BridgeCall.CallFunction, arg === undefined ? [name] : [name, arg]);
  }

  /**
   * HISE's `evaluate`: runs `code` in every page with the bridge. Stored per `uid` for replay when
   * `enablePersistence`.
   * @returns each page's completion value or error
   */
  evaluate(uid: string, code: string): Promise<PromiseSettledResult<unknown>[]> {
    checkName(uid);
    if (typeof code !== 'string') throw new WebViewError('UNSUPPORTED_DATA', 'evaluate needs code as a string');
    this.#persistent.storeEvaluate(uid, code);
    return this.#callBridges(BridgeCall.Evaluate, [code]);
  }

  /** HISE's `reset`: forgets bound callbacks and persistent calls. */
  reset(): void {
    this.#bindings.clear();
    this.#persistent.clear();
    this.#updateBindings();
  }

  /** Asks every page with the bridge to reload (live development). Returns how many were asked. */
  reloadPages(): number {
    const bridges = this.#bridges();
    for (const connection of bridges) void this.#callPage(connection, BridgeCall.Reload, []).catch(() => undefined);
    return bridges.length;
  }

  /**
   * Registers `buffer` under the id `String(index)`; {@link updateBuffer} sends its contents.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX`, `UNSUPPORTED_DATA`, `DETACHED_BUFFER`
   */
  addBufferToWebSocket(index: number, buffer: Float32Array): void {
    checkBufferIndex(index);
    if (!(buffer instanceof Float32Array)) {
      throw new WebViewError('UNSUPPORTED_DATA', 'addBufferToWebSocket needs a Float32Array');
    }
    checkAttached(buffer);
    this.#buffers.set(index, buffer);
  }

  /**
   * Sends the registered buffer's contents, as they are now, to every connected page.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX` when nothing is registered at `index`
   */
  updateBuffer(index: number): SendResult {
    checkBufferIndex(index);
    const buffer = this.#buffers.get(index);
    if (buffer === undefined) throw new WebViewError('INVALID_BUFFER_INDEX', `no buffer is registered at index ${index}`);
    return this.sendToWebsocket(String(index), buffer);
  }

  /** Sends close frames to every page, waits up to `closeTimeout` for them, and frees the port. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#parameters.close();
    await this.#listening?.catch(() => undefined);
    const sharedClosed = this.#shared?.close(); // first: the others take the port over while the pages close
    await Promise.all([...this.#connections].map((connection) => this.#closePage(connection)));
    await sharedClosed;
    await this.#tools.close();
    await this.#listener?.close();
    this.#pending.clear();
    this.#sessions.clear();
  }

  #httpGuard(): HttpGuard {
    return (this.#guard ??= new HttpGuard({
      ...this.options,
      sharedPort: () => this.#shared?.port,
      report: (error) => this.#report(error, undefined),
      refusedHost: (request) =>
        this.emit('refused', { reason: 'host', origin: request.headers.origin, remoteAddress: request.socket.remoteAddress, host: request.headers.host }),
    }));
  }

  async #listen(port: number): Promise<number> {
    const guard = this.#httpGuard();
    const routes = { root: this.#root, projectImages: this.#projectImages, allowedOrigins: this.options.allowedOrigins, bridgePrelude: () => this.#bridgePrelude() };
    const handlers: HttpHandlers = {
      request: (request, response) => guard.request(request, response, (...parsed) => this.#tools.request(...parsed) ?? serveHttp(...parsed, routes)),
      upgrade: (request, socket, head) => guard.upgrade(request, socket, head, (...parsed) => this.#tools.upgrade(...parsed) || this.#handleUpgrade(...parsed)),
      timeout: (socket) => this.emit('refused', { reason: 'timeout', origin: undefined, remoteAddress: socket.remoteAddress }),
    };
    const limits = { handshakeTimeout: this.options.handshakeTimeout };
    // Shared: the WebView serves on a private port; the shared port is the hub's (see shared-port/).
    this.#listener = await listenHttp(this.options.shared ? 0 : port, this.options.host, handlers, limits);
    if (this.instances !== undefined && !this.#closed) {
      try {
        this.#shared = await this.#sharePort(port, handlers, limits, this.instances);
      } catch (error) {
        await this.#listener.close();
        throw error;
      }
    }
    if (this.#closed) {
      await this.#shared?.close();
      await this.#listener.close();
      throw new WebViewError('CLOSED', 'this WebView was closed while starting');
    }
    this.#startHeartbeat();
    return this.port!;
  }

  #sharePort(port: number, handlers: HttpHandlers, limits: { handshakeTimeout: number }, instances: Instances): Promise<SharedPort> {
    const { host, maxPayload, sharedDirectory: directory } = this.options;
    return SharedPort.start(port, instances, {
      host, maxPayload, directory, handlers, limits,
      guardUpgrade: (...args) => this.#httpGuard().upgrade(...args),
      privatePort: this.#listener!.port,
      deliver: (api, id, value, retained, meta) => {
        if (this.#closed) return;
        if (retained) this.retain(id);
        this.#broadcast(api === 'hise' ? hiseMessage(id, value, () => this.#nextSeq(id)) : anyMessage(id, value, () => this.#nextSeq(id), meta));
      },
      dispatch: (page, id, value) => this.#dispatchPage(page, id, value),
      isRetained: (id) => this.#retained.has(id),
      report: (error) => this.#report(error, undefined),
    });
  }

  /** The config the bridge script starts from: port, token, bindings, and the persistent calls as of now. */
  #bridgePrelude(): string {
    const config: BridgeConfig = {
      port: this.port!,
      token: this.#token,
      bindings: [...this.#bindings.keys()],
      persisted: this.#persistent.all(),
      debug: this.enableDebugMode,
      ...(this.instances === undefined ? {} : { instance: this.instances.self }),
    };
    return `window.${BRIDGE_CONFIG_GLOBAL}=${JSON.stringify(config)};\n`;
  }

  #handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest): void {
    if (this.#closed) {
      writeStatus(socket, 503);
      return;
    }
    const refusal = checkUpgrade(request, parsed.query, { ...this.options, token: this.#token });
    if (refusal !== undefined) {
      this.#refusals.refuse(request, socket, head, refusal.reason, this.options);
      if (refusal.reason !== 'fallback') {
        this.emit('refused', { reason: refusal.reason, origin: request.headers.origin, remoteAddress: request.socket.remoteAddress });
      }
      if (refusal.reason === 'session') this.#report(new WebViewError('INVALID_SESSION', INVALID_SESSION_MESSAGE), undefined);
      return;
    }
    const tab = tabOf(parsed.query);
    if (!this.#tabs.admits(request, tab, this.options)) {
      this.#refusals.refuse(request, socket, head, 'capacity', this.options);
      this.emit('refused', { reason: 'capacity', origin: request.headers.origin, remoteAddress: request.socket.remoteAddress });
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request, parsed, tab));
  }

  #accept(socket: WebSocket, request: IncomingMessage, parsed: ParsedRequest, tab: string | undefined): void {
    const { highWaterMark, maxQueuedBytesPerPage, callTimeout, maxPendingCalls, streamWindow, streamLatency, maxSubscriptionIds } = this.options;
    const { page, isNew } = this.#tabs.pageFor(request, tab, () => new Page(this.#nextPageId++, tab, request, parsed, this.options.maxPendingIds));
    if (isNew) page.instance = this.instances?.self;
    const connection = new Connection(
      page,
      socket,
      request,
      parsed,
      { highWaterMark, maxQueuedBytes: maxQueuedBytesPerPage, callTimeout, maxPendingCalls, streamWindow, streamLatency, maxSubscriptionIds },
      (slow) => this.#dropSlowPage(slow),
    );
    // The bridge's own connection carries direct communication only, never the page's data.
    const isFirst = !connection.bridged && !this.#hasDataPages();
    this.#connections.add(connection);
    this.#tabs.add(connection);
    if (connection.extended) {
      const receiver = new ExtendedReceiver(connection, {
        handlers: this.#handlers,
        ledger: this.#ledger,
        maxIncomingCalls: this.options.maxIncomingCalls,
        maxCallArguments: this.options.maxCallArguments,
        observers: this.#observers,
        deliver: (from, id, value) => this.#dispatch(from, id, value),
        acknowledge: (from, seq) => this.#sessions.acknowledge(from, seq),
        parameter: (from, id, data) => this.#parameters.receive(from, id, data),
        report: (error, from) => this.#report(error, from),
      });
      socket.on('message', (data: Buffer, isBinary: boolean) => this.#contain(connection, () => receiver.receive(data, isBinary)));
    } else {
      socket.on('message', (data: Buffer, isBinary: boolean) => this.#contain(connection, () => this.#receiveLegacy(connection, data, isBinary)));
    }
    socket.on('error', (error: Error & { code?: string }) => this.#report(socketErrorToWebViewError(error), connection));
    socket.once('close', (code: number, reason: Buffer) => {
      this.#connections.delete(connection);
      if (connection.session !== undefined) this.#sessions.detach(connection);
      if (!connection.bridged) this.#parameters.detach(connection);
      connection.calls.rejectAll('DISCONNECTED', `page ${connection.id} disconnected`);
      if (!this.#tabs.remove(connection)) return;
      this.#shared?.pageGone(page);
      this.emit('disconnect', page, code, reason.toString());
    });
    if (!connection.bridged) {
      const resent = connection.extended && connection.session !== undefined ? this.#sessions.attach(connection) : new Set<OutboundMessage>();
      connection.streams?.announce();
      this.#sendInitialState(connection, isFirst, resent, page.takeHeld());
      this.#parameters.attach(connection);
    }
    if (connection.bridged) this.#sendBindings(connection);
    if (isNew) this.emit('connect', page);
    this.emit('connection', connection);
  }

  /**
   * The first page gets what was held while nobody was connected, then what was held for its tab
   * while only its bridge was connected (`held`), each once and except what its session log just
   * resent. Every page gets the retained ids, again on every reconnect, even when the log resent one
   * too (the page may not have had it): a page always starts from the current state, and may see
   * the latest value of a retained id twice.
   */
  #sendInitialState(page: Connection, isFirst: boolean, resent: Set<OutboundMessage>, held: OutboundMessage[]): void {
    const flushed = new Set<OutboundMessage>();
    for (const message of [...(isFirst ? this.#pending.take() : []), ...held]) {
      if (!resent.has(message) && !flushed.has(message)) this.#deliverTo(page, message);
      flushed.add(message);
    }
    for (const message of this.#retained.values()) {
      if (message !== undefined && !flushed.has(message)) this.#deliverTo(page, message);
    }
  }

  /** Control messages to a modern page's session are numbered and logged until acknowledged. */
  #deliverTo(page: Connection, message: OutboundMessage): void {
    if (message.kind === 'control' && page.extended && page.session !== undefined && !page.bridged) this.#sessions.deliver(page, message);
    else page.deliver(message);
  }

  #dropOverfullSession(page: Connection | undefined, reason: string): void {
    // Never the id itself: it is the session's secret, and error messages end up in logs.
    const which = page === undefined ? 'a disconnected session' : `the session of page ${page.id}`;
    this.#report(new WebViewError('PAGE_TOO_SLOW', `${which} was forgotten: ${reason}`), page);
    page?.terminate();
  }

  /**
   * Runs the handling of one page frame: whatever it throws (a bug of ours a page's input reached)
   * is reported as `FRAME_HANDLER_FAILED`, never thrown out of the socket's listener, which would
   * end the process.
   */
  #contain(from: Connection, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#report(new WebViewError('FRAME_HANDLER_FAILED', `handling a frame of page ${from.id} failed: ${String((error as Error)?.message ?? 'unknown error')}`, { cause: error }), from);
    }
  }

  #receiveLegacy(page: Connection, data: Buffer, isBinary: boolean): void {
    let message: unknown;
    try {
      message = decodePageMessage(data, isBinary);
    } catch (error) {
      this.#report(error as WebViewError, page);
      return;
    }
    if (isHiseParameterMessage(message)) this.#parameters.receive(page, typeof message.id === 'string' ? message.id : '', message);
    else this.#dispatch(page, undefined, message);
  }

  /** Hands one page message to the `on(id)` handlers and the catch-all callback, containing their failures. */
  #dispatch(from: Connection, id: string | undefined, value: unknown): void {
    this.#dispatchPage(from.page, id, value);
    this.#shared?.relayPageMessage(from.page, id, value);
  }

  #dispatchPage(page: Page, id: string | undefined, value: unknown): void {
    if (this.#observers.active) this.#observers.emit({ type: 'receive', time: now(), id, data: value, page });
    if (id !== undefined) {
      for (const handler of this.#listeners.get(id) ?? []) this.#invoke(() => handler(value, page), page);
    }
    const callback = this.#callback;
    if (callback !== undefined) this.#invoke(() => callback(value, page, id), page);
  }

  #invoke(run: () => unknown, page: Page): void {
    try {
      const result = run();
      if (result instanceof Promise) result.catch((error: unknown) => this.#reportCallbackFailure(error, page));
    } catch (error) {
      this.#reportCallbackFailure(error, page);
    }
  }

  #runBinding(name: unknown, args: unknown): unknown {
    const fn = typeof name === 'string' ? this.#bindings.get(name) : undefined;
    if (fn === undefined) throw new CallError('UNKNOWN_FUNCTION', `no callback is bound as '${String(name)}'`);
    const list = Array.isArray(args) ? args : [];
    if (this.options.callbackErrors === 'reject') return fn(list);
    return resolveNullOnError(
      () => fn(list),
      (error) => this.#report(new WebViewError('CALLBACK_FAILED', `bound callback '${String(name)}' failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined),
    );
  }

  #sendBindings(page: Connection): void {
    page.deliver(anyMessage(BINDINGS_ID, [...this.#bindings.keys()], () => 0));
  }

  /** Tells every bridge the bound names after they changed. */
  #updateBindings(): void {
    for (const connection of this.#bridges()) this.#sendBindings(connection);
  }

  /** The bridges' own connections: what direct communication (bindings, `callFunction`, `evaluate`, reload) addresses. */
  #bridges(): Connection[] {
    return [...this.#connections].filter((connection) => connection.bridged);
  }

  #callBridges(name: string, args: unknown[]): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(this.#bridges().map((connection) => this.#callPage(connection, name, args)));
  }

  /** A call to a page goes to its connection that answers it (see {@link callTarget}). */
  #callTab(page: Page, name: string, args: unknown[]): Promise<unknown> {
    try {
      const target = callTarget(page, name, this.options.callTimeout, (p) => this.#tabs.has(p));
      return target instanceof Promise ? target.then((connection) => this.#callPage(connection, name, args)) : this.#callPage(target, name, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #callPage(page: Connection, name: string, args: unknown[]): Promise<unknown> {
    if (!page.extended) {
      return Promise.reject(new CallError('NOT_SUPPORTED', `page ${page.id} uses HISE's format, which has no calls`));
    }
    if (!this.#connections.has(page)) return Promise.reject(new CallError('DISCONNECTED', `page ${page.id} is not connected`));
    let started: ReturnType<Connection['calls']['start']>;
    try {
      started = page.calls.start(name, args);
    } catch (error) {
      return Promise.reject(error);
    }
    page.deliver(controlFrame(started.frame));
    const settle = this.#observers.callStarted('host-to-page', name, args, page.page);
    if (settle === undefined) return started.result;
    started.result.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    );
    return started.result;
  }

  #sendToPage(page: Page, message: OutboundMessage): SendResult {
    if (!this.#tabs.has(page)) return 'dropped';
    const connections = page.dataConnections();
    if (connections.length === 0) return page.hold(message) ? 'queued' : 'dropped';
    for (const connection of connections) this.#deliverTo(connection, message);
    return 'sent';
  }

  #observeSend(message: OutboundMessage, data: unknown, page: Page | undefined, result: SendResult, via: 'sendToWebsocket' | 'send'): SendResult {
    if (this.#observers.active) {
      const retained = this.#retained.has(message.id);
      this.#observers.emit({ type: 'send', time: now(), id: message.id, data, stream: message.kind === 'stream', page, result, via, retained, meta: message.meta });
    }
    return result;
  }

  #broadcast(message: OutboundMessage): SendResult {
    if (this.#retained.has(message.id)) this.#retained.set(message.id, message);
    if (message.kind === 'control') this.#sessions.holdForAbsent(message);
    this.#tabs.holdForWaiting(message);
    if (!this.#hasDataPages()) {
      if (this.#pending.hold(message.id, message)) return 'queued';
      if (this.#retained.has(message.id)) return 'queued'; // a retained id reaches every page that connects
      this.#report(
        new WebViewError('PENDING_QUEUE_FULL', `no page is connected and ${this.options.maxPendingIds} ids are held: '${message.id}' was dropped`),
        undefined,
      );
      return 'dropped';
    }
    for (const connection of this.#connections) if (!connection.bridged) this.#deliverTo(connection, message);
    return 'sent';
  }

  /** Whether a page that takes data (anything but a bridge's own connection) is connected. */
  #hasDataPages(): boolean {
    for (const connection of this.#connections) if (!connection.bridged) return true;
    return false;
  }

  #nextSeq(id: string): number {
    const seq = ((this.#streamSeq.get(id) ?? 0) + 1) >>> 0;
    this.#streamSeq.set(id, seq);
    return seq;
  }

  #startHeartbeat(): void {
    if (this.options.heartbeatInterval === 0) return;
    this.#heartbeat = setInterval(() => {
      for (const page of this.#connections) {
        if (!page.heartbeat()) {
          this.#report(new WebViewError('PAGE_UNRESPONSIVE', `page ${page.id} did not answer a ping and was disconnected`), page);
        }
      }
    }, this.options.heartbeatInterval);
    this.#heartbeat.unref();
  }

  #dropSlowPage(page: Connection): void {
    this.#report(
      new WebViewError('PAGE_TOO_SLOW', `page ${page.id} stopped reading with over ${this.options.maxQueuedBytesPerPage} bytes of messages waiting; it was disconnected`),
      page,
    );
    page.terminate();
  }

  async #closePage(page: Connection): Promise<void> {
    const timer = setTimeout(() => page.terminate(), this.options.closeTimeout);
    page.close(CloseCode.GOING_AWAY, 'host closing');
    await page.closed;
    clearTimeout(timer);
  }

  #reportCallbackFailure(error: unknown, page: Page): void {
    this.#report(new WebViewError('CALLBACK_FAILED', `a message handler failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), page);
  }

  /**
   * Every event goes to every listener even when one throws or rejects: a failing `connect`,
   * `disconnect` or `refused` listener is reported as `LISTENER_FAILED`, a failing `error` listener
   * is written to `console.error`. A listener of the host's author can never stop the host.
   */
  override emit<K extends keyof WebViewEvents>(event: K, ...args: WebViewEvents[K]): boolean;
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (this.#observers.active) this.#observeEvent(event, args);
    return emitContained(this, event, args, (error) => {
      if (event === 'error') console.error(`[hise-webview] an 'error' listener failed:`, error);
      else this.#report(new WebViewError('LISTENER_FAILED', `a '${String(event)}' listener failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined);
    });
  }

  #observeEvent(event: string | symbol, args: unknown[]): void {
    const time = now();
    if (event === 'connect') this.#observers.emit({ type: 'connect', time, page: args[0] as Page });
    else if (event === 'disconnect') this.#observers.emit({ type: 'disconnect', time, page: args[0] as Page, code: args[1] as number, reason: args[2] as string });
    else if (event === 'error') this.#observers.emit({ type: 'error', time, error: args[0] as WebViewError, page: args[1] as Page | undefined });
  }

  /** Emits `error` with the page concerned (a connection stands for its page). */
  #report(error: WebViewError, from: Page | Connection | undefined): void {
    const page = from instanceof Connection ? from.page : from;
    if (this.listenerCount('error') > 0) this.emit('error', error, page);
    else console.warn(`[hise-webview] ${error.code}: ${error.message}`);
  }

  #assertOpen(): void {
    if (this.#closed) throw new WebViewError('CLOSED', 'this WebView has been closed');
  }
}

const INVALID_SESSION_MESSAGE =
  'a connection offered a ?session= that is not 32 lowercase hex digits (128 random bits) and was refused with 400; is the page using an older client than this host?';

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name === '') throw new WebViewError('INVALID_NAME', `a name must be a non-empty string, got ${String(name)}`);
}

function checkBufferIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_BUFFER_INDEX) {
    throw new WebViewError('INVALID_BUFFER_INDEX', `buffer index must be an integer from 0 to ${MAX_BUFFER_INDEX}, got ${String(index)}`);
  }
}

function socketErrorToWebViewError(error: Error & { code?: string }): WebViewError {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new WebViewError('MESSAGE_TOO_LARGE', `a page sent a message over maxPayload: ${error.message}`, { cause: error });
  }
  return new WebViewError('PAGE_PROTOCOL_ERROR', `a page broke the WebSocket protocol: ${error.message}`, { cause: error });
}


