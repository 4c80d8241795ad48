// Optional listening: the raw blocks the host streams under AUDIO_ID, played through an
// AudioWorklet at the host's sample rate (so no resampling of our own).
import { Audio } from './streams.js';

export function createListener(button, setSubscribed) {
  let context;
  let node;
  let on = false;

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

  return {
    get on() {
      return on;
    },
    /** Toggles listening; `sampleRate` from the host's state. */
    async toggle(sampleRate) {
      on = !on;
      button.setAttribute('aria-pressed', String(on));
      setSubscribed(on);
      if (on) await start(sampleRate);
      else await context?.suspend();
    },
    /** Takes one AUDIO_ID message. */
    push(block) {
      if (!on || !node) return;
      const frames = block[Audio.FRAMES];
      const left = block.slice(Audio.HEADER, Audio.HEADER + frames);
      const right = block.slice(Audio.HEADER + frames, Audio.HEADER + 2 * frames);
      node.port.postMessage({ left, right }, [left.buffer, right.buffer]);
    },
  };
}
