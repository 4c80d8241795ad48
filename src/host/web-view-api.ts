import type { Device } from './lan/devices.js';
import type { LanHost } from './lan/lan.js';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf, SpecFor, ValueOfSpec } from '../protocol/index.js';
import type { SendResult } from './broadcast.js';
import type { SendOptions } from './delivery/outbound.js';
import type { SessionStats } from './delivery/session-outbox.js';
import type { ToolRoute } from './http/tool-routes.js';
import type { WebSocketCallback } from './inbox.js';
import type { Observer } from './observer.js';
import type { Page } from './pages/page.js';
import type { Parameter } from './parameters/parameter.js';
import type { StateResult, WebViewState } from './parameters/web-view-state.js';
import type { Instances } from './shared-port/instances.js';

/** A parameter's value type: the contract's, or (untyped) what its spec declares. */
export type ParamValue<C extends Contract, K extends string, S> = string extends keyof ParamsOf<C> ? ValueOfSpec<S> : ParamsOf<C>[K];

/**
 * What a host's code calls on a {@link WebView}: HISE's ScriptWebView API (`setEnableWebSocket`,
 * `sendToWebSocket`, `setWebSocketCallback`, `bindCallback`, `callFunction`, `evaluate`, …) and the
 * extension's (`send`, `onMessage`, `handle`, `call`, parameters, state), documented here once;
 * `WebView` implements it as a facade over the host's capability modules.
 */
