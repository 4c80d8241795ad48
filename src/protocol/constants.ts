/**
 * Every number of HISE's wire format, named once. See PROTOCOL.md §1 for the byte layout.
 */

/** The type byte at offset 0 of every host → page payload. */
export const MessageType = {
  /** UTF-8 text (HISE's `String`, and JSON that the host serialised). */
  String: 0x01,
  /** IEEE-754 float32 samples, little-endian (HISE's `Buffer`). */
  Float32: 0x02,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Byte offsets and sizes of the header fields. */
export const Layout = {
  /** Offset of the one-byte type. */
  TYPE_OFFSET: 0,
  /** Offset of the uint16 LE id length (UTF-8 bytes of the id + 1 for its NUL terminator). */
  ID_LENGTH_OFFSET: 1,
  /** Offset of the first id byte. */
  ID_OFFSET: 3,
  /** Bytes of the uint32 LE data size field that follows the id. */
  SIZE_FIELD_BYTES: 4,
  /** type (1) + id length (2) + size (4): the header bytes besides the id itself. */
  FIXED_HEADER_BYTES: 7,
  /** Bytes of one float32 sample. */
  FLOAT32_BYTES: 4,
} as const;

/** The largest values the header fields can carry. */
export const Limits = {
  /** The id length field is a uint16 that also counts the NUL terminator. */
  MAX_ID_BYTES: 0xffff - 1,
  /** The size field is a uint32 count of data bytes. */
  MAX_DATA_BYTES: 0xffffffff,
} as const;

/** True where typed arrays are little-endian (every platform a browser or Node runs on in practice). */
export const PLATFORM_IS_LITTLE_ENDIAN: boolean = /* @__PURE__ */ (() =>
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)();
