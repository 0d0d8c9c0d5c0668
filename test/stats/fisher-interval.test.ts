import { test } from "node:test";
import assert from "node:assert/strict";
import { kendallInterval, normalQuantile, spearmanInterval } from "../../src/stats/fisher-interval";

test("normalQuantile matches standard normal quantiles", () => {
  // Reference values from scipy.stats.norm.ppf.
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.3263478740408408) < 1e-8);
  assert.throws(() => normalQuantile(1), /p must be in \(0, 1\); got 1/);
});

test("kendallInterval is tanh(atanh(tau) -+ 1.96 sqrt(0.437 / (n - 4))) (Bonett & Wright 2000)", () => {
  const [lo, hi] = kendallInterval(0.5, 24);
  const se = Math.sqrt(0.437 / 20);
  assert.ok(Math.abs(lo - Math.tanh(Math.atanh(0.5) - 1.959963984540054 * se)) < 1e-9);
  assert.ok(Math.abs(hi - Math.tanh(Math.atanh(0.5) + 1.959963984540054 * se)) < 1e-9);
  assert.ok(lo < 0.5 && hi > 0.5);
});

test("intervals contain their estimate, narrow with n, and stay inside [-1, 1] at a perfect correlation", () => {
  for (const r of [-1, -0.3, 0, 0.8, 1]) {
    for (const n of [5, 12, 48]) {
      const k = kendallInterval(r, n);
      const s = spearmanInterval(r, n);
      for (const [lo, hi] of [k, s]) assert.ok(lo <= r && r <= hi && lo >= -1 && hi <= 1, `${r}, n=${n}: [${lo}, ${hi}]`);
    }
  }
  const w = (ci: [number, number]) => ci[1] - ci[0];
  assert.ok(w(kendallInterval(0.4, 48)) < w(kendallInterval(0.4, 12)));
  assert.ok(w(spearmanInterval(0.4, 48)) < w(spearmanInterval(0.4, 12)));
});

test("spearmanInterval uses the variance (1 + rho^2 / 2) / (n - 3)", () => {
  const [lo] = spearmanInterval(0.6, 30);
  assert.ok(Math.abs(lo - Math.tanh(Math.atanh(0.6) - 1.959963984540054 * Math.sqrt((1 + 0.18) / 27))) < 1e-9);
});

test("too few pairs and bad levels are errors naming the argument", () => {
  assert.throws(() => kendallInterval(0.2, 4), /kendallInterval: n must be an integer >= 5; got 4/);
  assert.throws(() => spearmanInterval(0.2, 10, 1.2), /spearmanInterval: level must be in \(0, 1\); got 1.2/);
  assert.deepEqual(kendallInterval(NaN, 10), [NaN, NaN]);
});
