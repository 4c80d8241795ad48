import { getContext, onDestroy, setContext } from 'svelte';
import { readable, type Readable } from 'svelte/store';
import { connectionState, latestPerFrame, watchConnection, type ConnectionState } from '../client/binding-support.js';
import type { HiseClient } from '../client/connect.js';
import type { ClientParameter } from '../client/modern/client-parameter.js';
import type { MessageMeta, SendResult } from '../client/modern/types.js';
import { CallError } from '../protocol/calls.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, ParamsOf } from '../protocol/contract.js';
import type { ParameterSpec, ParameterValue } from '../protocol/parameter-spec.js';

const KEY = Symbol.for('hise-webview/client');

/** Makes `client` the one the components below use (call it while a component initialises, like `setContext`). */
export function setHiseClient(client: HiseClient<any> | undefined): void {
  setContext(KEY, client);
}

/** The client {@link setHiseClient} gave (call it while a component initialises); undefined without one. */
export function useClient<C extends Contract = AnyContract>(): HiseClient<C> | undefined {
  return getContext<HiseClient<C> | undefined>(KEY);
}

/** What a parameter store holds: the value to render. */
export interface ParameterSnapshot<T extends ParameterValue> {
  value: T | undefined;
  text: string;
  normalized: number;
  spec: ParameterSpec | undefined;
}

/** A parameter as a store (`$gain.value`, `$gain.text`) with its gesture. */
export interface ParameterStore<T extends ParameterValue> extends Readable<ParameterSnapshot<T>> {
  begin(): void;
  set(value: T): void;
  setNormalized(normalized: number): void;
  end(): void;
  /** The client's parameter itself, for `attachDrag` / `bindRange`; undefined without a client. */
  parameter: ClientParameter<T> | undefined;
}

function snapshot<T extends ParameterValue>(parameter: ClientParameter<T> | undefined): ParameterSnapshot<T> {
  return { value: parameter?.value, text: parameter?.text ?? '', normalized: parameter?.normalized ?? 0, spec: parameter?.spec };
}

/**
 * A host parameter as a store: updates when its value changes (from the host, another page, or
 * this one). When its last subscriber leaves (the component unmounts), a gesture left open ends.
 */
export function useParameter<T extends ParameterValue = ParameterValue>(id: string, client = useClient()): ParameterStore<T> {
  const parameter = client?.parameter(id) as ClientParameter<T> | undefined;
  const store = readable(snapshot(parameter), (set) => {
    if (parameter === undefined) return undefined;
    set(snapshot(parameter));
    const off = parameter.watch(() => set(snapshot(parameter)));
    return () => {
      off();
      if (parameter.inGesture) parameter.end();
    };
  });
  return {
    subscribe: store.subscribe,
    begin: () => parameter?.begin(),
    set: (value: T) => parameter?.set(value),
    setNormalized: (n: number) => parameter?.setNormalized(n),
    end: () => parameter?.end(),
    parameter,
  };
}

/**
 * Hands every frame of stream `id` to `onFrame`, touching no store (nothing re-renders): draw to a
 * canvas there. Stops when the component is destroyed; also returns the function that stops.
 */
export function useStream<T = unknown>(id: string, onFrame: (data: T, meta: MessageMeta) => void, client = useClient()): () => void {
  const off = client?.on(id, onFrame as (data: unknown, meta: MessageMeta) => void) ?? (() => {});
  try {
    onDestroy(off);
  } catch {
    // Outside a component (a store module, a test): the caller stops it with the function returned.
  }
  return off;
}

/** The newest value of host message `id` as a store, updated at most once per animation frame. */
export function useLatest<T = unknown>(id: string, client = useClient()): Readable<T | undefined> {
  return readable<T | undefined>(undefined, (set) => (client === undefined ? undefined : latestPerFrame(client, id, (v) => set(v as T))));
}

/** A function sending page → host message `id` (delivered once, queued while disconnected). */
export function useMessage<T = unknown>(id: string, client = useClient()): (data: T) => SendResult {
  return (data: T) => (client === undefined ? 'dropped' : client.send(id, data));
}

/** A function calling host function `name`; rejects with `CallError` `DISCONNECTED` without a client. */
export function useCall<A extends unknown[] = unknown[], R = unknown>(name: string, client = useClient()): (...args: A) => Promise<R> {
  return (...args: A) =>
    client === undefined
      ? Promise.reject(new CallError('DISCONNECTED', `call '${name}': no client (setHiseClient was not given one)`))
      : (client.call(name, ...args) as Promise<R>);
}

/** The connection as a store: status, mode, and whether it is reconnecting. `hostTime()` reads the host's clock. */
export function useConnection(client = useClient()): Readable<ConnectionState> {
  return readable(connectionState(client, false), (set) => (client === undefined ? undefined : watchConnection(client, set)));
}

/** The stores, typed from contract `C`. */
export interface HiseHooks<C extends Contract> {
  useClient(): HiseClient<C> | undefined;
  useParameter<K extends keyof ParamsOf<C> & string>(id: K, client?: HiseClient<C>): ParameterStore<ParamsOf<C>[K]>;
  useStream<K extends keyof EventsOf<C> & string>(id: K, onFrame: (data: EventsOf<C>[K], meta: MessageMeta) => void, client?: HiseClient<C>): () => void;
  useLatest<K extends keyof EventsOf<C> & string>(id: K, client?: HiseClient<C>): Readable<EventsOf<C>[K] | undefined>;
  useMessage<K extends keyof MessagesOf<C> & string>(id: K, client?: HiseClient<C>): (data: MessagesOf<C>[K]) => SendResult;
  useCall<K extends keyof HostFunctionsOf<C> & string>(
    name: K,
    client?: HiseClient<C>,
  ): (...args: Parameters<HostFunctionsOf<C>[K]>) => Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>>;
  useConnection(client?: HiseClient<C>): Readable<ConnectionState>;
}

/** The same functions, typed from your contract: `export const { useParameter, useCall } = createHooks<App>()`. No cost at run time. */
export function createHooks<C extends Contract = AnyContract>(): HiseHooks<C> {
  return { useClient, useParameter, useStream, useLatest, useMessage, useCall, useConnection } as unknown as HiseHooks<C>;
}
