import { answerFromRecording, recordedCallNames, record, replay, type DecodedRecording, type RecordOptions, type WebView } from '../host/index.js';
import type { DevLogger } from './log.js';

/** What the development host records or replays (`serve --record`, `serve --replay`). */
export interface SessionTapeOptions {
  /** Records the session to this file while serving. */
  record?: { file: string; maxBytes?: RecordOptions['maxBytes'] } | undefined;
  /** Plays this recording to the pages, looping, and answers their calls from it. */
  replay?: DecodedRecording | undefined;
}

/** A started tape: what stops it, and what a host runner runs before each run of the module. */
export interface SessionTape {
  stop(): void;
  /**
   * With a replay: registers the recording's answers through each run's scoped view, before the
   * run's module (a `--mock`), so the mock's handlers replace them and, when the mock restarts,
   * the recording answers again for the names the new run does not handle.
   */
  beforeRun: ((webView: WebView) => void) | undefined;
}

/**
 * Starts recording and/or replaying on `wv` before its host module (or mock) runs, so the module's
 * first sends are recorded and its handlers replace the recording's answers.
 */
export function startSessionTape(wv: WebView, options: SessionTapeOptions, log: DevLogger): SessionTape {
  const stops: (() => void)[] = [];
  let beforeRun: SessionTape['beforeRun'];
  if (options.replay !== undefined) {
    const recording = options.replay;
    const report = (error: unknown): void => log.warn(`replay: ${(error as Error)?.message ?? String(error)}`);
    const playing = replay(wv, recording, { onError: report, answer: false });
    beforeRun = (scoped) => void answerFromRecording(scoped, recording, report);
    const { calls, boundCallbacks } = recordedCallNames(recording);
    const answered = [...calls.map((name) => `call ${name}`), ...boundCallbacks.map((name) => `bound ${name}`)];
    const sends = options.replay.events.filter((event) => event.kind === 'send').length;
    const parameters = [...new Set(recording.events.flatMap((event) => (event.kind === 'parameter' ? [event.id] : [])))];
    const changes = recording.events.filter((event) => event.kind === 'change').length;
    const moved = parameters.length > 0 ? `; parameters ${parameters.join(', ')} (${changes} changes)` : '';
    log.info(`replaying ${sends} messages, looping${answered.length > 0 ? `; answering ${answered.join(', ')} from the recording` : ''}${moved}`);
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
  return {
    stop: () => {
      for (const stop of stops) stop();
    },
    beforeRun,
  };
}
