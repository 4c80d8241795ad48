import { expect, it } from 'vitest';
import { double, expectPositive as positive } from './lint-fixture-helpers.js';

// Parsed (never run) by every-test-asserts.test.ts: tests the lint must flag and tests it must pass.

function checkTwo(n: number): void {
  expect(n).toBe(2);
}
const quietly = (n: number): number => n + 1;

it('asserts nothing', () => {
  quietly(1);
});
it('only awaits', async () => {
  await Promise.resolve(double(1));
});
it('calls expect', () => {
  expect(1).toBe(1);
});
it('calls expect.assertions', async () => {
  expect.assertions(1);
  await Promise.resolve();
});
it('calls expect.hasAssertions', () => {
  expect.hasAssertions();
});
it('calls a local asserting helper', () => {
  checkTwo(2);
});
it('calls a local helper that does not assert', () => {
  quietly(2);
});
it('calls an asserting helper from test/helpers', () => {
  positive(1);
});
it('calls a non-asserting helper from test/helpers', () => {
  double(1);
});
it.each([1, 2])('each %s asserts', (n) => {
  expect(n).toBeGreaterThan(0);
});
it.skipIf(false).each([1])('each %s does not', (n) => {
  double(n);
});
