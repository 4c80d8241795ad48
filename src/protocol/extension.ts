/**
 * The `hise-webview.1` extension (PROTOCOL.md §4): negotiated per connection with a WebSocket
 * subprotocol. A connection without it only ever sees HISE's own frames.
 */

/** The subprotocol a modern client offers and the host accepts. */
export const SUBPROTOCOL = 'hise-webview.1';
/** The extension's version, the number at the end of {@link SUBPROTOCOL}. */
export const EXTENSION_VERSION = 1;

/** Payload types of extended frames (low 7 bits of the type byte). 1 and 2 are HISE's own. */
export const FrameType = {
  String: 0x01,
  Float32: 0x02,
  /** UTF-8 JSON text, parsed on arrival. */
  Json: 0x03,
  /** Raw bytes (images, files). */
  Bytes: 0x04,
  /** Little-endian int16 samples. */
  Int16: 0x05,
  /** Little-endian int32 values. */
  Int32: 0x06,
  /** Little-endian float64 values. */
  Float64: 0x07,
  /** A call: id = function name, data = JSON `{"c": callId, "a": [args]}`. */
  Call: 0x10,
  /** A call's result: data = JSON `{"c": callId, "v": value}`. */
  Result: 0x11,
  /** A call's failure: data = JSON `{"c": callId, "e": {"name", "message", "code"}}`. */
  Error: 0x12,
  /** Acknowledges messages: data = uint32 LE, the highest sequence number the sender of the ack has delivered. */
  Ack: 0x13,
  /**
   * Host → page, first on every extended connection: data = uint32 LE, the epoch of the host's
   * outbound sequence for this session. A different epoch than before (a new host process, or a
   * session the host forgot) means the numbering started again at 1.
   */
  Hello: 0x14,
  /**
   * Page → host (fresh streams, PROTOCOL.md §4.8): data = uint32 LE, the bytes of stream frames the
   * page has handed to its listeners since the connection opened (mod 2^32): the host's credit.
   */
  StreamAck: 0x15,
  /** Page → host: data = UTF-8 JSON, the page's whole subscription state (see `stream-meta.ts`). */
  Subscriptions: 0x16,
  /** Page → host: data = 1 byte, 1 when the page is visible, 0 when hidden. */
  Visibility: 0x17,
  /**
   * Both ways: page → host data = float64 LE, the page's clock; host → page data = that float64
   * echoed, then float64 LE, the host's clock when it answered (ms).
   */
  TimeSync: 0x18,
  /**
   * Host → page: a stream frame with a time: data = inner type (1 byte), flags (1 byte), 6 NULs,
   * float64 LE time, float64 LE sample position, then the inner frame's data (still 8-aligned).
   */
  Timed: 0x19,
  /**
   * Host → page, once, to a page that offered fresh streams (`?streams=1`): data = uint32 LE
   * feature version, uint32 LE stream window (bytes). Until it arrives the page sends none of
   * 0x15–0x18.
   */
  StreamsReady: 0x1a,
  /**
   * Host → page, fresh streams: data = uint32 LE, the host's stream window now (bytes), sent when
   * it has moved well away from the last one the page was told: the page acknowledges when half
   * of it is consumed.
   */
  StreamWindow: 0x1b,
  /**
   * Host → page, owned streams (PROTOCOL.md §4.9), to a page that offered them (`?owned=1`): the
   * header of a stream frame whose data is the **next** WebSocket message, exactly the samples.
   * id and seq as the stream frame's; data = inner type (1 byte), flags (1 byte), 2 NULs, uint32 LE
   * bytes of the payload message, then (flags ≠ 0) float64 LE time and float64 LE sample position.
   */
  OwnedHead: 0x1c,
  /** Host → page: parameters' specs and values, data = JSON `{id: {"spec", "value", "source", "text"?}}` (PROTOCOL.md "Parameters"). */
  ParameterSpecs: 0x20,
  /** Host → page: parameters' latest values, data = JSON `{id: [value, source, text?]}`. */
  ParameterValues: 0x21,
  /** Page → host, sequenced: id = the parameter, data = JSON `{"op": "begin"|"set"|"end", "v"?, "g"?}`. */
  ParameterOp: 0x22,
  /** Host → page: bad parameter input, id = the parameter, data = JSON `{"code", "message", "op"}`. */
  ParameterError: 0x23,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Bit 7 of the type byte: a uint32 LE sequence number follows the size field. */
export const FLAG_SEQUENCE = 0x80;
/** Mask of the payload type within the type byte. */
export const TYPE_MASK = 0x7f;
/** Bytes of the sequence number field. */
export const SEQUENCE_BYTES = 4;
/**
 * Extended frames pad the id with extra NUL bytes (counted in idLength) so that the data starts at
 * a multiple of this, and typed arrays can be read as zero-copy views.
 */
export const DATA_ALIGNMENT = 8;

/** Bytes per element of each typed payload. */
export const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [FrameType.Float32]: 4,
  [FrameType.Int16]: 2,
  [FrameType.Int32]: 4,
  [FrameType.Float64]: 8,
  [FrameType.Bytes]: 1,
};

/** Query parameter carrying the token (`?token=…`). */
export const TOKEN_PARAM = 'token';
/**
 * Query parameter by which a modern client offers fresh streams (flow control, subscriptions,
 * visibility, time); its value is {@link STREAMS_VERSION}. Hosts that do not know it ignore it.
 */
export const STREAMS_PARAM = 'streams';
/** The fresh-streams feature version a client offers and a host announces. */
export const STREAMS_VERSION = 1;
/** Query parameter carrying the client's session id, for exactly-once delivery across reconnects. */
export const SESSION_PARAM = 'session';
/**
 * Query parameter by which a modern client offers owned stream frames (PROTOCOL.md §4.9): each
 * stream frame as a header message and a payload message that is exactly its samples, so the page
 * hands out the socket's own `ArrayBuffer` with no copy. Its value is {@link OWNED_VERSION}; hosts
 * that do not know it ignore it and send stream frames whole.
 */
export const OWNED_PARAM = 'owned';
/** The owned-frames feature version a client offers. */
export const OWNED_VERSION = 1;
