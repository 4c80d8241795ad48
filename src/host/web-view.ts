import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BRIDGE_SCRIPT_PATH } from '../protocol/index.js';
import type { AnyContract, CallHandler, Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf, ParameterSpecInput, SpecFor } from '../protocol/index.js';
import { Broadcast, MAX_BUFFER_INDEX, type SendResult } from './broadcast.js';
import { Calls } from './calls.js';
import { HostCore } from './core.js';
import { HiseStrict } from './hise-strict/hise-strict.js';
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
import type { Device } from './lan/devices.js';
import { Lan, type LanHost } from './lan/lan.js';
import type { Observer } from './observer.js';
import { resolveOptions, type ResolvedWebViewOptions, type WebViewOptions } from './options.js';
import type { Page } from './pages/page.js';
import { PageRegistry } from './pages/registry.js';
import type { Parameter } from './parameters/parameter.js';
import { HostParameters } from './parameters/parameters.js';
import { captureState, restoreState, type StateResult, type WebViewState } from './parameters/web-view-state.js';
import type { Instances } from './shared-port/instances.js';
import { SharedPortLink } from './shared-port/web-view-link.js';
import type { ParamValue, WebViewApi } from './web-view-api.js';

export { MAX_BUFFER_INDEX, type SendResult, type WebSocketCallback, type WebViewEvents, type RefusedConnection };

export type { ParamValue, WebViewApi };

/**
 * A webview host with HISE's ScriptWebView API: a WebSocket server on loopback that speaks HISE's
 * binary format to every connected page, byte for byte, and the negotiated `hise-webview.1`
 * extension (ids both ways, more types, calls) to pages using the modern client.
 *
 * `C` types the ids, payloads and functions both sides agree on (see {@link Contract}). Every
 * member is documented on {@link WebViewApi}. This class is a facade: the constructor composes
 * the host's capability modules on one core (docs/ARCHITECTURE.md), each member hands over to one.
 */
