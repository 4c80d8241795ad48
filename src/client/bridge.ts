// The page side of direct communication, injected by the host into every page it serves (and
// included by pages it does not serve): bound callbacks as `window[name]`, `callFunction` and
// `evaluate` from the host, HISE's persistence replay at DOMContentLoaded, live reload.
import {
  BINDINGS_ID,
  BRIDGE_CONFIG_GLOBAL,
  BRIDGE_PARAM,
  BridgeCall,
  HOST_RESTART_EVENT,
  HostRestartPhase,
  INSTANCE_PARAM,
  KEEP_ALIVE_GLOBAL,
  TAB_PARAM,
  TOKEN_PARAM,
  type BridgeConfig,
  type HostRestartAnswer,
  type PersistentCall,
} from '../protocol/index.js';
import { isPlainIdentifier } from '../protocol/names.js';
import { isFunctionPath } from '../protocol/function-path.js';
import { CallError } from '../protocol/calls.js';
import { connect } from './connect.js';
import { resolveFunction } from './resolve-function.js';
import { reportError } from './report-error.js';

const config = (globalThis as unknown as Record<string, BridgeConfig | undefined>)[BRIDGE_CONFIG_GLOBAL];
if (config !== undefined) startBridge(config);

function startBridge(config: BridgeConfig): void {
  const scriptUrl = new URL((document.currentScript as HTMLScriptElement | null)?.src ?? location.href);
  // A LAN page (a phone) dials its own origin: `localhost` there is the phone.
  const lan = config.lan === true;
  const hostname = lan || scriptUrl.port === String(config.port) ? scriptUrl.hostname : 'localhost';
  const scheme = lan && location.protocol === 'https:' ? 'wss' : 'ws';
  const tab = newTabId();
  tagSocketsToHost(config.port, hostname, lan, {
    [TAB_PARAM]: tab,
    ...(config.token === undefined ? {} : { [TOKEN_PARAM]: config.token }),
    ...(config.instance === undefined ? {} : { [INSTANCE_PARAM]: config.instance }),
  });

  const client = connect({
    url: `${scheme}://${lan ? location.host : `${hostname}:${config.port}`}/?${BRIDGE_PARAM}=1&${TAB_PARAM}=${tab}`,
    freshStreams: false, // the bridge's connection carries no data
    ...(config.token === undefined ? {} : { token: config.token }),
  });
  const log = config.debug ? (...args: unknown[]) => console.debug('[hise-webview]', ...args) : () => undefined;

  // What the browser put on window, before the page's own scripts run (the bridge comes first):
  // bindings never replace these, whatever the host sends. A page's own globals may be replaced,
  // as in HISE (e.g. a stub the page defines for running outside HISE).
  const builtIns = windowPropertyNames();
  const bound = new Set<string>();
  for (const name of config.bindings) bind(name);
  client.on(BINDINGS_ID, (names) => {
    if (!Array.isArray(names)) return;
    const current = new Set(names.filter((name): name is string => typeof name === 'string'));
    for (const name of bound) if (!current.has(name)) unbind(name);
    for (const name of current) if (!bound.has(name)) bind(name);
  });

  // Set while a host-module restart is under way and this page will reload at its end: the new
  // module's calls then run in the fresh page (replayed), not in this one that is about to go.
  let reloadPending = false;
  client.handle(BridgeCall.CallFunction, (name: string, ...arg: unknown[]) => {
    log('callFunction', name, ...arg, reloadPending ? '(skipped: reloading for the restarted host)' : '');
    if (reloadPending) return undefined;
    try {
      return callFunction(name, arg);
    } catch (error) {
      // HISE-strict: a live call to a missing function is a page error too, as in HISE.
      if (config.hiseStrict === true && error instanceof CallError && error.code === 'UNKNOWN_FUNCTION') reportError(missingFunctionError(name));
      throw error;
    }
  });
  client.handle(BridgeCall.Evaluate, (code: string) => {
    log('evaluate', code, reloadPending ? '(skipped: reloading for the restarted host)' : '');
    return reloadPending ? undefined : ((0, eval)(code) as unknown);
  });
  client.handle(BridgeCall.Reload, () => {
    setTimeout(() => location.reload());
  });
  client.handle(BridgeCall.HostRestart, (phase: unknown): HostRestartAnswer => {
    const keep = (window as unknown as Record<string, unknown>)[KEEP_ALIVE_GLOBAL] === true;
    log('host restart', phase, keep ? '(kept alive)' : '');
    if (keep) {
      reloadPending = false;
      if (phase === HostRestartPhase.End) setTimeout(() => window.dispatchEvent(new Event(HOST_RESTART_EVENT)));
      return 'keep';
    }
    reloadPending = true;
    if (phase === HostRestartPhase.End) setTimeout(() => location.reload());
    return 'reload';
  });

  // HISE's persistence: what the host stored runs at DOMContentLoaded, in first-stored order; what
  // it stored after this page's snapshot arrives once connected.
  let version = config.persisted.reduce((v, call) => Math.max(v, call.version), 0);
  afterDomContentLoaded(() => {
    for (const call of config.persisted) replay(call);
    void client.ready.then(async () => {
      const missed = (await client.call(BridgeCall.Sync, version)) as PersistentCall[];
      for (const call of missed) if (call.version > version) replay(call);
    });
  });

  function replay(call: PersistentCall): void {
    version = Math.max(version, call.version);
    log('replay', call);
    try {
      if (call.kind === 'function') void Promise.resolve(callFunction(call.name, 'arg' in call ? [call.arg] : [])).catch(reportError);
      else (0, eval)(call.code);
    } catch (error) {
      // A stored call to a function this page does not define: skipped, or (HISE-strict) the page
      // error HISE's `name(arg)` raises, as uncaught in its DOMContentLoaded listener.
      if (!(error instanceof CallError && error.code === 'UNKNOWN_FUNCTION')) reportError(error);
      else if (config.hiseStrict === true && call.kind === 'function') reportError(missingFunctionError(call.name));
      else log('replay skipped:', error.message);
    }
  }

  function unbind(name: string): void {
    bound.delete(name);
    delete (window as unknown as Record<string, unknown>)[name];
  }

  function bind(name: string): void {
    if (!isPlainIdentifier(name) || builtIns.has(name)) {
      reportError(new TypeError(`hise-webview: not binding ${JSON.stringify(name)}: not a plain identifier, or it would shadow window.${name}`));
      return;
    }
    bound.add(name);
    (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      log('callback', name, args);
      return client.call(BridgeCall.Callback, name, args);
    };
  }
}

