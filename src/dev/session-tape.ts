import { record, replay, type DecodedRecording, type RecordOptions, type WebView } from '../host/index.js';
import type { DevLogger } from './log.js';

/** What the development host records or replays (`serve --record`, `serve --replay`). */
export interface SessionTapeOptions {
  /** Records the session to this file while serving. */
  record?: { file: string; maxBytes?: RecordOptions['maxBytes'] } | undefined;
  /** Plays this recording to the pages, looping, and answers their calls from it. */
  replay?: DecodedRecording | undefined;
}

/**
 * Starts recording and/or replaying on `wv` before its host module (or mock) runs, so the module's
 * first sends are recorded and its handlers replace the recording's answers. Returns what stops both.
 */
export function startSessionTape(wv: WebView, options: SessionTapeOptions, log: DevLogger): () => void {
  const stops: (() => void)[] = [];
  if (options.replay !== undefined) {
    const playing = replay(wv, options.replay, { onError: (error) => log.warn(`replay: ${(error as Error)?.message ?? String(error)}`) });
    const { calls, boundCallbacks } = playing.answers;
    const answered = [...calls.map((name) => `call ${name}`), ...boundCallbacks.map((name) => `bound ${name}`)];
    const sends = options.replay.events.filter((event) => event.kind === 'send').length;
    log.info(`replaying ${sends} messages, looping${answered.length > 0 ? `; answering ${answered.join(', ')} from the recording` : ''}`);
    stops.push(() => playing.stop());
  }
  if (options.record !== undefined) {
    const { file, maxBytes } = options.record;
    const recording = record(wv, file, {
      maxBytes,
      onStop: (summary) => {
        if (summary.error !== undefined) log.error(`${summary.error.message}`);
        else log.info(`recorded ${summary.records} records (${summary.bytes} bytes) to ${file}`);
      },
    });
    log.info(`recording to ${file}`);
    stops.push(() => void recording.stop());
  }
  return () => {
    for (const stop of stops) stop();
  };
}
