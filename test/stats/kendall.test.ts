import { test } from "node:test";
import assert from "node:assert/strict";
import { kendallTauB } from "../../src/stats";
import { Rng } from "../../src/util/rng";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected} ± ${tol}, got ${actual}`);
}

/** Loop-based tau-b over all n(n-1)/2 pairs: the oracle for the O(n log n) version. */
function kendallByPairs(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tiedX = 0;
  let tiedY = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
      if (s > 0) c++;
      if (s < 0) d++;
      if (x[i] === x[j]) tiedX++;
      if (y[i] === y[j]) tiedY++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  return (c - d) / Math.sqrt((n0 - tiedX) * (n0 - tiedY));
}

test("kendallTauB with a tie in x and a tie in y", () => {
  // x = [1, 2, 2, 3, 4], y = [1, 3, 2, 2, 4]; the 10 pairs (i, j):
  // concordant: (0,1) (0,2) (0,3) (0,4) (1,4) (2,4) (3,4) = 7; discordant: (1,3) = 1;
  // tied in x only: (1,2); tied in y only: (2,3); tied in both: none.
  // n0 = 10, n1 = 1, n2 = 1: tau-b = (7 - 1) / sqrt(9 * 9) = 6/9 = 0.6667 (scipy: 0.6666666666666666).
  close(kendallTauB([1, 2, 2, 3, 4], [1, 3, 2, 2, 4]), 2 / 3);
});

test("kendallTauB with a pair tied in both x and y", () => {
  // x = [1, 1, 2, 2, 3], y = [1, 1, 2, 3, 3]: (0,1) tied in both, (2,3) in x only, (3,4) in y only,
  // the other 7 pairs concordant, none discordant. n1 = 2 (pairs (0,1), (2,3)), n2 = 2 ((0,1), (3,4)).
  // tau-b = (7 - 0) / sqrt((10 - 2) * (10 - 2)) = 7/8 (scipy: 0.8749999999999999).
  close(kendallTauB([1, 1, 2, 2, 3], [1, 1, 2, 3, 3]), 0.875);
});

test("the O(n log n) tau-b equals the loop over all pairs on tie-heavy random data", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + rng.int(60);
    const levels = 1 + rng.int(8);
    const x = Array.from({ length: n }, () => rng.int(levels));
    const y = x.map((v) => (rng.bernoulli(0.5) ? v : rng.int(levels)));
    const expected = kendallByPairs(x, y);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(kendallTauB(x, y)));
    else close(kendallTauB(x, y), expected, 1e-12);
  }
});
