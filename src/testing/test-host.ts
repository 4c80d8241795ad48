import { CallError, WebView, type AnyContract, type Contract, type Page, type SendResult, type WebViewOptions } from '../host/index.js';
import { readRecordingFile, replay as replayRecording, type Replay } from '../host/index.js';
import type { DecodedRecording, EventsOf, HostFunctionsOf, MessagesOf } from '../protocol/index.js';
import { unknownOptionProblem } from '../host/options.js';
import { TestHostError } from './errors.js';
import { WaitQueue } from './wait-queue.js';

/** Default of {@link TestHostOptions.timeout}: how long a `next…` waits. */
export const DEFAULT_TEST_TIMEOUT_MS = 10_000;
/** Default of {@link TestHostOptions.maxQueued}: what waits unread per id (messages) or name (calls). */
export const DEFAULT_MAX_QUEUED = 1000;

/** Options of {@link createTestHost}. */
export interface TestHostOptions {
  /** A folder, or an HTML file and its folder, to serve (the bridge is injected into every page). */
  root?: string;
  /** One HTML page to serve at `/` instead of a folder; a function gets the host's port first. */
  html?: string | ((port: number) => string);
  /** A recording (or its file) to play to the pages, looping, answering their calls (see `replay`); what the test registers wins. */
  replay?: string | DecodedRecording;
  /** Milliseconds every `next…` waits before it rejects with `TIMEOUT`. @default 10000 */
  timeout?: number;
  /** Messages kept unread per id (the oldest go first), and calls waiting per name (more are refused with `TOO_MANY_CALLS`). @default 1000 */
  maxQueued?: number;
  /** Options of the WebView (a WebView's own defaults: no token, loopback only; the test host listens on port 0). */
  webView?: WebViewOptions;
}

const TEST_HOST_OPTION_KEYS = Object.keys({ root: true, html: true, replay: true, timeout: true, maxQueued: true, webView: true } satisfies Record<keyof TestHostOptions, true>);

/** A call a page made, waiting for the test to answer it. */
export interface TestCall<Args extends readonly unknown[] = unknown[], Result = unknown> {
  readonly name: string;
  readonly args: Args;
  /** The calling page (for a bound callback, the tab whose bridge called). */
  readonly page: Page | undefined;
  /** Resolves the page's promise with `value`. */
  answer(value: Result): void;
  /** Rejects the page's promise with the error's name, message and code. */
  fail(error: Error | CallError): void;
}

type Answerable<F> = F extends (...args: infer A) => infer R ? TestCall<A, Awaited<R>> : TestCall;

/**
 * A host for UI tests: serves a page, sends scripted messages, and awaits what the page sends and calls.
 * It owns its WebView's WebSocket callback (that is how `nextMessage` sees every message); use
 * `webView.onMessage` for handlers of your own.
 */
export interface TestHost<C extends Contract = AnyContract> {
  /** The WebView, for anything the helpers below do not cover. */
  readonly webView: WebView<C>;
  /** The page's address (the host's own when it serves no page). */
  readonly url: string;
  readonly port: number;
  /** Sends `data` under `id` to every page (the modern `send`; held for the first page when none is connected). */
  send<K extends keyof EventsOf<C> & string>(id: K, data: EventsOf<C>[K]): SendResult;
  /** HISE's `sendToWebSocket`, as a HISE script sends. */
  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult;
  /** The same as {@link sendToWebSocket}, under HISE's docs' spelling (HISE itself registers only `sendToWebSocket`). */
  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult;
  /**
   * The next message a page sends under `id` (ones that arrived before this call count, oldest
   * first). Without an id: the next message of a HISE-format page (those have none).
   * @throws {TestHostError} `TIMEOUT`, `CLOSED` (as rejections)
   */
  nextMessage<K extends keyof MessagesOf<C> & string>(id: K, options?: { timeout?: number }): Promise<MessagesOf<C>[K]>;
  nextMessage(id?: undefined, options?: { timeout?: number }): Promise<unknown>;
  /** The next page that connects, or the first already connected that no earlier `nextPage` returned. */
  nextPage(options?: { timeout?: number }): Promise<Page>;
  /** Offers `name` to pages as `call(name, …)`, each call waiting for {@link nextCall}. */
  handle<K extends keyof HostFunctionsOf<C> & string>(name: K): void;
  /** Binds `window[name]` in pages (HISE's `bindCallback`), each invocation waiting for {@link nextCall}. */
  bindCallback(name: string): void;
  /**
   * The next call of `name` (a `call` or a bound callback), to answer. A name neither handled nor
   * bound yet is handled now, so a page's later `call(name)` reaches it.
   */
  nextCall<K extends keyof HostFunctionsOf<C> & string>(name: K, options?: { timeout?: number }): Promise<Answerable<HostFunctionsOf<C>[K]>>;
  nextCall(name: string, options?: { timeout?: number }): Promise<TestCall>;
  /** Answers every call of `name` with `fn` (no `nextCall` needed). */
  answer<K extends keyof HostFunctionsOf<C> & string>(name: K, fn: HostFunctionsOf<C>[K]): void;
  /** Stops the replay, refuses waiting calls and `next…`s (`CLOSED`), closes the pages and frees the port. */
  close(): Promise<void>;
}

/**
 * Starts a host on a free port for a UI test (Vitest, Playwright): serves `root` or `html`, and
 * turns what pages send and call into promises the test awaits.
 * @throws {WebViewError} as `new WebView`, `setEnableWebSocket`, `setIndexFile`; `ProtocolError` for a bad `replay` file
 */
