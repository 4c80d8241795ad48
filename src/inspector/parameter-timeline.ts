import type { Observation, Parameter } from '../host/index.js';
import { Ring } from './ring.js';
import type { GestureView, ParameterView } from './snapshot.js';
import { cut } from './summary.js';

/** Gestures kept per parameter (the newest; older ones are forgotten). */
export const GESTURES_KEPT = 8;
/** Values of one gesture kept: its newest changes (the count says how many there were). */
export const GESTURE_POINTS = 32;
/** Choices a spec's summary names before it says how many more there are. */
const CHOICES_SHOWN = 8;

type ParameterObservation = Extract<Observation, { type: 'parameter' | 'gesture' }>;
type Value = Parameter['value'];

interface Gesture {
  readonly page: number;
  readonly start: number;
  readonly from: Value;
  /** The newest values set in it, with their count. */
  readonly values: Ring<Value>;
  changes: number;
  end: number | undefined;
  to: Value | undefined;
  reason: 'end' | 'disconnect' | undefined;
}

interface Timeline {
  readonly gestures: Ring<Gesture>;
  changes: number;
  lastPage: number | undefined;
}

/**
 * Folds `parameter` and `gesture` observations into a bounded timeline per parameter: its change
 * count and its newest gestures, each per page from start through its changes to its end (with
 * `from`, `to` and the reason). Values, texts and specs are read from the host when a snapshot is
 * taken (`wv.parameters`), not kept here.
 */
export class ParameterTimelines {
  readonly #timelines = new Map<string, Timeline>();
  /** Open gestures by `id\0page`. */
  readonly #open = new Map<string, Gesture>();
  readonly #maxIds: number;

  /** @param maxIds parameters that get a timeline; further ones are shown without one */
  constructor(maxIds: number) {
    this.#maxIds = maxIds;
  }

  observe(o: ParameterObservation): void {
    const timeline = this.#timeline(o.id);
    if (timeline === undefined) return;
    const key = `${o.id}\u0000${o.page?.id ?? 0}`;
    if (o.type === 'parameter') {
      timeline.changes++;
      timeline.lastPage = o.page?.id;
      const gesture = o.inGesture ? this.#open.get(key) : undefined;
      if (gesture === undefined) return;
      gesture.changes++;
      gesture.values.push(o.value);
    } else if (o.phase === 'start') {
      const gesture: Gesture = { page: o.page.id, start: o.time, from: o.from, values: new Ring(GESTURE_POINTS), changes: 0, end: undefined, to: undefined, reason: undefined };
      timeline.gestures.push(gesture);
      this.#open.set(key, gesture);
    } else {
      const gesture = this.#open.get(key) ?? this.#startedBefore(timeline, o);
      this.#open.delete(key);
      gesture.end = o.time;
      gesture.to = o.to;
      gesture.reason = o.reason;
    }
  }

  /** The declared parameters (the first `maxIds`) with their timelines, in declaration order. */
  views(parameters: ReadonlyMap<string, Parameter>): ParameterView[] {
    const shown: Parameter[] = [];
    for (const parameter of parameters.values()) {
      if (shown.length >= this.#maxIds) break;
      shown.push(parameter);
    }
    return shown.map((parameter) => {
      const timeline = this.#timelines.get(parameter.id);
      return {
        id: parameter.id,
        type: parameter.spec.type,
        spec: specLine(parameter.spec),
        value: parameter.value,
        text: cut(parameter.text),
        source: parameter.source,
        page: timeline?.lastPage,
        changes: timeline?.changes ?? 0,
        gestures: timeline === undefined ? [] : timeline.gestures.last(GESTURES_KEPT).map(gestureView),
      };
    });
  }

  /** A gesture that ends but began before the inspector opened: shown from its end. */
  #startedBefore(timeline: Timeline, o: Extract<ParameterObservation, { type: 'gesture' }>): Gesture {
    const gesture: Gesture = { page: o.page.id, start: Number.NaN, from: o.from, values: new Ring(GESTURE_POINTS), changes: 0, end: undefined, to: undefined, reason: undefined };
    timeline.gestures.push(gesture);
    return gesture;
  }

  #timeline(id: string): Timeline | undefined {
    let timeline = this.#timelines.get(id);
    if (timeline === undefined) {
      if (this.#timelines.size >= this.#maxIds) return undefined;
      timeline = { gestures: new Ring(GESTURES_KEPT), changes: 0, lastPage: undefined };
      this.#timelines.set(id, timeline);
    }
    return timeline;
  }
}

function gestureView(gesture: Gesture): GestureView {
  return {
    page: gesture.page,
    start: Number.isNaN(gesture.start) ? undefined : gesture.start,
    end: gesture.end,
    from: gesture.from,
    to: gesture.to,
    reason: gesture.reason,
    changes: gesture.changes,
    values: gesture.values.last(GESTURE_POINTS),
  };
}

/** A spec in one line: `number -60…12 step 0.1 dB`, `choice: sine, saw (+3)`, `boolean`. */
function specLine(spec: Parameter['spec']): string {
  const label = spec.label === '' ? '' : ` "${spec.label}"`;
  switch (spec.type) {
    case 'number': {
      const step = spec.step > 0 ? ` step ${spec.step}` : '';
      const skew = spec.skew === 'linear' ? '' : ` skew ${spec.skew}`;
      const unit = spec.unit === '' ? '' : ` ${spec.unit}`;
      return cut(`number ${spec.min}…${spec.max}${step}${skew}${unit}, default ${spec.default}${label}`);
    }
    case 'choice': {
      const more = spec.choices.length > CHOICES_SHOWN ? ` (+${spec.choices.length - CHOICES_SHOWN})` : '';
      return cut(`choice: ${spec.choices.slice(0, CHOICES_SHOWN).join(', ')}${more}, default ${spec.default}${label}`);
    }
    case 'boolean':
      return `boolean, default ${spec.default ? 'on' : 'off'}${label}`;
  }
}
