import { FrameType } from '../../protocol/extension.js';
import { HiseSpecAssembler, readHiseParameterMessage, type HiseParameterMessage } from '../../protocol/hise-parameters.js';
import { encodeParameterOp, hiseParameterOpText, HiseParameterId, readParameterJson, type ParameterOp, type ParameterValueEntry } from '../../protocol/parameter-messages.js';
import { checkSpec, type ParameterError, type ParameterSpec } from '../../protocol/parameter-spec.js';
import { createSessionId } from '../../protocol/session-id.js';
import { ClientParameters, type ClientParameter } from './client-parameter.js';
import type { Encode, Outbox } from './outbox.js';
import type { Transport } from './transport.js';
import type { ClientMode, ClientModule, FrameRoutes } from './types.js';

/**
 * Host parameters on the wire (PROTOCOL.md "Parameters"): the host's specs, values and refusals to
 * the page's {@link ClientParameters}, and the page's gestures (`begin`/`set`/`end`) through the
 * outbox, delivered once. In HISE's format the same travels as text messages with reserved ids.
 */
export class ParametersModule implements ClientModule {
  readonly frames: FrameRoutes = {
    [FrameType.ParameterSpecs]: (frame) => this.#model.receiveSpecs(readParameterJson(frame)),
    [FrameType.ParameterValues]: (frame) => this.#model.receiveValues(readParameterJson(frame)),
    [FrameType.ParameterError]: (frame) => this.#model.receiveError(frame.id, readParameterJson(frame)),
    [FrameType.ParameterOp]: () => undefined, // page → host only
  };
  readonly #transport: Transport;
  readonly #outbox: Outbox;
  readonly #model = new ClientParameters({ send: (id, op) => this.#send(id, op) });
  /** Marks this client's operations in HISE's format, where the host echoes them to every page. */
  readonly #clientId = createSessionId().slice(0, 12);
  readonly #encode: Encode = (id, op, seq, mode) =>
    mode === 'extended' ? encodeParameterOp(id, op as ParameterOp, seq) : hiseParameterOpText(id, { ...(op as ParameterOp), c: this.#clientId });
  #used = false;
  /** HISE mode: the spec parts that have come, and each parameter's latest value (a value may come before its spec). */
  readonly #specs = new HiseSpecAssembler();
  readonly #latest = new Map<string, ParameterValueEntry>();
  /** Specs whose parts have all come, waiting for a value. */
  readonly #waiting = new Map<string, Record<string, unknown>>();

  constructor(transport: Transport, outbox: Outbox) {
    this.#transport = transport;
    this.#outbox = outbox;
  }

  /** The page's view of parameter `id`; the first call in HISE's format asks the host for them. */
  get(id: string): ClientParameter {
    if (!this.#used) {
      this.#used = true;
      if (this.#transport.mode === 'legacy' && this.#transport.isOpen) this.#askForParameters();
    }
    return this.#model.get(id);
  }

  get ids(): string[] {
    return this.#model.ids;
  }

  onError(listener: (error: ParameterError) => void): () => void {
    return this.#model.onError(listener);
  }

  opened(mode: ClientMode): void {
    if (mode === 'legacy' && this.#used) this.#askForParameters();
  }

  /** HISE's format: the parameter messages arrive as text messages with reserved ids; true when `id` was one of them. */
  claimText(id: string, text: string): boolean {
    const message = readHiseParameterMessage(id, text);
    if (message !== undefined) {
      this.#receiveHise(message);
      return true;
    }
    // The first convention (one id for all values, one message for all specs), which HISE cannot carry: still read.
    if (id !== HiseParameterId.Specs && id !== HiseParameterId.Values && id !== HiseParameterId.Error) return false;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return false; // not ours after all: the page's listeners get it
    }
    if (id === HiseParameterId.Specs) this.#model.receiveSpecs(data);
    else if (id === HiseParameterId.Values) this.#model.receiveValues(data, this.#clientId);
    else this.#model.receiveError(String((data as { id?: unknown })?.id ?? ''), data);
    return true;
  }

  /** A per-parameter message (PROTOCOL.md §9 "HISE mode"): a spec is learnt once all its parts and a value came. */
  #receiveHise(message: HiseParameterMessage): void {
    const { id } = message;
    if (message.kind === 'error') return this.#model.receiveError(id, message.body);
    if (message.kind === 'value') {
      if (message.client !== undefined && message.client === this.#clientId) return; // our own change, echoed to every page
      this.#latest.set(id, message.entry);
      if (this.#waiting.has(id)) return this.#learn(id);
      return this.#model.receiveValues(Object.fromEntries([[id, message.entry]]));
    }
    const spec = this.#specs.add(id, message.part, message.parts, message.fields);
    if (spec === undefined) return;
    this.#waiting.set(id, spec);
    if (this.#latest.has(id)) this.#learn(id);
  }

  /** A spec a HISE script wrote is checked and completed (a `skew`, a `step` it left out) as a host's is. */
  #learn(id: string): void {
    const parts = this.#waiting.get(id)!;
    this.#waiting.delete(id);
    let spec: ParameterSpec;
    try {
      spec = checkSpec(id, parts);
    } catch (error) {
      const { code, message } = error as ParameterError;
      return this.#model.receiveError(id, { code, message });
    }
    const [value, source, text] = this.#latest.get(id)!;
    this.#model.receiveSpecs(Object.fromEntries([[id, { spec, value, source, ...(text === undefined ? {} : { text }) }]]));
  }

  /**
   * HISE's format: HISE tells a page nothing when it connects, so a page that uses parameters asks
   * for them (on every open). A page that never calls `parameter()` sends nothing of the kind, so a
   * HISE script that knows nothing of parameters never sees such a message.
   */
  #askForParameters(): void {
    this.#transport.write(hiseParameterOpText('', { op: 'sync', c: this.#clientId }));
  }

  /** Operations go through the acknowledged queue, like `send`: delivered once, resent after a reconnect. */
  #send(id: string, op: ParameterOp): void {
    if (this.#outbox.add(id, op, 64 + id.length * 3, this.#encode) !== 'dropped') return;
    this.#model.receiveError(id, { code: 'INVALID_PARAMETER_MESSAGE', message: `the client's queue (maxQueue) is full: '${op.op}' of '${id}' was dropped` });
  }
}