export class WebView<C extends Contract = AnyContract> extends EventEmitter<WebViewEvents> implements WebViewApi<C> {
  readonly options: Readonly<ResolvedWebViewOptions>;
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
  readonly #lan: Lan | undefined;

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
    const strict = core.options.hise === 'strict' ? [new HiseStrict(core, this.#broadcast, this.#direct)] : [];
    const lan = (this.#lan = core.options.lan === undefined ? undefined : new Lan(core, core.options.lan));
    this.#http = new Http(core, this.#pages, this.#direct, sharing, lan);
    // The order each connection meets them in (attach), and the host closes them in (dispose).
    core.compose(this.#broadcast, this.#parameters, this.#direct, this.#calls, this.#inbox, ...(sharing ? [sharing] : []), ...strict, this.#http, this.#delivery, ...(lan ? [lan] : []));
    registerInternals(this, new HostInternals(core, this.#calls, this.#direct));
  }

  setEnableWebSocket(port = 0): Promise<number> {
    return this.#http.start(port);
  }

  get port(): number | undefined {
    return this.#http.port;
  }

  get pages(): readonly Page[] {
    return this.#pages.pages;
  }

  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult {
    return this.#broadcast.sendHise(id, data);
  }

  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult {
    return this.#broadcast.sendHise(id, data, 'sendToWebsocket');
  }

  send<K extends keyof EventsOf<C> & string>(id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult {
    return this.#broadcast.send(id, data, options);
  }

  sendTo<K extends keyof EventsOf<C> & string>(page: Page, id: K, data: EventsOf<C>[K], options?: SendOptions): SendResult {
    return this.#broadcast.sendTo(page, id, data, options);
  }

  observe(observer: Observer): () => void {
    if (typeof observer !== 'function') throw new WebViewError('INVALID_OPTION', 'observe needs a function');
    return this.#core.observe(observer);
  }

  mount(prefix: string, route: ToolRoute): () => void {
    return this.#http.mount(prefix, route);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#http.acceptUpgrade(request, socket, head);
  }

  get retainedValues(): ReadonlyMap<string, unknown> {
    return this.#broadcast.retainedValues;
  }

  retain(...ids: (keyof EventsOf<C> & string)[]): void {
    this.#broadcast.retain(ids);
  }

  setWebSocketCallback(callback: WebSocketCallback | undefined): void {
    this.#inbox.setCallback(callback);
  }

  onMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): () => void {
    return this.#inbox.onMessage(id, handler as (value: unknown, page: Page) => unknown);
  }

  offMessage<K extends keyof MessagesOf<C> & string>(id: K, handler: (data: MessagesOf<C>[K], page: Page) => unknown): void {
    this.#inbox.offMessage(id, handler as (value: unknown, page: Page) => unknown);
  }

  handle<K extends keyof HostFunctionsOf<C> & string>(name: K, fn: HostFunctionsOf<C>[K] | undefined): void {
    this.#calls.handle(name, fn as CallHandler | undefined);
  }

  call<K extends keyof PageFunctionsOf<C> & string>(target: Page, name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>;
  call<K extends keyof PageFunctionsOf<C> & string>(target: 'all', name: K, ...args: Parameters<PageFunctionsOf<C>[K]>): Promise<PromiseSettledResult<Awaited<ReturnType<PageFunctionsOf<C>[K]>>>[]>;
  call(target: Page | 'all', name: string, ...args: unknown[]): Promise<unknown> {
    return this.#calls.call(target, name, args);
  }

  parameter<K extends keyof ParamsOf<C> & string, const S extends SpecFor<ParamsOf<C>[K]>>(id: K, spec: S): Parameter<ParamValue<C, K, S>> {
    return this.#parameters.declare(id, spec as unknown as ParameterSpecInput) as unknown as Parameter<ParamValue<C, K, S>>;
  }

  get parameters(): ReadonlyMap<string, Parameter> {
    return this.#parameters.byId;
  }

  getState(): WebViewState {
    return captureState(this.#parameters.byId.values(), this.#broadcast.retained);
  }

  setState(state: WebViewState): StateResult {
    this.#core.assertOpen();
    return restoreState(state, this.#parameters.byId, this.#broadcast);
  }

  // ---- Direct communication (PROTOCOL.md §5): works in any browser, through the injected bridge ----

  get enablePersistence(): boolean {
    return this.#direct.persistent.enabled;
  }
  set enablePersistence(enabled: boolean) {
    this.#direct.persistent.enabled = enabled;
  }
  get enableDebugMode(): boolean {
    return this.#direct.debug;
  }
  set enableDebugMode(enabled: boolean) {
    this.#direct.debug = enabled;
  }
  scaleFactorToZoom = true;

  get enableCache(): boolean {
    return this.#http.cache;
  }
  set enableCache(enabled: boolean) {
    this.#http.cache = enabled;
  }

  setIndexFile(path: string): Promise<void> {
    return this.#http.setIndexFile(path);
  }

  setProjectImagesFolder(folder: string | undefined): Promise<void> {
    return this.#http.setProjectImagesFolder(folder);
  }

  get projectImagesFolder(): string | undefined {
    return this.#http.projectImages.folder;
  }

  setHtmlContent(html: string): void {
    this.#http.root.setHtmlContent(String(html));
  }

  get rootDirectory(): string | undefined {
    return this.#http.root.directory;
  }

  get url(): string | undefined {
    // The host's own listener serves its pages; when shared, that is its private port (their sockets go to the shared one); HISE-strict, a port of their own.
    const port = this.#http.pagePort;
    return port === undefined ? undefined : `http://127.0.0.1:${port}/`;
  }

  get bridgeScriptUrl(): string | undefined {
    const port = this.#http.ownPort;
    return port === undefined ? undefined : `http://localhost:${port}${BRIDGE_SCRIPT_PATH}`;
  }

  get lan(): LanHost | undefined {
    return this.#lan;
  }

  get devices(): Device[] {
    return this.#lan?.devices ?? [];
  }

  revoke(id: string): boolean {
    return this.#lan?.revoke(id) ?? false;
  }

  get sessionStats(): SessionStats {
    return this.#delivery.stats;
  }

  get token(): string | undefined {
    return this.#core.token;
  }

  bindCallback(name: string, fn: (args: unknown[]) => unknown): void {
    this.#direct.bind(name, fn);
  }

  unbindCallback(name: string): void {
    this.#direct.unbind(name);
  }

  callFunction(name: string, arg?: unknown): Promise<PromiseSettledResult<unknown>[]> {
    return this.#direct.callFunction(name, arg);
  }

  evaluate(uid: string, code: string): Promise<PromiseSettledResult<unknown>[]> {
    return this.#direct.evaluate(uid, code);
  }

  reset(): void {
    this.#direct.reset();
  }

  reloadPages(): number {
    return this.#direct.reloadPages();
  }

  addBufferToWebSocket(index: number, buffer: Float32Array): void {
    this.#broadcast.addBuffer(index, buffer);
  }

  updateBuffer(index: number): SendResult {
    return this.#broadcast.updateBuffer(index);
  }

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
