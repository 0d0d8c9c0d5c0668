import { test } from "node:test";
import assert from "node:assert/strict";
import { pearson } from "../../src/stats";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected} ± ${tol}, got ${actual}`);
}

test("pearson on a small hand case", () => {
  // x = [1, 2, 3], y = [1, 2, 4]: dx = [-1, 0, 1], dy = [-4/3, -1/3, 5/3];
  // sum dx dy = 3, sum dx^2 = 2, sum dy^2 = 42/9: r = 3 / sqrt(2 * 42/9) = 0.981981.
  close(pearson([1, 2, 3], [1, 2, 4]), 3 / Math.sqrt((2 * 42) / 9));
});
