import { CodedError } from '../protocol/coded-error.js';
import type { ParameterErrorCode, ProtocolErrorCode } from '../protocol/index.js';
import type { HiseWarningCode } from './hise-strict/warnings.js';

/** Stable codes of everything the host reports. README.md has the table. */
export type WebViewErrorCode =
  /** `setEnableWebSocket(port)` with a port that another program holds. */
  | 'PORT_IN_USE'
  /** A port outside 0–65535 (or -1). */
  | 'INVALID_PORT'
  /** The server could not start for another reason (see `cause`). */
  | 'LISTEN_FAILED'
  /** A socket method was used before `setEnableWebSocket`. */
  | 'NOT_ENABLED'
  /** The host was closed; nothing more can be sent or started. */
  | 'CLOSED'
  /** An id that is not a string, or that the wire format cannot carry. */
  | 'INVALID_ID'
  /** `sendToWebSocket` data that is not a string, `Float32Array`, plain object or array. */
  | 'UNSUPPORTED_DATA'
  /** An object that `JSON.stringify` refuses (a cycle, a BigInt). */
  | 'UNSERIALIZABLE_DATA'
  /** A `Float32Array` (or other typed array) whose buffer was transferred away, e.g. by `postMessage` with a transfer list. */
  | 'DETACHED_BUFFER'
  /** A registered buffer index outside 0–255, or not registered. */
  | 'INVALID_BUFFER_INDEX'
  /** `setIndexFile` with a path that does not exist. */
  | 'ROOT_NOT_FOUND'
  /** A bound callback name or `callFunction` name that is not a non-empty string. */
  | 'INVALID_NAME'
  /** An option with a value of the wrong kind or range. */
  | 'INVALID_OPTION'
  /** A page sent text that looks like JSON but is not; the raw text is in `data`. */
  | 'INVALID_JSON'
  /** A page sent binary data whose length is not a multiple of 4; the raw bytes are in `data`. */
  | 'INVALID_FLOAT_PAYLOAD'
  /** A page that negotiated the extension sent a frame that does not decode (`cause` has the protocol code). */
  | 'INVALID_FRAME'
  /** A page's message numbered further past its session's last one than `sequenceWindow` allows: not delivered, the session's ledger unchanged. */
  | 'INVALID_SEQUENCE'
  /** A connection offered a `?session=` that is not an unguessable session id (32 lowercase hex digits): refused with 400. */
  | 'INVALID_SESSION'
  /** A page sent a message larger than `maxPayload`; the page was disconnected (close code 1009). */
  | 'MESSAGE_TOO_LARGE'
  /** A page broke the WebSocket protocol (bad UTF-8 in a text frame, a bad opcode …) and was disconnected. */
  | 'PAGE_PROTOCOL_ERROR'
  /** The `setWebSocketCallback` function threw or rejected; the message was delivered. */
  | 'CALLBACK_FAILED'
  /** No page is connected and `maxPendingIds` ids are already held: the message was dropped. */
  | 'PENDING_QUEUE_FULL'
  /** A page stopped reading and its queued control messages passed `maxQueuedBytesPerPage`: it was disconnected. */
  | 'PAGE_TOO_SLOW'
  /** A page did not answer heartbeats and was disconnected. */
  | 'PAGE_UNRESPONSIVE'
  /** An HTTP request or upgrade whose target or `Host` does not parse (`//%5B`, no `Host` on HTTP/1.1); answered 400. */
  | 'INVALID_REQUEST'
  /** A `Range` header no byte of the file satisfies (`bytes=9-2`, past the end, garbage); answered 416. */
  | 'RANGE_NOT_SATISFIABLE'
  /** Serving an HTTP request failed inside the host (a file-system error, a bug); answered 500, the host keeps running. */
  | 'HTTP_HANDLER_FAILED'
  /** A `connect`, `disconnect` or `refused` listener of the host's author threw or rejected; the host went on. */
  | 'LISTENER_FAILED'
  /** Bad parameter input (PROTOCOL.md §9): the same codes a page's `ParameterError` carries. */
  | ParameterErrorCode
  /** `setState` with a state that is not of the documented shape or holds a bad value; nothing was changed. */
  | 'INVALID_STATE'
  /** An observer added with `observe` threw; the observer stays registered and the host goes on. */
  | 'OBSERVER_FAILED'
  /** Handling a page's frame failed inside the host (a bug a page's input reached): the frame was dropped, the host goes on. */
  | 'FRAME_HANDLER_FAILED'
  /** A recording (`record`) reached its `maxBytes`: it stopped there, and the file holds every record before. */
  | 'RECORDING_FULL'
  /** A recording file could not be written or read (see `cause`). */
  | 'RECORDING_FAILED'
  /** Shared port: the per-user secret's directory or file is not private to this user (another owner, open mode, a link). */
  | 'SHARED_SECRET_UNSAFE'
  /** LAN: the devices file, certificate or their directory is not private to this user (another owner, open mode, a link) or is not one this project wrote. */
  | 'LAN_FILE_UNSAFE'
  /** LAN: `https` could not be set up (the given cert/key unreadable, or generating one failed; see `cause`). */
  | 'LAN_TLS_FAILED'
  /** LAN: no address to listen on (no non-internal IPv4 interface, and no `lan.host`). */
  | 'LAN_NO_ADDRESS'
  /** LAN: the mDNS announcement failed (the LAN itself keeps serving; pairing by QR code still works). */
  | 'LAN_MDNS_FAILED'
  /** LAN: a `view` device sent something that writes (a message, a parameter set or gesture, a call); refused, a call answered with this code. */
  | 'LAN_VIEW_ONLY'
  /** LAN: pairing refused because `maxDevices` devices are paired. */
  | 'LAN_PAIRING_REFUSED'
  /** Shared port: an instance sent the hub something it cannot read, or failed the handshake; the link is closed. */
  | 'HUB_PROTOCOL_ERROR'
  /** Shared port: messages waiting for the hub (during a failover) passed their bound; the oldest were dropped. */
  | 'RELAY_LOG_FULL'
  /** Shared port: no hub could be reached or taken over for a while; this instance keeps trying. */
  | 'HUB_UNREACHABLE'
  /** The proxy (`hise-webview proxy`) cannot connect to HISE's WebSocket server, or lost it. */
  | 'HISE_UNREACHABLE'
  /** A page's message the proxy does not pass to HISE: larger than HISE can read (65,535 bytes). */
  | 'HISE_MESSAGE_TOO_LARGE'
  /** A page's message while `maxWaitingBytes` of messages already wait to go to HISE: not delivered. */
  | 'HISE_BACKLOG_FULL'
  /** A page's message while the proxy has no connection to HISE: not delivered. */
  | 'HISE_NOT_CONNECTED'
  /** A frame from HISE that is not one of its messages (PROTOCOL.md §1): not passed on. */
  | 'HISE_MESSAGE_UNREADABLE'
  /** HISE-strict mode's warnings (the `hise-warning` event; observers see each as an `error` observation): see docs/HISE-STRICT.md. */
  | HiseWarningCode;

/** The one error class of the host. `cause` holds the underlying error, e.g. a `ProtocolError`. */
export class WebViewError extends CodedError<WebViewErrorCode> {
  override readonly name = 'WebViewError';
  /** The raw input that caused it, for errors about what a page sent. */
  declare readonly data?: unknown;

  constructor(code: WebViewErrorCode, message: string, details: { cause?: unknown; data?: unknown } = {}) {
    super(code, message, { cause: details.cause });
    if (details.data !== undefined) (this as { data?: unknown }).data = details.data;
  }
}

/** The protocol codes an encode can fail with, mapped to what the host reports. */
export function hostCodeForEncodeError(code: ProtocolErrorCode): WebViewErrorCode {
  return code === 'INVALID_STRING' || code === 'DATA_TOO_LARGE' ? 'UNSUPPORTED_DATA' : 'INVALID_ID';
}
