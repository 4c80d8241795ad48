import { expect } from 'vitest';

// Support for lint-fixture.ts: one helper that asserts, one that does not.

export function expectPositive(n: number): void {
  expect(n).toBeGreaterThan(0);
}

export function double(n: number): number {
  return n * 2;
}
