import type { Contract } from 'hise-webview/client';

/** The test apps' contract. */
export interface TestApp extends Contract {
  events: { level: Float32Array; status: string };
  messages: { note: string };
  host: { ping(n: number): number };
  params: { gain: number; mode: 'sine' | 'saw' | 'noise'; bypass: boolean };
}
