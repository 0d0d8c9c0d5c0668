import { test } from "node:test";
import assert from "node:assert/strict";
import { spearman } from "../../src/stats";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected} ± ${tol}, got ${actual}`);
}

test("spearman with ties is Pearson of average ranks", () => {
  // Ranks x: [1, 2.5, 2.5, 4, 5], y: [1, 4, 2.5, 2.5, 5], both with mean 3.
  // Centred: dx = [-2, -0.5, -0.5, 1, 2], dy = [-2, 1, -0.5, -0.5, 2];
  // sum dx dy = 4 - 0.5 + 0.25 - 0.5 + 4 = 7.25, sum dx^2 = sum dy^2 = 9.5: rho = 7.25 / 9.5 = 0.763158.
  close(spearman([1, 2, 2, 3, 4], [1, 3, 2, 2, 4]), 7.25 / 9.5);
});
