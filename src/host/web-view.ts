import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BRIDGE_SCRIPT_PATH } from '../protocol/index.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf, ParameterSpecInput, SpecFor, ValueOfSpec, CallHandler } from '../protocol/index.js';
import { Broadcast, MAX_BUFFER_INDEX, type SendResult } from './broadcast.js';
import { Calls } from './calls.js';
import { HostCore } from './core.js';
import { Delivery } from './delivery/delivery.js';
import { InboundOrder } from './delivery/inbound-order.js';
import type { SendOptions } from './delivery/outbound.js';
import type { SessionStats } from './delivery/session-outbox.js';
import { Direct } from './direct/direct.js';
import { WebViewError } from './errors.js';
import type { RefusedConnection, WebViewEvents } from './events.js';
import { Http } from './http/http.js';
import type { ToolRoute } from './http/tool-routes.js';
import { Inbox, type WebSocketCallback } from './inbox.js';
import { HostInternals, registerInternals } from './internals.js';
import type { Observer } from './observer.js';
import { resolveOptions, type ResolvedWebViewOptions, type WebViewOptions } from './options.js';
import type { Page } from './pages/page.js';
import { PageRegistry } from './pages/registry.js';
import type { Parameter } from './parameters/parameter.js';
import { HostParameters } from './parameters/parameters.js';
import { captureState, restoreState, type StateResult, type WebViewState } from './parameters/web-view-state.js';
import type { Instances } from './shared-port/instances.js';
import { SharedPortLink } from './shared-port/web-view-link.js';

export { MAX_BUFFER_INDEX, type SendResult, type WebSocketCallback, type WebViewEvents, type RefusedConnection };

/** A parameter's value type: the contract's, or (untyped) what its spec declares. */
export type ParamValue<C extends Contract, K extends string, S> = string extends keyof ParamsOf<C> ? ValueOfSpec<S> : ParamsOf<C>[K];

/**
 * A webview host with HISE's ScriptWebView API: a WebSocket server on loopback that speaks HISE's
 * binary format to every connected page, byte for byte, and the negotiated `hise-webview.1`
 * extension (ids both ways, more types, calls) to pages using the modern client.
 *
 * A facade: each capability lives in its own module (docs/ARCHITECTURE.md), composed here.
 * `C` types the ids, payloads and functions both sides agree on (see {@link Contract}).
 */
export class WebView<C extends Contract = AnyContract> extends EventEmitter<WebViewEvents> {
  readonly options: Readonly<ResolvedWebViewOptions>;
  /**
   * With `shared: true`: the instances sharing the port (list, `join`/`leave`, messages between
   * them; README "Shared port"). Undefined for a host that does not share its port.
   */
  readonly instances: Instances | undefined;
  readonly #core: HostCore;
  readonly #pages: PageRegistry;
  readonly #broadcast: Broadcast;
  readonly #inbox: Inbox;
  readonly #calls: Calls;
  readonly #direct: Direct;
  readonly #parameters: HostParameters;
  readonly #delivery: Delivery;
  readonly #http: Http;

