import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { connectionState, latestPerFrame, watchConnection, type ConnectionState } from '../client/binding-support.js';
import type { ClientParameter } from '../client/modern/client-parameter.js';
import type { MessageMeta, SendResult } from '../client/modern/types.js';
import { CallError } from '../protocol/calls.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, ParamsOf } from '../protocol/contract.js';
import type { ParameterSpec, ParameterValue } from '../protocol/parameter-spec.js';
import { useClient } from './provider.js';

/** What {@link useParameter} returns: the value to render and the gesture to change it with. */
export interface ParameterBinding<T extends ParameterValue> {
  /** The value; undefined until the host sent it (or without a client). */
  value: T | undefined;
  /** The value as text (the host's `format`, else units, the choice, on/off). */
  text: string;
  /** The value's 0–1 position. */
  normalized: number;
  /** The spec; undefined until the host sent it. */
  spec: ParameterSpec | undefined;
  /** Opens a gesture (one undo step until `end`). */
  begin(): void;
  set(value: T): void;
  setNormalized(normalized: number): void;
  end(): void;
  /** The client's parameter itself, for `attachDrag` / `bindRange`; undefined without a client. */
  parameter: ClientParameter<T> | undefined;
}

const noop = (): void => {};
const noSubscription = (): (() => void) => noop;

/**
 * A host parameter: re-renders when its value changes (from the host, another page, or this one).
 * Unmounting ends a gesture the component left open.
 */
export function useParameter<T extends ParameterValue = ParameterValue>(id: string): ParameterBinding<T> {
  const client = useClient();
  const parameter = client?.parameter(id) as ClientParameter<T> | undefined;
  const subscribe = useCallback((changed: () => void) => parameter?.watch(changed) ?? noop, [parameter]);
  const value = useSyncExternalStore(subscribe, () => parameter?.value, () => undefined);
  useEffect(
    () => () => {
      if (parameter?.inGesture === true) parameter.end();
    },
    [parameter],
  );
  const actions = useMemo(
    () => ({
      begin: () => parameter?.begin(),
      set: (next: T) => parameter?.set(next),
      setNormalized: (n: number) => parameter?.setNormalized(n),
      end: () => parameter?.end(),
    }),
    [parameter],
  );
  return { value, text: value === undefined ? '' : (parameter?.text ?? ''), normalized: parameter?.normalized ?? 0, spec: parameter?.spec, parameter, ...actions };
}

/**
 * Hands every frame of stream `id` to `onFrame` (the newest function given), never re-rendering:
 * draw to a canvas or a ref there. For values that should render, {@link useLatest}.
 */
export function useStream<T = unknown>(id: string, onFrame: (data: T, meta: MessageMeta) => void): void {
  const client = useClient();
  const latest = useRef(onFrame);
  latest.current = onFrame;
  useEffect(() => client?.on(id, (data, meta) => latest.current(data as T, meta)), [client, id]);
}

/** The newest value of host message `id`, re-rendering at most once per animation frame. */
export function useLatest<T = unknown>(id: string): T | undefined {
  const client = useClient();
  const [value, setValue] = useState<{ v: T } | undefined>(undefined);
  useEffect(() => (client === undefined ? undefined : latestPerFrame(client, id, (v) => setValue({ v: v as T }))), [client, id]);
  return value?.v;
}

/** A stable function sending page → host message `id` (delivered once, queued while disconnected). */
export function useMessage<T = unknown>(id: string): (data: T) => SendResult {
  const client = useClient();
  return useCallback((data: T) => (client === undefined ? 'dropped' : client.send(id, data)), [client, id]);
}

/** A stable function calling host function `name`; rejects with `CallError` `DISCONNECTED` without a client. */
export function useCall<A extends unknown[] = unknown[], R = unknown>(name: string): (...args: A) => Promise<R> {
  const client = useClient();
  return useCallback(
    (...args: A) => (client === undefined ? Promise.reject(noClient(name)) : (client.call(name, ...args) as Promise<R>)),
    [client, name],
  );
}

/** The connection: status, mode, and whether it is reconnecting; re-renders on each change. `hostTime()` reads the host's clock. */
export function useConnection(): ConnectionState {
  const client = useClient();
  const state = useRef<ConnectionState>(connectionState(client, false));
  const subscribe = useCallback(
    (changed: () => void) =>
      client === undefined
        ? noSubscription()
        : watchConnection(client, (next) => {
            const before = state.current;
            if (before.status === next.status && before.mode === next.mode && before.reconnecting === next.reconnecting) return;
            state.current = next;
            changed();
          }),
    [client],
  );
  return useSyncExternalStore(subscribe, () => state.current, () => state.current);
}

function noClient(name: string): CallError {
  return new CallError('DISCONNECTED', `call '${name}': no client (no HiseProvider with a client above this component)`);
}

/** The hooks, typed from contract `C`: ids, values, payloads and functions are checked. */
export interface HiseHooks<C extends Contract> {
  useClient(): import('../client/connect.js').HiseClient<C> | undefined;
  useParameter<K extends keyof ParamsOf<C> & string>(id: K): ParameterBinding<ParamsOf<C>[K]>;
  useStream<K extends keyof EventsOf<C> & string>(id: K, onFrame: (data: EventsOf<C>[K], meta: MessageMeta) => void): void;
  useLatest<K extends keyof EventsOf<C> & string>(id: K): EventsOf<C>[K] | undefined;
  useMessage<K extends keyof MessagesOf<C> & string>(id: K): (data: MessagesOf<C>[K]) => SendResult;
  useCall<K extends keyof HostFunctionsOf<C> & string>(
    name: K,
  ): (...args: Parameters<HostFunctionsOf<C>[K]>) => Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>>;
  useConnection(): ConnectionState;
}

/** The same hooks, typed from your contract: `export const { useParameter, useCall } = createHooks<App>()`. No cost at run time. */
export function createHooks<C extends Contract = AnyContract>(): HiseHooks<C> {
  return { useClient, useParameter, useStream, useLatest, useMessage, useCall, useConnection } as unknown as HiseHooks<C>;
}
