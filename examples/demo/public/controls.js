// Transport controls. The page never assumes its own change took effect: it sends the action and
// shows what the host echoes back in `state`, so every open page shows the same thing.
import { Action, MUTE_DB } from './streams.js';

const $ = (id) => document.getElementById(id);

/** @param send (action, value) => void */
export function createControls(send) {
  const el = { fieldset: $('controls'), play: $('play'), seek: $('seek'), time: $('time'), signal: $('signal'), gain: $('gain'), gainValue: $('gain-value') };
  let state;
  let dragging = null; // the slider under the user's pointer is not overwritten by echoes

  el.play.addEventListener('click', () => send(state?.playing ? Action.PAUSE : Action.PLAY));
  el.seek.addEventListener('input', () => send(Action.SEEK, Number(el.seek.value)));
  el.gain.addEventListener('input', () => {
    el.gainValue.textContent = formatGain(Number(el.gain.value));
    send(Action.GAIN, Number(el.gain.value));
  });
  el.signal.addEventListener('change', () => send(Action.SIGNAL, el.signal.value));
  for (const slider of [el.seek, el.gain]) {
    slider.addEventListener('pointerdown', () => (dragging = slider));
    slider.addEventListener('pointerup', () => (dragging = null));
    slider.addEventListener('pointercancel', () => (dragging = null));
  }

  return {
    setConnected(connected) {
      el.fieldset.disabled = !connected;
    },
    applyState(next) {
      state = next;
      el.play.dataset.playing = String(next.playing);
      el.seek.max = String(next.duration);
      if (dragging !== el.gain) el.gain.value = String(next.gainDb);
      el.gainValue.textContent = formatGain(next.gainDb);
      if (el.signal.options.length !== next.signals.length) {
        el.signal.replaceChildren(...next.signals.map((name) => new Option(name === 'file' ? next.fileName : name, name)));
      }
      el.signal.value = next.signal;
    },
    /** Called every repaint with the streamed position, so the slider moves smoothly. */
    showPosition(seconds) {
      if (!state) return;
      el.time.textContent = `${formatTime(seconds)} / ${formatTime(state.duration)}`;
      if (dragging !== el.seek) el.seek.value = String(seconds);
    },
  };
}

function formatGain(db) {
  return db <= MUTE_DB ? '−∞ dB' : `${db > 0 ? '+' : db < 0 ? '−' : ''}${Math.abs(db).toFixed(1)} dB`;
}

function formatTime(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}
