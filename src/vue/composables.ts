import { getCurrentScope, inject, onScopeDispose, provide, readonly, shallowRef, type App, type InjectionKey, type Ref } from 'vue';
import { connectionState, latestPerFrame, watchConnection, type ConnectionState } from '../client/binding-support.js';
import type { HiseClient } from '../client/connect.js';
import type { ClientParameter } from '../client/modern/client-parameter.js';
import type { MessageMeta, SendResult } from '../client/modern/types.js';
import { CallError } from '../protocol/calls.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, ParamsOf } from '../protocol/contract.js';
import type { ParameterSpec, ParameterValue } from '../protocol/parameter-spec.js';

const KEY: InjectionKey<HiseClient<any> | undefined> = Symbol.for('hise-webview/client') as InjectionKey<HiseClient<any> | undefined>;

/** Makes `client` the one the components below use (call it in `setup`). */
export function provideHise(client: HiseClient<any> | undefined): void {
  provide(KEY, client);
}

/** The same for a whole app: `createApp(App).use(hisePlugin(client))`. */
export function hisePlugin(client: HiseClient<any> | undefined): { install(app: App): void } {
  return { install: (app) => void app.provide(KEY, client) };
}

/** The client provided above (call it in `setup`); undefined without one. */
export function useClient<C extends Contract = AnyContract>(): HiseClient<C> | undefined {
  return inject(KEY, undefined) as HiseClient<C> | undefined;
}

/** Runs `stop` when the component (or effect scope) ends; outside one, never (the caller stops). */
function whenDisposed(stop: () => void): void {
  if (getCurrentScope() !== undefined) onScopeDispose(stop);
}

/** What {@link useParameter} returns: read-only refs to render and the gesture to change them with. */
export interface ParameterRefs<T extends ParameterValue> {
  value: Readonly<Ref<T | undefined>>;
  text: Readonly<Ref<string>>;
  normalized: Readonly<Ref<number>>;
  spec: Readonly<Ref<ParameterSpec | undefined>>;
  begin(): void;
  set(value: T): void;
  setNormalized(normalized: number): void;
  end(): void;
  /** The client's parameter itself, for `attachDrag` / `bindRange`; undefined without a client. */
  parameter: ClientParameter<T> | undefined;
}

/**
 * A host parameter as refs, updated when its value changes (from the host, another page, or this
 * one). When the component unmounts, a gesture left open ends.
 */
export function useParameter<T extends ParameterValue = ParameterValue>(id: string, client = useClient()): ParameterRefs<T> {
  const parameter = client?.parameter(id) as ClientParameter<T> | undefined;
  const value = shallowRef<T | undefined>();
  const text = shallowRef('');
  const normalized = shallowRef(0);
  const spec = shallowRef<ParameterSpec | undefined>();
  const update = (): void => {
    value.value = parameter?.value;
    text.value = parameter?.text ?? '';
    normalized.value = parameter?.normalized ?? 0;
    spec.value = parameter?.spec;
  };
  update();
  const off = parameter?.watch(update);
  whenDisposed(() => {
    off?.();
    if (parameter?.inGesture === true) parameter.end();
  });
  return {
    value: readonly(value) as Readonly<Ref<T | undefined>>,
    text: readonly(text),
    normalized: readonly(normalized),
    spec: readonly(spec) as Readonly<Ref<ParameterSpec | undefined>>,
    begin: () => parameter?.begin(),
    set: (next: T) => parameter?.set(next),
    setNormalized: (n: number) => parameter?.setNormalized(n),
    end: () => parameter?.end(),
    parameter,
  };
}

/** Hands every frame of stream `id` to `onFrame`, touching no ref (nothing re-renders). Stops with the component; also returns the function that stops. */
export function useStream<T = unknown>(id: string, onFrame: (data: T, meta: MessageMeta) => void, client = useClient()): () => void {
  const off = client?.on(id, onFrame as (data: unknown, meta: MessageMeta) => void) ?? (() => {});
  whenDisposed(off);
  return off;
}

/** The newest value of host message `id` as a ref, updated at most once per animation frame. */
export function useLatest<T = unknown>(id: string, client = useClient()): Readonly<Ref<T | undefined>> {
  const latest = shallowRef<T | undefined>();
  if (client !== undefined) whenDisposed(latestPerFrame(client, id, (v) => (latest.value = v as T)));
  return readonly(latest) as Readonly<Ref<T | undefined>>;
}

/** A function sending page → host message `id` (delivered once, queued while disconnected). */
export function useMessage<T = unknown>(id: string, client = useClient()): (data: T) => SendResult {
  return (data: T) => (client === undefined ? 'dropped' : client.send(id, data));
}

/** A function calling host function `name`; rejects with `CallError` `DISCONNECTED` without a client. */
export function useCall<A extends unknown[] = unknown[], R = unknown>(name: string, client = useClient()): (...args: A) => Promise<R> {
  return (...args: A) =>
    client === undefined
      ? Promise.reject(new CallError('DISCONNECTED', `call '${name}': no client (provideHise was not given one)`))
      : (client.call(name, ...args) as Promise<R>);
}

/** The connection as a ref: status, mode, and whether it is reconnecting. `hostTime()` reads the host's clock. */
export function useConnection(client = useClient()): Readonly<Ref<ConnectionState>> {
  const state = shallowRef(connectionState(client, false));
  if (client !== undefined) whenDisposed(watchConnection(client, (next) => (state.value = next)));
  return readonly(state) as Readonly<Ref<ConnectionState>>;
}

/** The composables, typed from contract `C`. */
export interface HiseHooks<C extends Contract> {
  useClient(): HiseClient<C> | undefined;
  useParameter<K extends keyof ParamsOf<C> & string>(id: K, client?: HiseClient<C>): ParameterRefs<ParamsOf<C>[K]>;
  useStream<K extends keyof EventsOf<C> & string>(id: K, onFrame: (data: EventsOf<C>[K], meta: MessageMeta) => void, client?: HiseClient<C>): () => void;
  useLatest<K extends keyof EventsOf<C> & string>(id: K, client?: HiseClient<C>): Readonly<Ref<EventsOf<C>[K] | undefined>>;
  useMessage<K extends keyof MessagesOf<C> & string>(id: K, client?: HiseClient<C>): (data: MessagesOf<C>[K]) => SendResult;
  useCall<K extends keyof HostFunctionsOf<C> & string>(
    name: K,
    client?: HiseClient<C>,
  ): (...args: Parameters<HostFunctionsOf<C>[K]>) => Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>>;
  useConnection(client?: HiseClient<C>): Readonly<Ref<ConnectionState>>;
}

/** The same composables, typed from your contract: `export const { useParameter, useCall } = createHooks<App>()`. No cost at run time. */
export function createHooks<C extends Contract = AnyContract>(): HiseHooks<C> {
  return { useClient, useParameter, useStream, useLatest, useMessage, useCall, useConnection } as unknown as HiseHooks<C>;
}
