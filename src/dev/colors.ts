import pc from 'picocolors';

/** picocolors' formatters, on or off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for what is written to `stream`: on when it is a terminal (and `TERM` is not `dumb`) or
 * `FORCE_COLOR` is set, off whenever `NO_COLOR` is set to anything but the empty string
 * (https://no-color.org). A pipe or a file gets plain text.
 */
export function colorsFor(stream: { isTTY?: boolean } | undefined, env: NodeJS.ProcessEnv = process.env): Colors {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  return pc.createColors(!noColor && (force || (stream?.isTTY === true && env.TERM !== 'dumb')));
}
