// Optional listening: the raw blocks the host streams under AUDIO_ID, played through an
// AudioWorklet at the host's sample rate (so no resampling of our own). The blocks come through a
// modern client (fresh streams) subscribed to AUDIO_ID only: each block's position in the stream
// arrives as meta.samplePosition, its host time as meta.time, lost blocks as meta.dropped.
import { hostOrigin } from './connection.js';
import { AUDIO_ID } from './streams.js';

/**
 * @param {HTMLElement} button
 * @param {(on: boolean) => void} setSubscribed tells the host (through the page's HISE client)
 * @param {number} port the host's port
 * @param {(block: { start: number, left: Float32Array, right: Float32Array, dropped: number, ageMs: number | undefined }) => void} onBlock
 */
export function createListener(button, setSubscribed, port, onBlock) {
  let context;
  let node;
  let on = false;
  let client;

  async function start(sampleRate) {
    if (!context || context.sampleRate !== sampleRate) {
      await context?.close();
      context = new AudioContext({ sampleRate, latencyHint: 'interactive' });
      await context.audioWorklet.addModule(new URL('./listen-worklet.js', import.meta.url));
      node = new AudioWorkletNode(context, 'stream-player', { numberOfInputs: 0, outputChannelCount: [2] });
      node.connect(context.destination);
    }
    await context.resume();
  }

  async function openStream() {
    const { connect } = await import(`${hostOrigin(port)}/hise-webview-client.js`);
    client = connect({ port });
    client.subscribe([AUDIO_ID]); // this connection carries the audio, nothing else
    client.on(AUDIO_ID, (block, meta) => {
      const frames = block.length / 2;
      const left = block.slice(0, frames);
      const right = block.slice(frames);
      const now = client.hostTime();
      onBlock({ start: meta.samplePosition, left, right, dropped: meta.dropped, ageMs: now === undefined ? undefined : now - meta.time });
      if (on && node) node.port.postMessage({ left, right }, [left.buffer, right.buffer]);
    });
    await client.ready;
  }

  return {
    get on() {
      return on;
    },
    /** Toggles listening; `sampleRate` from the host's state. */
    async toggle(sampleRate) {
      on = !on;
      button.setAttribute('aria-pressed', String(on));
      if (on) {
        await openStream();
        setSubscribed(true);
        await start(sampleRate);
      } else {
        setSubscribed(false);
        client?.close();
        client = undefined;
        await context?.suspend();
      }
    },
  };
}
