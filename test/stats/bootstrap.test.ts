import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapCi } from "../../src/stats";
import { Rng } from "../../src/util/rng";

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

test("the interval interpolates linearly between sorted replicates", () => {
  // A statistic that ignores the resample and returns 0, 1, ..., 10: 11 sorted replicates.
  // level 0.95: quantiles 0.025 and 0.975 sit at positions 10 * 0.025 = 0.25 and 9.75.
  let k = 0;
  const [lo, hi] = bootstrapCi(() => k++, 5, { samples: 11, rng: new Rng(1) });
  // (1 - 0.95) / 2 is 0.025000000000000022 in floating point, hence the tolerance.
  assert.ok(Math.abs(lo - 0.25) < 1e-12 && Math.abs(hi - 9.75) < 1e-12, `[${lo}, ${hi}]`);
  // 101 replicates 0..100 at level 0.9: positions 5 and 95 exactly.
  k = 0;
  const [lo90, hi90] = bootstrapCi(() => k++, 5, { samples: 101, level: 0.9, rng: new Rng(1) });
  assert.ok(Math.abs(lo90 - 5) < 1e-9 && Math.abs(hi90 - 95) < 1e-9, `[${lo90}, ${hi90}]`);
});

test("the same seed gives the same interval; another seed another one", () => {
  const data = Array.from({ length: 30 }, (_, i) => (i * 7) % 11);
  const stat = (idx: number[]): number => mean(idx.map((i) => data[i]));
  const a = bootstrapCi(stat, data.length, { rng: new Rng(42) });
  const b = bootstrapCi(stat, data.length, { rng: new Rng(42) });
  const c = bootstrapCi(stat, data.length, { rng: new Rng(43) });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("resamples are n indices in [0, n) drawn with replacement", () => {
  const seen = new Set<number>();
  bootstrapCi(
    (idx) => {
      assert.equal(idx.length, 7);
      for (const i of idx) {
        assert.ok(Number.isInteger(i) && i >= 0 && i < 7);
        seen.add(i);
      }
      return 0;
    },
    7,
    { samples: 50, rng: new Rng(3) },
  );
  assert.equal(seen.size, 7);
});

test("the bootstrap interval of a mean is close to the normal one", () => {
  // data 0..99: mean 49.5, population sd 28.866, se 2.887; a 95% normal interval is 49.5 ± 5.66.
  const data = Array.from({ length: 100 }, (_, i) => i);
  const [lo, hi] = bootstrapCi((idx) => mean(idx.map((i) => data[i])), 100, { samples: 2000, rng: new Rng(7) });
  assert.ok(Math.abs(lo - 43.84) < 1 && Math.abs(hi - 55.16) < 1, `[${lo}, ${hi}]`);
  const [lo50, hi50] = bootstrapCi((idx) => mean(idx.map((i) => data[i])), 100, { samples: 2000, level: 0.5, rng: new Rng(7) });
  assert.ok(lo < lo50 && lo50 < 49.5 && 49.5 < hi50 && hi50 < hi, "a 50% interval sits inside the 95% one");
});

test("a constant statistic gives a zero-width interval", () => {
  assert.deepEqual(bootstrapCi(() => 2.5, 10, { samples: 20, rng: new Rng(0) }), [2.5, 2.5]);
});

test("NaN replicates are left out, and only NaN gives [NaN, NaN]", () => {
  let k = 0;
  // Replicates NaN, 1, NaN, 3, ...: the interval comes from the odd values alone.
  const ci = bootstrapCi(() => (k++ % 2 === 0 ? NaN : k), 4, { samples: 10, rng: new Rng(0) });
  assert.ok(Number.isFinite(ci[0]) && Number.isFinite(ci[1]));
  const none = bootstrapCi(() => NaN, 4, { samples: 10, rng: new Rng(0) });
  assert.ok(Number.isNaN(none[0]) && Number.isNaN(none[1]));
});

test("invalid arguments throw errors that name the argument", () => {
  const stat = (): number => 0;
  assert.throws(() => bootstrapCi(stat, 5, {} as never), /options.rng is required/);
  assert.throws(() => bootstrapCi(stat, 0, { rng: new Rng(1) }), /n is 0; allowed: an integer >= 1/);
  assert.throws(() => bootstrapCi(stat, 5, { samples: 0, rng: new Rng(1) }), /options.samples is 0/);
  assert.throws(() => bootstrapCi(stat, 5, { level: 1, rng: new Rng(1) }), /options.level is 1; allowed: a number in \(0, 1\)/);
});