  /** @throws {WebViewError} `INVALID_OPTION` */
  constructor(options: WebViewOptions = {}) {
    super();
    const core = (this.#core = new HostCore(Object.freeze(resolveOptions(options)), this));
    this.options = core.options;
    this.instances = core.instances;
    const order = new InboundOrder(core);
    this.#pages = new PageRegistry(core);
    this.#delivery = new Delivery(core);
    this.#broadcast = new Broadcast(core, this.#pages, this.#delivery);
    this.#inbox = new Inbox(core, order);
    this.#calls = new Calls(core, this.#pages);
    this.#direct = new Direct(core, this.#pages, this.#calls);
    this.#parameters = new HostParameters(core, order);
    const sharing = core.instances === undefined ? undefined : new SharedPortLink(core, this.#broadcast, this.#inbox);
    this.#http = new Http(core, this.#pages, this.#direct, sharing);
    // The order each connection meets them in (attach), and the host closes them in (dispose).
    core.compose(this.#parameters, this.#broadcast, this.#direct, this.#calls, this.#inbox, ...(sharing ? [sharing] : []), this.#http, this.#delivery);
    registerInternals(this, new HostInternals(core, this.#calls, this.#direct));
  }

  /**
   * Starts the server. `0` or `-1` picks a free port. Called again, resolves the port of the first call.
   * @returns the bound port
   * @throws {WebViewError} `INVALID_PORT`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED` (as rejections)
   */
  setEnableWebSocket(port = 0): Promise<number> {
    return this.#http.start(port);
  }

  /** The bound port once `setEnableWebSocket` has resolved. */
  get port(): number | undefined {
    return this.#http.port;
  }

  /** The pages connected now: one per browser tab (see {@link Page}). */
  get pages(): readonly Page[] {
    return this.#pages.pages;
  }

  /**
   * HISE's send: `data` under `id` to every connected page: a string as type 1, a `Float32Array` as
   * type 2 (copied now), a plain object or array as JSON text (type 1). With no page connected, the
   * latest message per id is held for the first page that connects.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult {
    return this.#broadcast.sendHise(id, data);
  }

  /** The same as {@link sendToWebsocket}. This is HISE's spelling; `sendToWebsocket` is the one HISE's docs use, kept as an alias. */
  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult {
    return this.#broadcast.sendHise(id, data);
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
    return this.#broadcast.send(id, data, options);
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
    return this.#broadcast.sendTo(page, id, data, options);
  }

  /**
   * Adds an observer of everything that crosses the bridge: messages both ways, calls both ways with
   * their outcome and duration, pages connecting and going, errors (see {@link Observation}). For
   * inspectors, recorders and tests. With no observer, observing costs nothing measurable.
   * @returns the function that removes the observer
   */
  observe(observer: Observer): () => void {
    if (typeof observer !== 'function') throw new WebViewError('INVALID_OPTION', 'observe needs a function');
    return this.#core.observe(observer);
  }

  /**
   * Serves a tool on the host's port under `prefix`, a path under `/__hise-webview/` ending in `/`:
   * its requests and upgrades go to `route`, behind the same HTTP guard as everything (request
   * parsed, `Host` checked); the rest (Origin, a token) is the tool's to check. The inspector is one;
   * a status page of your own is another:
   * `wv.mount('/__hise-webview/status/', { request: (_req, res) => res.end(JSON.stringify({ pages: wv.pages.length })) })`.
   * @returns the function that unmounts it
   * @throws {WebViewError} `INVALID_OPTION`
   */
  mount(prefix: string, route: ToolRoute): () => void {
    return this.#http.mount(prefix, route);
  }

  /**
   * Accepts a WebSocket upgrade that arrived on another server (a tool's path on another host's
   * port, your own HTTP server): the same guard and gate as upgrades on this host's own port (Host,
   * Origin, token, `maxPages`), e.g. `server.on('upgrade', (req, socket, head) => wv.handleUpgrade(req, socket, head))`.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#http.acceptUpgrade(request, socket, head);
  }

  /**
   * The retained ids (see {@link retain}) with the latest value each has sent (`undefined`: none
   * yet): what a page that connects now starts from, e.g. `wv.retainedValues.get('state')`.
   */
  get retainedValues(): ReadonlyMap<string, unknown> {
    return this.#broadcast.retainedValues;
  }

  /**
   * Marks ids as retained: the host keeps the latest message of each and sends it to every page
   * when it connects or reconnects, so a page always starts from the current state.
   */
  retain(...ids: (keyof EventsOf<C> & string)[]): void {
    this.#broadcast.retain(ids);
  }

  /**
   * Sets the one receiver of page messages (replacing any earlier one; `undefined` removes it).
   * @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket`, as in HISE
   */
  setWebSocketCallback(callback: WebSocketCallback | undefined): void {
    this.#inbox.setCallback(callback);
  }

  /**
   * Adds a handler for messages a modern page sends under `id`. Returns a function that removes it.
   * (Named `onMessage`, not `on`: `on`/`off`/`once` are Node's EventEmitter methods for the host's
   * own events, and a page may well send an id called `error` or `connect`.)
   */
  onMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): () => void {
    return this.#inbox.onMessage(id, handler as (value: unknown, page: Page) => unknown);
  }

  /** Removes a handler added with {@link onMessage}. */
  offMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): void {
    this.#inbox.offMessage(id, handler as (value: unknown, page: Page) => unknown);
  }

  /**
   * Offers `fn` to pages as `call(name, ...args)`: its return value (or awaited promise) resolves
   * the page's promise; a throw rejects it with the error's `{name, message, code}`. Replaces an
   * earlier function of that name; `undefined` removes it.
   */
  handle<K extends keyof HostFunctionsOf<C> & string>(name: K, fn: HostFunctionsOf<C>[K] | undefined): void {
    this.#calls.handle(name, fn as CallHandler | undefined);
  }

  /**
   * Calls a function a modern page offered with `handle`. With a page: its result. With `'all'`: the
   * settled result of every modern page. Rejects with a `CallError`: `CALL_TIMEOUT`, `DISCONNECTED`,
   * `UNKNOWN_FUNCTION`, `TOO_MANY_CALLS`, `NOT_SUPPORTED` (a HISE-style page), `UNSERIALIZABLE`, or
   * the page's own error code.
   */
  call<K extends keyof PageFunctionsOf<C> & string>(target: Page, name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>;
  call<K extends keyof PageFunctionsOf<C> & string>(target: 'all', name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<PromiseSettledResult<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>[]>;
  call(target: Page | 'all', name: string, ...args: unknown[]): Promise<unknown> {
    return this.#calls.call(target, name, args);
  }

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
    return captureState(this.#parameters.byId.values(), this.#broadcast.retained);
  }

  /**
   * Restores a state from {@link getState}: parameters (clamped to their ranges) and retained ids
   * reach every page. Ids this host does not have are skipped and listed in `ignored`.
   * @throws {WebViewError} `INVALID_STATE` (nothing changed), `CLOSED`
   */
  setState(state: WebViewState): StateResult {
    this.#core.assertOpen();
    return restoreState(state, this.#parameters.byId, this.#broadcast);
  }

  // ---- Direct communication (PROTOCOL.md §5): works in any browser, through the injected bridge ----

  /**
   * HISE's `enablePersistence`: store the last `callFunction` or `evaluate` per key (names and uids
   * share one namespace, case-insensitive, as in HISE) and replay them in pages that open later, at
   * DOMContentLoaded. Off: nothing is stored and nothing replays (what was stored is forgotten).
   * @default true
   */
  get enablePersistence(): boolean {
    return this.#direct.persistent.enabled;
  }
  set enablePersistence(enabled: boolean) {
    this.#direct.persistent.enabled = enabled;
  }
  /** HISE's `enableDebugMode`: in a browser, the bridge logs every call it runs to the console (`console.debug`). @default false */
  get enableDebugMode(): boolean {
    return this.#direct.debug;
  }
  set enableDebugMode(enabled: boolean) {
    this.#direct.debug = enabled;
  }
  /** HISE's `scaleFactorToZoom`: kept for API parity; a browser zooms by itself, so it changes nothing here. @default true */
  scaleFactorToZoom = true;

  /** HISE's `enableCache`: false serves the root with `Cache-Control: no-store`, so every reload shows your edits. @default false */
  get enableCache(): boolean {
    return this.#http.cache;
  }
  set enableCache(enabled: boolean) {
    this.#http.cache = enabled;
  }

  /**
   * Shows a folder (or an HTML file and its folder) at `http://127.0.0.1:PORT/`. Every HTML page gets
   * the bridge injected. A `hisewebsocket-min.js` in the folder is served as it is; without one, the
   * host's drop-in answers for it.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection)
   */
  setIndexFile(path: string): Promise<void> {
    return this.#http.setIndexFile(path);
  }

  /**
   * The project's images folder, for HISE's `{PROJECT_FOLDER}name.png` references in pages (HISE
   * resolves them through the project's image pool): `/{PROJECT_FOLDER}knob.png`, also from pages in
   * sub-folders, is served from `folder/knob.png` (sub-folders too) with its MIME type, inside the
   * folder only. `undefined` stops serving them.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection) when `folder` is not an existing folder
   */
  setProjectImagesFolder(folder: string | undefined): Promise<void> {
    return this.#http.setProjectImagesFolder(folder);
  }

  /** The folder `{PROJECT_FOLDER}` references are served from (its real path). */
  get projectImagesFolder(): string | undefined {
    return this.#http.projectImages.folder;
  }

  /** Shows one HTML string at `http://127.0.0.1:PORT/`, with the bridge injected. */
  setHtmlContent(html: string): void {
    this.#http.root.setHtmlContent(String(html));
  }

  /** The folder `setIndexFile` serves. */
  get rootDirectory(): string | undefined {
    return this.#http.root.directory;
  }

  /** Where the webview is served, once `setEnableWebSocket` has resolved. */
  get url(): string | undefined {
    // The host's own listener serves its pages; when shared, that is its private port (their sockets go to the shared one).
    const port = this.#http.ownPort;
    return port === undefined ? undefined : `http://127.0.0.1:${port}/`;
  }

  /** The bridge script for pages the host does not serve (a Vite dev server, a file): include it first in `<head>`. */
  get bridgeScriptUrl(): string | undefined {
    const port = this.#http.ownPort;
    return port === undefined ? undefined : `http://localhost:${port}${BRIDGE_SCRIPT_PATH}`;
  }

  /**
   * The host's own accounting of its session logs (what `maxSessions`, `maxSessionsPerSource` and
   * `maxSessionBytes` bound): to watch what pages that may come back cost, e.g.
   * `setInterval(() => console.log(wv.sessionStats.bytes), 10_000)`.
   */
  get sessionStats(): SessionStats {
    return this.#delivery.stats;
  }

  /** The token pages must present (`options.token`, or the random one of `token: 'auto'`). */
  get token(): string | undefined {
    return this.#core.token;
  }

  /**
   * HISE's `bindCallback`: pages get `window[name](...args)` returning a Promise. `fn` receives the
   * array of arguments; its return value (or awaited promise) resolves, a throw rejects with the
   * error's name, message and code. Rebinding replaces. `name` must be a plain identifier that is
   * not a reserved word and does not shadow a property of `window` (`location`, `__proto__`, `fetch` …).
   * @throws {WebViewError} `INVALID_NAME`, `INVALID_OPTION`
   */
  bindCallback(name: string, fn: (args: unknown[]) => unknown): void {
    this.#direct.bind(name, fn);
  }

  /** Removes one bound callback; pages lose `window[name]`. */
  unbindCallback(name: string): void {
    this.#direct.unbind(name);
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
    return this.#direct.callFunction(name, arg);
  }

  /**
   * HISE's `evaluate`: runs `code` in every page with the bridge. Stored per `uid` for replay when
   * `enablePersistence`.
   * @returns each page's completion value or error
   */
  evaluate(uid: string, code: string): Promise<PromiseSettledResult<unknown>[]> {
    return this.#direct.evaluate(uid, code);
  }

  /** HISE's `reset`: forgets bound callbacks and persistent calls. */
  reset(): void {
    this.#direct.reset();
  }

  /** Asks every page with the bridge to reload (live development). Returns how many were asked. */
  reloadPages(): number {
    return this.#direct.reloadPages();
  }

  /**
   * Registers `buffer` under the id `String(index)`; {@link updateBuffer} sends its contents.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX`, `UNSUPPORTED_DATA`, `DETACHED_BUFFER`
   */
  addBufferToWebSocket(index: number, buffer: Float32Array): void {
    this.#broadcast.addBuffer(index, buffer);
  }

  /**
   * Sends the registered buffer's contents, as they are now, to every connected page.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX` when nothing is registered at `index`
   */
  updateBuffer(index: number): SendResult {
    return this.#broadcast.updateBuffer(index);
  }

  /** Sends close frames to every page, waits up to `closeTimeout` for them, and frees the port. */
  close(): Promise<void> {
    return this.#core.close();
  }

  /**
   * Every event goes to every listener even when one throws or rejects: a failing `connect`,
   * `disconnect` or `refused` listener is reported as `LISTENER_FAILED`, a failing `error` listener
   * is written to `console.error`. A listener of the host's author can never stop the host.
   */
  override emit<K extends keyof WebViewEvents>(event: K, ...args: WebViewEvents[K]): boolean;
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    return this.#core.emitContained(event, args);
  }
}
