// The protocol layer compiles without DOM or Node types, so it cannot reach for either by accident.
// These are the only two host APIs it uses; both exist in every browser and in Node >= 11.
declare class TextEncoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
