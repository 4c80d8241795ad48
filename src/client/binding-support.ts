// What the framework bindings (hise-webview/react, /svelte, /vue) share, framework-free: a stream's
// newest value handed on at most once per animation frame, and the connection's state as one value.
import type { AnyContract, Contract, EventsOf } from '../protocol/contract.js';
import type { HiseClient } from './connect.js';
import type { ClientMode, ClientStatus } from './modern/types.js';

/** The connection as a binding renders it. */
export interface ConnectionState {
  status: ClientStatus;
  /** Known once connected. */
  mode: ClientMode | undefined;
  /** True while the client is connecting again after it was open (a dropped connection). */
  reconnecting: boolean;
  /** The host's clock now (ms), as `client.hostTime()`: undefined until known (and without a client). */
  hostTime(): number | undefined;
}

/** The client's connection state now; `undefined` client (no provider yet, or the server): connecting. */
export function connectionState(client: HiseClient<any> | undefined, wasOpen: boolean): ConnectionState {
  const status = client?.status ?? 'connecting';
  return { status, mode: client?.mode, reconnecting: status === 'connecting' && wasOpen, hostTime: () => client?.hostTime() };
}

/**
 * Calls `push` with the connection state now and on every change; returns the function that stops.
 * A state is a new object only when something in it changed (so `useSyncExternalStore` and stores
 * compare it by identity).
 */
export function watchConnection(client: HiseClient<any>, push: (state: ConnectionState) => void): () => void {
  let wasOpen = client.status === 'open';
  push(connectionState(client, wasOpen));
  return client.onStatus((status) => {
    wasOpen ||= status === 'open';
    push(connectionState(client, wasOpen));
  });
}

/** A frame scheduler: the page's `requestAnimationFrame`, or a timer where there is none (Node). */
const nextFrame = (run: () => void): (() => void) => {
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(run);
    return () => cancelAnimationFrame(handle);
  }
  const handle = setTimeout(run, 16);
  return () => clearTimeout(handle);
};

/**
 * Listens to `id` and hands `push` its newest value at most once per animation frame (frames that
 * arrive between two are skipped: only the newest renders). Returns the function that stops (and
 * cancels a pending frame).
 */
export function latestPerFrame<C extends Contract = AnyContract, K extends keyof EventsOf<C> & string = keyof EventsOf<C> & string>(
  client: HiseClient<C>,
  id: K,
  push: (value: EventsOf<C>[K]) => void,
): () => void {
  let latest: { value: EventsOf<C>[K] } | undefined;
  let cancel: (() => void) | undefined;
  const off = client.on(id, (value) => {
    latest = { value };
    cancel ??= nextFrame(() => {
      cancel = undefined;
      if (latest !== undefined) push(latest.value);
    });
  });
  return () => {
    off();
    cancel?.();
    cancel = undefined;
  };
}
