// The test apps' instruments: renders per component, stream frames seen, and listeners left on the
// client (each `on`, `onStatus`, `watch`, `subscribe` counted until its remover runs).
import type { HiseClient } from 'hise-webview/client';

export interface Instruments {
  renders: Record<string, number>;
  frames: number;
  live(): number;
  unmount(): void;
  mount(): void;
  opened: Promise<unknown>;
}

declare global {
  interface Window {
    app: Instruments;
  }
}

/** Counts the listeners `client` (and its parameters) hand out and take back. */
export function instrument(client: HiseClient, ids: string[]): Instruments {
  let live = 0;
  const wrap = (target: object, method: string): void => {
    const record = target as Record<string, (...args: unknown[]) => () => void>;
    const original = record[method]!.bind(target);
    record[method] = (...args: unknown[]) => {
      const remove = original(...args);
      live++;
      let removed = false;
      return () => {
        if (!removed) live--;
        removed = true;
        return remove();
      };
    };
  };
  wrap(client, 'on');
  wrap(client, 'onStatus');
  for (const id of ids) {
    wrap(client.parameter(id), 'watch');
    wrap(client.parameter(id), 'subscribe');
  }
  const app: Instruments = {
    renders: {},
    frames: 0,
    live: () => live,
    unmount: () => {},
    mount: () => {},
    opened: Promise.all([client.ready, ...ids.map((id) => client.parameter(id).ready)]),
  };
  window.app = app;
  return app;
}

export function rendered(name: string): void {
  window.app.renders[name] = (window.app.renders[name] ?? 0) + 1;
}
