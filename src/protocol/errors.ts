import { CodedError } from './coded-error.js';

/** Stable codes of everything the codec can refuse. Tests and callers compare these, never messages. */
export type ProtocolErrorCode =
  /** Fewer bytes than the fixed header (type, id length, size) needs. */
  | 'TRUNCATED_HEADER'
  /** The id length field points past the end of the message. */
  | 'ID_PAST_END'
  /** The id length is 0 or the byte it ends on is not NUL. */
  | 'ID_NOT_TERMINATED'
  /** The size field points past the end of the message. */
  | 'SIZE_PAST_END'
  /** Bytes remain after the data that the size field announced. */
  | 'TRAILING_BYTES'
  /** The type byte is not one this codec knows. */
  | 'UNKNOWN_TYPE'
  /** The id or a string payload is not valid UTF-8. */
  | 'INVALID_UTF8'
  /** A float32 payload whose byte count is not a multiple of 4. */
  | 'FLOAT_SIZE_NOT_MULTIPLE_OF_4'
  /** Int16, int32 or float64 data whose byte count is not a whole number of elements. */
  | 'ELEMENT_SIZE_MISMATCH'
  /** Text a page sent that looks like JSON (`{` or `[` first) but does not parse. */
  | 'INVALID_JSON'
  /** An id to encode is longer than the uint16 length field allows. */
  | 'ID_TOO_LONG'
  /** An id to encode contains a NUL character, which would end it early on the wire. */
  | 'ID_CONTAINS_NUL'
  /** Data to encode is larger than the uint32 size field allows. */
  | 'DATA_TOO_LARGE'
  /** A string to encode holds a lone UTF-16 surrogate, which has no UTF-8 form. */
  | 'INVALID_STRING'
  /** A value to send that JSON cannot carry (undefined, a function, a cycle, a BigInt). */
  | 'UNSERIALIZABLE'
  /** A call, result, error or ack frame whose data is not of the documented shape. */
  | 'INVALID_CONTROL_FRAME'
  /** A file to read as a recording does not start with the `HWVREC` magic. */
  | 'NOT_A_RECORDING'
  /** A recording of a format version this codec does not read. */
  | 'UNSUPPORTED_RECORDING_VERSION'
  /** A recording that ends inside its header, or (when refused) inside a record. */
  | 'RECORDING_TRUNCATED'
  /** A record announcing more bytes than `maxRecordBytes`. */
  | 'RECORD_TOO_LARGE'
  /** A record of an unknown kind, or whose time, frame or body is not of the documented shape. */
  | 'INVALID_RECORD';

/** The one error the protocol layer throws. */
export class ProtocolError extends CodedError<ProtocolErrorCode> {
  override readonly name = 'ProtocolError';

  constructor(code: ProtocolErrorCode, message: string) {
    super(code, message);
  }
}
