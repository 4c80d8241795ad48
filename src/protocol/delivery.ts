import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { encodeFrame, type Frame } from './frame.js';

/** An ack frame: every sequenced message up to `seq` has been delivered by the side that sends it. */
export function encodeAck(seq: number): Uint8Array {
  return encodeUint32Frame(FrameType.Ack, seq);
}

/** A hello frame: the epoch of the host's outbound sequence for this session. */
export function encodeHello(epoch: number): Uint8Array {
  return encodeUint32Frame(FrameType.Hello, epoch);
}

/** The number an ack or hello frame carries. @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readUint32Frame(frame: Frame): number {
  if (frame.bytes.byteLength !== 4) throw new ProtocolError('INVALID_CONTROL_FRAME', 'an ack or hello carries exactly 4 bytes');
  return new DataView(frame.bytes.buffer, frame.bytes.byteOffset, 4).getUint32(0, true);
}

/** Reads an ack frame (the same shape as a hello). */
export const readAck = readUint32Frame;

function encodeUint32Frame(type: FrameType, value: number): Uint8Array {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, value >>> 0, true);
  return encodeFrame(type, '', data, { align: true });
}