export async function createTestHost<C extends Contract = AnyContract>(options: TestHostOptions = {}): Promise<TestHost<C>> {
  const unknown = unknownOptionProblem(options, TEST_HOST_OPTION_KEYS, 'createTestHost option');
  if (unknown !== undefined) throw new TestHostError('INVALID_OPTION', unknown);
  const timeout = options.timeout ?? DEFAULT_TEST_TIMEOUT_MS;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const recording = typeof options.replay === 'string' ? await readRecordingFile(options.replay) : options.replay;
  const wv = new WebView<C>(options.webView);
  let playing: Replay | undefined;
  try {
    const port = await wv.setEnableWebSocket(0);
    if (options.root !== undefined) await wv.setIndexFile(options.root);
    else if (options.html !== undefined) wv.setHtmlContent(typeof options.html === 'function' ? options.html(port) : options.html);
    if (recording !== undefined) playing = replayRecording(wv, recording);
    return new Harness<C>(wv, port, timeout, maxQueued, playing).api();
  } catch (error) {
    playing?.stop();
    await wv.close();
    throw error;
  }
}

class Harness<C extends Contract> {
  readonly #wv: WebView<C>;
  readonly #port: number;
  readonly #timeout: number;
  readonly #messages: Map<string | undefined, WaitQueue<unknown>> = new Map();
  readonly #calls = new Map<string, WaitQueue<TestCall>>();
  readonly #pages: WaitQueue<Page>;
  readonly #maxQueued: number;
  readonly #replay: Replay | undefined;
  /** The page of the call starting now: the host announces it to observers just before it runs the function. */
  #callingPage: Page | undefined;
  #closed = false;

  constructor(wv: WebView<C>, port: number, timeout: number, maxQueued: number, replay: Replay | undefined) {
    this.#wv = wv;
    this.#port = port;
    this.#timeout = timeout;
    this.#maxQueued = maxQueued;
    this.#replay = replay;
    this.#pages = new WaitQueue<Page>(maxQueued, 'drop-oldest');
    wv.setWebSocketCallback((data, _page, id) => void this.#queue(this.#messages, id, 'drop-oldest').push(data));
    wv.on('connect', (page) => void this.#pages.push(page));
    wv.observe((o) => {
      if (o.type === 'call' && o.direction === 'page-to-host') this.#callingPage = o.page;
    });
  }

  api(): TestHost<C> {
    const wv = this.#wv;
    return {
      webView: wv,
      url: wv.url ?? `http://127.0.0.1:${this.#port}/`,
      port: this.#port,
      send: (id, data) => wv.send(id, data),
      sendToWebSocket: (id, data) => wv.sendToWebSocket(id, data),
      sendToWebsocket: (id, data) => wv.sendToWebsocket(id, data),
      nextMessage: ((id?: string, options?: { timeout?: number }) => this.#wait(this.#queue(this.#messages, id, 'drop-oldest'), `a message${id === undefined ? '' : ` under '${id}'`}`, options)) as TestHost<C>['nextMessage'],
      nextPage: (options) => this.#wait(this.#pages, 'a page to connect', options),
      handle: (name) => this.#handle(name),
      bindCallback: (name) => this.#bind(name),
      nextCall: ((name: string, options?: { timeout?: number }) => {
        if (!this.#calls.has(name)) this.#handle(name);
        return this.#wait(this.#queue(this.#calls, name, 'refuse'), `a call of '${name}'`, options);
      }) as TestHost<C>['nextCall'],
      answer: (name, fn) => wv.handle(name, fn),
      close: () => this.#close(),
    };
  }

  #handle(name: string): void {
    const queue = this.#queue(this.#calls, name, 'refuse');
    this.#wv.handle(name as never, ((...args: unknown[]) => this.#called(queue, name, args)) as never);
  }

  #bind(name: string): void {
    const queue = this.#queue(this.#calls, name, 'refuse');
    this.#wv.bindCallback(name, (args) => this.#called(queue, name, args));
  }

  #called(queue: WaitQueue<TestCall>, name: string, args: unknown[]): Promise<unknown> {
    const page = this.#callingPage;
    this.#callingPage = undefined;
    return new Promise((resolve, reject) => {
      const call: TestCall = { name, args, page, answer: resolve, fail: reject };
      if (!queue.push(call)) reject(new CallError('TOO_MANY_CALLS', `more than ${this.#maxQueued} calls of '${name}' wait for the test to answer them`));
    });
  }

  #queue<T>(map: Map<string | undefined, WaitQueue<T>>, key: string | undefined, overflow: 'drop-oldest' | 'refuse'): WaitQueue<T> {
    let queue = map.get(key);
    if (queue === undefined) map.set(key, (queue = new WaitQueue<T>(this.#maxQueued, overflow)));
    return queue;
  }

  #wait<T>(queue: WaitQueue<T>, what: string, options: { timeout?: number } | undefined): Promise<T> {
    if (this.#closed) return Promise.reject(new TestHostError('CLOSED', `the test host is closed: no more ${what}`));
    return queue.next(options?.timeout ?? this.#timeout, what);
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#replay?.stop();
    const closed = new TestHostError('CLOSED', 'the test host closed');
    for (const queue of [...this.#messages.values(), this.#pages]) queue.close(closed);
    for (const queue of this.#calls.values()) {
      for (const call of queue.close(closed)) call.fail(new CallError('DISCONNECTED', 'the test host closed before answering'));
    }
    await this.#wv.close();
  }
}
