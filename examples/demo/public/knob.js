// The gain knob: the host's `gain` parameter through the modern client, dragged with `attachDrag`
// (vertical drag, wheel, arrow keys, double-click to 0 dB). Each drag is one gesture, so the host
// sees one undo step; while it lasts, changes from other pages wait. The HISE-style controls stay
// on the drop-in client; both move the same parameter.
import { hostOrigin } from './connection.js';

/** Pixels of drag across the whole range. */
const KNOB_PIXELS = 200;
/** The knob's sweep, in degrees, centred on 12 o'clock. */
const SWEEP_DEG = 270;

/** Connects to the host on `port` and makes `element` its gain knob; `output` shows the value. */
export async function createKnob(element, output, port) {
  const { connect, attachDrag } = await import(`${hostOrigin(port)}/hise-webview-client.js`);
  const client = connect({ port });
  const gain = client.parameter('gain');
  const draw = () => {
    element.style.setProperty('--angle', `${(gain.normalized - 0.5) * SWEEP_DEG}deg`);
    output.textContent = gain.text;
  };
  gain.watch(draw);
  await gain.ready;
  draw();
  attachDrag(element, gain, { pixels: KNOB_PIXELS });
  return { client, gain };
}
