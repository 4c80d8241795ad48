// The demo's stream contract, imported by both the host (Node) and the page, so ids and layouts
// are written down once. Every stream travels as an ordinary HISE message (PROTOCOL.md).

/** Registered buffers (`addBufferToWebSocket`), sent once per display frame. */
export const BufferIndex = Object.freeze({
  SCOPE_LEFT: 0,
  SCOPE_RIGHT: 1,
  /** Magnitudes in dBFS of bins 0 … FFT_SIZE/2 − 1 of the mid (L+R)/2 signal. */
  SPECTRUM: 2,
  /** One display frame's numbers; see `Meters`. Sent last, so it marks the frame complete. */
  METERS: 3,
});

/** Float offsets inside the METERS buffer. */
export const Meters = Object.freeze({
  /** Display frame counter: a gap on the page is a frame the host coalesced or never sent. */
  SEQ: 0,
  /** Play position in seconds. */
  POSITION: 1,
  PEAK_LEFT: 2,
  PEAK_RIGHT: 3,
  RMS_LEFT: 4,
  RMS_RIGHT: 5,
  LENGTH: 6,
});

/**
 * Raw audio for listening, one message per played block, only while some page asks for it:
 * [left × frames, right × frames]. Sent with `wv.send(AUDIO_ID, block, { time, samplePosition })`:
 * the page's modern client gets the block's first frame as `meta.samplePosition` (exact, a float64)
 * and the host's clock as `meta.time`, and a gap in the host's numbering as `meta.dropped`.
 */
export const AUDIO_ID = 'audio';

/** JSON text: the host's whole state, sent on every change and to every page that connects. */
export const STATE_ID = 'state';

/** Page → host: JSON text `{ action, value }`. */
export const Action = Object.freeze({
  PLAY: 'play',
  PAUSE: 'pause',
  SEEK: 'seek', // value: seconds
  GAIN: 'gain', // value: dB; at or below MUTE_DB means silence
  SIGNAL: 'signal', // value: one of state.signals
  LISTEN: 'listen', // value: true to receive AUDIO_ID blocks, false to stop
});

/** The gain slider's bottom, which means −∞ dB. */
export const MUTE_DB = -60;
export const MAX_GAIN_DB = 12;
export const FFT_SIZE = 4096;
export const SCOPE_FRAMES = 2048;
