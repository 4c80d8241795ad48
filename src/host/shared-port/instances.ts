import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { HubMember } from '../../protocol/hub.js';
import { emitContained } from '../contained-emit.js';
import { WebViewError } from '../errors.js';
import { checkSerializable } from '../delivery/outbound.js';

/** An instance sharing the port, as `wv.instances` lists it. */
export interface InstanceInfo {
  /** Random per `WebView` (16 hex digits); what pages are tagged with and messages are addressed to. */
  readonly id: string;
  /** Join order at the current hub: 0 is the hub; on failover the lowest surviving order takes over first. */
  readonly order: number;
  /** True for the instance that holds the port now. */
  readonly hub: boolean;
  /** True for this instance. */
  readonly self: boolean;
}

export interface InstancesEvents {
  /** Another instance joined the port. */
  join: [instance: InstanceInfo];
  /** An instance left (closed, died, or is re-joining after a failover). */
  leave: [instance: InstanceInfo];
  /** Another instance sent this one a message with {@link Instances.send}. */
  message: [id: string, data: unknown, from: string];
  /** This instance became the hub or a member (also after each failover). */
  role: [role: 'hub' | 'member'];
}

/** How `Instances` reaches the others; set by the shared port once it is up. */
export interface InstanceTransport {
  send(to: string, id: string, data: unknown): boolean;
}

/**
 * `wv.instances` of a `WebView` with `shared: true`: who shares the port, their comings and goings,
 * and JSON messages between them (through the hub, in order per sender).
 */
export class Instances extends EventEmitter<InstancesEvents> {
  /** This instance's id. */
  readonly self: string = randomBytes(8).toString('hex');
  #members: HubMember[] = [];
  #hub: string | undefined;
  #transport: InstanceTransport | undefined;
  #report: (error: WebViewError) => void = (error) => console.warn(`[hise-webview] ${error.code}: ${error.message}`);
  /** Milliseconds the last failover took, from losing the hub to holding the port or having joined the new hub. */
  lastFailoverMs: number | undefined;

  /** Every instance on the port now, this one included, hub first. Empty until the port is shared. */
  get list(): readonly InstanceInfo[] {
    return this.#members.map((member) => ({ ...member, hub: member.id === this.#hub, self: member.id === this.self }));
  }

  /** The id of the instance holding the port. */
  get hub(): string | undefined {
    return this.#hub;
  }

  /** `'hub'` when this instance holds the port, `'member'` when it joined another, undefined before (or while re-joining). */
  get role(): 'hub' | 'member' | undefined {
    if (this.#hub === undefined) return undefined;
    return this.#hub === this.self ? 'hub' : 'member';
  }

  /**
   * Sends `data` (a JSON value) under `id` to one instance, or to every other one with `'all'`.
   * @returns false when there is no such instance, the hub is not reachable now, or the hub (or,
   *   from the hub, the addressee) has stopped reading with 32 MiB waiting (nothing is queued)
   * @throws {WebViewError} `INVALID_ID`, `UNSERIALIZABLE_DATA`, `MESSAGE_TOO_LARGE` (over `maxPayload` bytes as JSON)
   */
  send(to: string | 'all', id: string, data: unknown): boolean {
    if (typeof id !== 'string' || id === '') throw new WebViewError('INVALID_ID', 'an instance message needs a non-empty string id');
    checkSerializable(data);
    if (to !== 'all' && (to === this.self || !this.#members.some((member) => member.id === to))) return false;
    return this.#transport?.send(to === 'all' ? '*' : to, id, data) ?? false;
  }

  /** A listener that throws or rejects is reported as `LISTENER_FAILED` (the host's `error` event); the others still run. */
  override emit<K extends keyof InstancesEvents>(event: K, ...args: InstancesEvents[K]): boolean;
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    return emitContained(this, event, args, (error) =>
      this.#report(new WebViewError('LISTENER_FAILED', `an instances '${String(event)}' listener failed: ${String((error as Error)?.message ?? error)}`, { cause: error })),
    );
  }

  /** @internal Where failing listeners are reported. */
  setReporter(report: (error: WebViewError) => void): void {
    this.#report = report;
  }

  /** @internal The shared port's transport (undefined while no hub is reachable). */
  setTransport(transport: InstanceTransport | undefined): void {
    this.#transport = transport;
  }

  /** @internal The hub's list changed: emits `join`/`leave` for the difference. */
  update(hub: string | undefined, members: HubMember[]): void {
    const before = new Map(this.list.map((info) => [info.id, info]));
    const previousRole = this.role;
    this.#hub = hub;
    this.#members = members;
    const after = this.list;
    for (const info of after) if (!before.has(info.id) && !info.self) this.emit('join', info);
    for (const [id, info] of before) if (!after.some((now) => now.id === id) && !info.self) this.emit('leave', info);
    const role = this.role;
    if (role !== undefined && role !== previousRole) this.emit('role', role);
  }
}