/** Every property name of `window`, own and inherited (`location`, `__proto__`, `Object` …). */
function windowPropertyNames(): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = window; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  }
  return names;
}

/**
 * Calls what HISE's `name(arg)` calls (see `resolveFunction`), with the JSON-decoded argument (none
 * when the host passed none, as HISE's `name()`).
 * @throws {CallError} `UNKNOWN_FUNCTION`
 */
function callFunction(name: string, arg: unknown[]): unknown {
  const { fn, self } = resolveFunction(name);
  return fn.apply(self, arg.slice(0, 1));
}

/**
 * The error evaluating HISE's `name(…)` raises when `name` is no function here: the engine's own
 * ReferenceError for an undeclared name (read through indirect eval of the validated dotted path),
 * else a TypeError that it is not a function.
 */
function missingFunctionError(name: string): Error {
  try {
    if (isFunctionPath(name)) (0, eval)(name);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  return new TypeError(`${name} is not a function`);
}

/** 16 random bytes, base64url: this document's tab id. */
function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Makes every WebSocket this page opens to the host carry `params` (the token, which HISE's client
 * cannot add, and the page's tab id, so the host counts the tab once however many sockets it opens).
 * A socket is the host's when it goes to the host's port on the host name the bridge came from or
 * on a loopback name (HISE's client always dials `ws://localhost:PORT`; the host holds that port on
 * 127.0.0.1 and ::1). A server on the same port number under any other name never sees them. The
 * tab id only groups connections; it is not a credential. A LAN page's sockets to the host go to the
 * page's own origin instead (its device cookie goes along by itself).
 */
function tagSocketsToHost(port: number, hostname: string, lan: boolean, params: Readonly<Record<string, string>>): void {
  const hostNames = new Set(['localhost', '127.0.0.1', '[::1]', hostname]);
  const isHostSocket = (target: URL): boolean => {
    const targetPort = target.port === '' ? (target.protocol === 'wss:' || target.protocol === 'https:' ? '443' : '80') : target.port;
    return targetPort === String(port) && hostNames.has(target.hostname);
  };
  const Native = window.WebSocket;
  const tag = (url: string | URL): URL => {
    const target = new URL(url, location.href);
    if (isHostSocket(target)) {
      // On the LAN, the host is where the page came from (wss when it came over https).
      if (lan) [target.protocol, target.hostname, target.port] = [location.protocol === 'https:' ? 'wss:' : 'ws:', location.hostname, location.port];
      for (const [name, value] of Object.entries(params)) if (!target.searchParams.has(name)) target.searchParams.set(name, value);
    }
    return target;
  };
  class HostWebSocket extends Native {
    /** The URL a socket to `url` gets, tagged: for sockets opened elsewhere for this tab (the worker client's, in its Worker). */
    static tagUrl = (url: string): string => tag(url).href;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(tag(url), protocols);
    }
  }
  window.WebSocket = HostWebSocket;
}

function afterDomContentLoaded(run: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}
