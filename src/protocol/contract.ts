/**
 * A typed contract between a host and its pages, shared by both sides as a type parameter:
 *
 * ```ts
 * interface Synth extends Contract {
 *   events: { scope: Float32Array; state: { gain: number } };   // host → page, by id
 *   messages: { gain: number };                                 // page → host, by id
 *   host: { setGain(db: number): number };                      // page calls host
 *   page: { flash(color: string): void };                       // host calls page
 *   params: { gain: number; mode: 'sine' | 'saw' };             // parameters, by id
 * }
 * ```
 */
export interface Contract {
  events?: Record<string, unknown>;
  messages?: Record<string, unknown>;
  host?: Record<string, (...args: any[]) => unknown>;
  page?: Record<string, (...args: any[]) => unknown>;
  params?: Record<string, number | string | boolean>;
}

/** The contract of an untyped connection: any id, any function. */
export interface AnyContract {
  events: Record<string, unknown>;
  messages: Record<string, unknown>;
  host: Record<string, (...args: any[]) => unknown>;
  page: Record<string, (...args: any[]) => unknown>;
  params: Record<string, number | string | boolean>;
}

type Section<C extends Contract, K extends keyof Contract, Fallback> = C[K] extends infer S
  ? undefined extends S
    ? Fallback
    : Exclude<S, undefined>
  : never;

/** Host → page ids and their payloads. */
export type EventsOf<C extends Contract> = Section<C, 'events', Record<string, unknown>>;
/** Page → host ids and their payloads. */
export type MessagesOf<C extends Contract> = Section<C, 'messages', Record<string, unknown>>;
/** Functions the host offers to pages. */
export type HostFunctionsOf<C extends Contract> = Section<C, 'host', Record<string, (...args: any[]) => unknown>>;
/** Functions a page offers to the host. */
export type PageFunctionsOf<C extends Contract> = Section<C, 'page', Record<string, (...args: any[]) => unknown>>;
/** Parameter ids and their value types (numbers, choice names, booleans). */
export type ParamsOf<C extends Contract> = Section<C, 'params', Record<string, number | string | boolean>>;
