import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { HiseClient } from '../client/connect.js';
import type { AnyContract, Contract } from '../protocol/contract.js';

const ClientContext = createContext<HiseClient<any> | undefined>(undefined);

/** Props of {@link HiseProvider}. */
export interface HiseProviderProps {
  /**
   * The client the hooks below use, made with `connect()` where a page runs (not during server
   * rendering). `undefined` (on the server, or before you made one): hooks report no value and
   * `connecting`. The provider never closes it: the client outlives StrictMode's double mount.
   */
  client: HiseClient<any> | undefined;
  children?: ReactNode;
}

/** Makes `client` the one the hooks of every component inside use. */
export function HiseProvider({ client, children }: HiseProviderProps): ReactNode {
  return createElement(ClientContext.Provider, { value: client }, children);
}

/** The client of the nearest {@link HiseProvider}; `undefined` without one (or without a client yet). */
export function useClient<C extends Contract = AnyContract>(): HiseClient<C> | undefined {
  return useContext(ClientContext) as HiseClient<C> | undefined;
}