export interface WebViewApi<C extends Contract> {
  /**
   * With `shared: true`: the instances sharing the port (list, `join`/`leave`, messages between
   * them; README "Shared port"). Undefined for a host that does not share its port.
   */
  readonly instances: Instances | undefined;
  /**
   * Starts the server. `0` or `-1` picks a free port. Called again, resolves the port of the first call.
   * @returns the bound port
   * @throws {WebViewError} `INVALID_PORT`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED` (as rejections)
   */
  setEnableWebSocket(port?: number): Promise<number>;
  /** The bound port once `setEnableWebSocket` has resolved. */
  readonly port: number | undefined;
  /** The pages connected now: one per browser tab (see {@link Page}). */
  readonly pages: readonly Page[];
  /**
   * HISE's send: `data` under `id` to every connected page: a string as type 1, a `Float32Array` as
   * type 2 (copied now), a plain object or array as JSON text (type 1). With no page connected, the
   * latest message per id is held for the first page that connects. With `hise: 'strict'`, as HISE
   * sends it (docs/HISE-STRICT.md): queued for HISE's ~5 ms cycle (`'queued'`, the latest per id
   * wins), text cut at its character count, arrays, numbers and booleans dropped (`'dropped'`), and
   * a `hise-warning` for each limit HISE would break.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult;
  /**
   * The same as {@link sendToWebSocket}, under HISE's docs' spelling (for pages and scripts that
   * follow them); HISE itself registers only `sendToWebSocket`, so with `hise: 'strict'` a call warns
   * `HISE_METHOD_MISSPELLED` (it would throw inside HISE).
   */
  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult;
  /**
   * Sends any value the extension carries: string, JSON value (arrives parsed), `Float32Array`,
   * `Int16Array`, `Int32Array`, `Float64Array`, `Uint8Array`. Typed arrays and bytes are streams
   * (sequenced, coalesced under backpressure). HISE-style pages get strings, float32 and JSON as
   * text; types their format cannot carry are skipped for them. A stream may carry `options.time`
   * (host clock, see `hostTime()`) and `options.samplePosition`, which pages that speak fresh
   * streams get as `meta.time` / `meta.samplePosition`.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `INVALID_OPTION`, `CLOSED`
   */
  send<K extends keyof EventsOf<C> & string>(id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult;
  /**
   * Like {@link send}, to one page only: e.g. a stream that only the page which asked for it wants.
   * Stream sequence numbers are per id for the whole host, so an id sent this way should not also be
   * broadcast (other pages would count the gaps as dropped frames).
   * @returns `'sent'`; `'queued'` for a page whose client has not connected yet (its bridge connects
   * first; the latest message per id waits, up to `maxPendingIds` ids); `'dropped'` when the page is
   * no longer connected or that wait is full
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendTo<K extends keyof EventsOf<C> & string>(page: Page, id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult;
  /**
   * Adds an observer of everything that crosses the bridge: messages both ways, calls both ways with
   * their outcome and duration, pages connecting and going, errors (see {@link Observation}). For
   * inspectors, recorders and tests. With no observer, observing costs nothing measurable.
   * @returns the function that removes the observer
   */
  observe(observer: Observer): () => void;
  /**
   * Serves a tool on the host's port under `prefix`, a path under `/__hise-webview/` ending in `/`:
   * its requests and upgrades go to `route`, behind the same HTTP guard as everything (request
   * parsed, `Host` checked); the rest (Origin, a token) is the tool's to check. The inspector is one;
   * a status page of your own is another:
   * `wv.mount('/__hise-webview/status/', { request: (_req, res) => res.end(JSON.stringify({ pages: wv.pages.length })) })`.
   * @returns the function that unmounts it
   * @throws {WebViewError} `INVALID_OPTION`
   */
  mount(prefix: string, route: ToolRoute): () => void;
  /**
   * Accepts a WebSocket upgrade that arrived on another server (a tool's path on another host's
   * port, your own HTTP server): the same guard and gate as upgrades on this host's own port (Host,
   * Origin, token, `maxPages`), e.g. `server.on('upgrade', (req, socket, head) => wv.handleUpgrade(req, socket, head))`.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * The retained ids (see {@link retain}) with the latest value each has sent (`undefined`: none
   * yet): what a page that connects now starts from, e.g. `wv.retainedValues.get('state')`.
   */
  readonly retainedValues: ReadonlyMap<string, unknown>;
  /**
   * Marks ids as retained: the host keeps the latest message of each and sends it to every page
   * when it connects or reconnects, so a page always starts from the current state.
   */
  retain(...ids: (keyof EventsOf<C> & string)[]): void;
  /**
   * Sets the one receiver of page messages (replacing any earlier one; `undefined` removes it).
   * @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket`, as in HISE
   */
  setWebSocketCallback(callback: WebSocketCallback | undefined): void;
  /**
   * Adds a handler for messages a modern page sends under `id`. Returns a function that removes it.
   * (Named `onMessage`, not `on`: `on`/`off`/`once` are Node's EventEmitter methods for the host's
   * own events, and a page may well send an id called `error` or `connect`.)
   */
  onMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): () => void;
  /** Removes a handler added with {@link onMessage}. */
  offMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): void;
  /**
   * Offers `fn` to pages as `call(name, ...args)`: its return value (or awaited promise) resolves
   * the page's promise; a throw rejects it with the error's `{name, message, code}`. Replaces an
   * earlier function of that name; `undefined` removes it.
   */
  handle<K extends keyof HostFunctionsOf<C> & string>(name: K, fn: HostFunctionsOf<C>[K] | undefined): void;
  /**
   * Calls a function a modern page offered with `handle`. With a page: its result. With `'all'`: the
   * settled result of every modern page. Rejects with a `CallError`: `CALL_TIMEOUT`, `DISCONNECTED`,
   * `UNKNOWN_FUNCTION`, `TOO_MANY_CALLS`, `NOT_SUPPORTED` (a HISE-style page), `UNSERIALIZABLE`, or
   * the page's own error code.
   */
  call<K extends keyof PageFunctionsOf<C> & string>(target: Page, name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>;
  call<K extends keyof PageFunctionsOf<C> & string>(target: 'all', name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<PromiseSettledResult<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>[]>;
  /**
   * Declares a parameter that every page can read, change and drag with gestures, e.g.
   * `wv.parameter('gain', { min: -60, max: 12, step: 0.1, unit: 'dB' })`; see README "Parameters".
   * @throws {WebViewError} `INVALID_PARAMETER_SPEC`, `INVALID_ID`
   */
  parameter<K extends keyof ParamsOf<C> & string, const S extends SpecFor<ParamsOf<C>[K]>>(id: K, spec: S): Parameter<ParamValue<C, K, S>>;
  /** The declared parameters by id. */
  readonly parameters: ReadonlyMap<string, Parameter>;
  /** Every parameter's value and every retained id's latest message, as plain JSON (a plugin's state). */
  getState(): WebViewState;
  /**
   * Restores a state from {@link getState}: parameters (clamped to their ranges) and retained ids
   * reach every page. Ids this host does not have are skipped and listed in `ignored`.
   * @throws {WebViewError} `INVALID_STATE` (nothing changed), `CLOSED`
   */
  setState(state: WebViewState): StateResult;
  /**
   * HISE's `enablePersistence`: store the last `callFunction` or `evaluate` per key (names and uids
   * share one namespace, case-insensitive, as in HISE) and replay them in pages that open later, at
   * DOMContentLoaded. Off: nothing is stored and nothing replays (what was stored is forgotten).
   * @default true
   */
  enablePersistence: boolean;
  /** HISE's `enableDebugMode`: in a browser, the bridge logs every call it runs to the console (`console.debug`). @default false */
  enableDebugMode: boolean;
  /** HISE's `scaleFactorToZoom`: kept for API parity; a browser zooms by itself, so it changes nothing here. @default true */
  scaleFactorToZoom: boolean;
  /** HISE's `enableCache`: false serves the root with `Cache-Control: no-store`, so every reload shows your edits. @default false */
  enableCache: boolean;
  /**
   * Shows a folder (or an HTML file and its folder) at `http://127.0.0.1:PORT/`. Every HTML page gets
   * the bridge injected. A `hisewebsocket-min.js` in the folder is served as it is; without one, the
   * host's drop-in answers for it.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection)
   */
  setIndexFile(path: string): Promise<void>;
  /**
   * The project's images folder, for HISE's `{PROJECT_FOLDER}name.png` references in pages (HISE
   * resolves them through the project's image pool): `/{PROJECT_FOLDER}knob.png`, also from pages in
   * sub-folders, is served from `folder/knob.png` (sub-folders too) with its MIME type, inside the
   * folder only. `undefined` stops serving them.
   * @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection) when `folder` is not an existing folder
   */
  setProjectImagesFolder(folder: string | undefined): Promise<void>;
  /** The folder `{PROJECT_FOLDER}` references are served from (its real path). */
  readonly projectImagesFolder: string | undefined;
  /** Shows one HTML string at `http://127.0.0.1:PORT/`, with the bridge injected. */
  setHtmlContent(html: string): void;
  /** The folder `setIndexFile` serves. */
  readonly rootDirectory: string | undefined;
  /** Where the webview is served, once `setEnableWebSocket` has resolved. */
  readonly url: string | undefined;
  /** The bridge script for pages the host does not serve (a Vite dev server, a file): include it first in `<head>`. */
  readonly bridgeScriptUrl: string | undefined;
  /**
   * With the `lan` option: the LAN side (addresses, port, `pair(role)` for a one-time code and its
   * QR URL, the certificate's fingerprint); undefined without it. docs/LAN.md.
   */
  readonly lan: LanHost | undefined;
  /** The devices paired on the LAN (name from the user agent, address, role, last seen); empty without `lan`. */
  readonly devices: Device[];
  /**
   * Unpairs a LAN device: its WebSockets and HTTP connections are cut at once and its token is
   * refused from now on (also after a restart). Whether it was paired.
   */
  revoke(id: string): boolean;
  /**
   * The host's own accounting of its session logs (what `maxSessions`, `maxSessionsPerSource` and
   * `maxSessionBytes` bound): to watch what pages that may come back cost, e.g.
   * `setInterval(() => console.log(wv.sessionStats.bytes), 10_000)`.
   */
  readonly sessionStats: SessionStats;
  /** The token pages must present (`options.token`, or the random one of `token: 'auto'`). */
  readonly token: string | undefined;
  /**
   * HISE's `bindCallback`: pages get `window[name](...args)` returning a Promise. `fn` receives the
   * array of arguments; its return value (or awaited promise) resolves, a throw rejects with the
   * error's name, message and code. Rebinding replaces. `name` must be a plain identifier that is
   * not a reserved word and does not shadow a property of `window` (`location`, `__proto__`, `fetch` …).
   * @throws {WebViewError} `INVALID_NAME`, `INVALID_OPTION`
   */
  bindCallback(name: string, fn: (args: unknown[]) => unknown): void;
  /** Removes one bound callback; pages lose `window[name]`. */
  unbindCallback(name: string): void;
  /**
   * HISE's `callFunction`: runs `name(arg)` in every page with the bridge, finding `name` as HISE
   * does (top-level `const`/`let`/`function` of classic scripts, dotted paths with `this` = the
   * owner); `arg` travels as JSON, never pasted into code; no `arg` calls `name()`. Stored for replay
   * when `enablePersistence`.
   * @returns each page's result or error
   * @throws {WebViewError} `INVALID_NAME` (not identifiers joined by dots), `UNSERIALIZABLE_DATA`
   */
  callFunction(name: string, arg?: unknown): Promise<PromiseSettledResult<unknown>[]>;
  /**
   * HISE's `evaluate`: runs `code` in every page with the bridge. Stored per `uid` for replay when
   * `enablePersistence`.
   * @returns each page's completion value or error
   */
  evaluate(uid: string, code: string): Promise<PromiseSettledResult<unknown>[]>;
  /** HISE's `reset`: forgets bound callbacks and persistent calls. */
  reset(): void;
  /** Asks every page with the bridge to reload (live development). Returns how many were asked. */
  reloadPages(): number;
  /**
   * Registers `buffer` under the id `String(index)`; {@link updateBuffer} sends its contents.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX`, `UNSUPPORTED_DATA`, `DETACHED_BUFFER`
   */
  addBufferToWebSocket(index: number, buffer: Float32Array): void;
  /**
   * Sends the registered buffer's contents, as they are now, to every connected page.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX` when nothing is registered at `index`
   */
  updateBuffer(index: number): SendResult;
  /** Sends close frames to every page, waits up to `closeTimeout` for them, and frees the port. */
  close(): Promise<void>;
}
