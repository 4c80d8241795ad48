import { BridgeCall, FrameType, isHiseParameterMessage, readCall, readParameterJson, type Frame } from '../../protocol/index.js';

/**
 * What a `view` device may send: only what steers what it receives — acknowledgements, stream
 * credit, subscriptions, visibility, clock sync, the replies to the host's own calls, a parameter
 * `sync` (asking for the current values) and the bridge's `$sync` of persistent calls. Everything
 * else a page can send writes (a message, a parameter set or gesture, a call of a host handler or
 * bound callback): the name of that write path, or undefined when it only reads.
 */
export function writePath(frame: Frame | undefined, hiseMessage: unknown): string | undefined {
  if (frame === undefined) {
    if (isHiseParameterMessage(hiseMessage)) return hiseMessage.op === 'sync' ? undefined : 'a parameter change (HISE format)';
    return 'a message (HISE format)';
  }
  switch (frame.type) {
    case FrameType.Ack:
    case FrameType.StreamAck:
    case FrameType.Subscriptions:
    case FrameType.Visibility:
    case FrameType.TimeSync:
    case FrameType.Result:
    case FrameType.Error:
      return undefined;
    case FrameType.ParameterOp:
      return (readParameterJson(frame) as { op?: unknown } | null)?.op === 'sync' ? undefined : `parameter ${JSON.stringify(frame.id)}: a set or gesture`;
    case FrameType.Call: {
      const name = readCall(frame).name;
      if (name === BridgeCall.Sync) return undefined;
      return name === BridgeCall.Callback ? 'a bound callback' : `a call of host function ${JSON.stringify(name)}`;
    }
    default:
      return `a message ${JSON.stringify(frame.id)}`;
  }
}
