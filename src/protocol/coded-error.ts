/**
 * The base of every error hise-webview throws: a stable `code` (callers and tests compare it, never
 * the message), a one-line `message`, the underlying `cause`, and optional `details` whose shape
 * each layer's class says. Pure: no Node, no DOM.
 */
export interface CodedErrorOptions<Details = unknown> {
  /** The error this one reports, e.g. a `ProtocolError` under a host's `WebViewError`. */
  cause?: unknown;
  /** More about it, in the shape the subclass documents. */
  details?: Details;
}

/**
 * An `Error` with a stable `code` of the union `Code`. Each layer extends it with its own class
 * (`WebViewError`, `ClientError`, `ProtocolError` …), which keeps its own `name`, so `instanceof`
 * works for the layer's class and for `CodedError` alike.
 */
export class CodedError<Code extends string = string, Details = unknown> extends Error {
  /** What went wrong, stable across versions. */
  readonly code: Code;
  /** More about it (absent when there is nothing more); each subclass says what it holds. */
  declare readonly details?: Details;

  constructor(code: Code, message: string, options: CodedErrorOptions<Details> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // Only when given: an own `details: undefined` would show in every logged or compared error.
    if (options.details !== undefined) (this as { details?: Details }).details = options.details;
  }
}
