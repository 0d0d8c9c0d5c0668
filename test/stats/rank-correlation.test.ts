import { test } from "node:test";
import assert from "node:assert/strict";
import { averageRanks, bootstrapCi, kendallDifference, kendallTauB, pearson, rankCorrelationWithCi, spearman } from "../../src/stats";
import { Rng } from "../../src/util/rng";

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected} ± ${tol}, got ${actual}`);
}

test("perfect agreement is 1 and perfect reversal is -1, also under ties", () => {
  const x = [1, 2, 3, 4, 5, 6];
  const cube = x.map((v) => v ** 3);
  assert.equal(kendallTauB(x, cube), 1);
  assert.equal(spearman(x, cube), 1);
  assert.ok(pearson(x, cube) < 1, "a monotone but non-linear relation is not linear");
  const reversed = x.map((v) => -v);
  assert.equal(kendallTauB(x, reversed), -1);
  assert.equal(spearman(x, reversed), -1);
  close(pearson(x, reversed), -1);
  // Ties in the same places on both sides still give 1.
  assert.equal(kendallTauB([1, 1, 2, 3], [5, 5, 7, 9]), 1);
  close(spearman([1, 1, 2, 3], [5, 5, 7, 9]), 1);
});

test("textbook example: IQ against hours of TV (Wikipedia, Spearman's rank correlation coefficient)", () => {
  const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
  const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
  // No ties: sum d^2 = 194, rho = 1 - 6 * 194 / (10 * 99) = -29/165 = -0.175758.
  close(spearman(iq, tv), -29 / 165);
  // 45 pairs: 20 concordant, 25 discordant, no ties: tau = (20 - 25) / 45 = -1/9 (scipy: -0.1111111111111111).
  close(kendallTauB(iq, tv), -1 / 9);
});

test("scipy oracle values on data with many ties", () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
  const y = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4];
  // scipy 1.17: kendalltau, spearmanr, pearsonr on these lists.
  close(kendallTauB(x, y), 0.14757295747452434, 1e-12);
  close(spearman(x, y), 0.1384567651467695, 1e-12);
  close(pearson(x, y), 0.09422924859889797, 1e-12);
});

test("constant input gives NaN: with no variation the correlation is 0/0", () => {
  assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTauB([1, 2, 3], [4, 4, 4])));
  assert.ok(Number.isNaN(spearman([1, 2, 3], [4, 4, 4])));
  assert.ok(Number.isNaN(pearson([0.1, 0.1, 0.1], [1, 2, 3])));
});

test("invalid arguments throw errors that name the argument", () => {
  assert.throws(() => kendallTauB([1, 2, 3], [1, 2]), /kendallTauB: x and y have different lengths \(3 and 2\)/);
  assert.throws(() => spearman([1], [1]), /spearman: x and y have 1 item\(s\); allowed: at least 2 pairs/);
  assert.throws(() => pearson([1, 2], [1, Infinity]), /pearson: y\[1\] is Infinity; allowed: finite numbers/);
  assert.throws(() => kendallTauB([1, NaN], [1, 2]), /kendallTauB: x\[1\] is NaN/);
  assert.throws(() => averageRanks([1, NaN]), /averageRanks: x\[1\] is NaN/);
});

test("rankCorrelationWithCi: point estimates, intervals around them, determinism", () => {
  const rng = new Rng(5);
  const x = Array.from({ length: 40 }, (_, i) => i);
  const y = x.map((v) => v + 6 * rng.normal());
  const r = rankCorrelationWithCi(x, y, { rng: new Rng(9), samples: 500 });
  assert.equal(r.n, 40);
  assert.equal(r.kendall, kendallTauB(x, y));
  assert.equal(r.spearman, spearman(x, y));
  assert.ok(r.kendall > 0.6, `a clear correlation, got ${r.kendall}`);
  assert.ok(r.kendallCi[0] < r.kendall && r.kendall < r.kendallCi[1], `${r.kendallCi} holds ${r.kendall}`);
  assert.ok(r.spearmanCi[0] < r.spearman && r.spearman < r.spearmanCi[1], `${r.spearmanCi} holds ${r.spearman}`);
  assert.ok(r.kendallCi[0] > 0.3 && r.kendallCi[1] <= 1);
  assert.deepEqual(rankCorrelationWithCi(x, y, { rng: new Rng(9), samples: 500 }), r);
});

test("rankCorrelationWithCi draws the same resamples as bootstrapCi with the same seed", () => {
  const x = [5, 1, 4, 2, 8, 7, 3, 6, 9, 10];
  const y = [4, 2, 5, 1, 7, 8, 3, 6, 10, 9];
  const r = rankCorrelationWithCi(x, y, { rng: new Rng(21), samples: 200 });
  const ci = bootstrapCi((idx) => kendallTauB(idx.map((i) => x[i]), idx.map((i) => y[i])), x.length, {
    rng: new Rng(21),
    samples: 200,
  });
  // Some resamples of 10 items are all-tied and give NaN; both leave them out the same way.
  assert.deepEqual(r.kendallCi, ci);
});

test("rankCorrelationWithCi on constant input: NaN estimates and intervals, no crash", () => {
  const r = rankCorrelationWithCi([1, 2, 3, 4], [7, 7, 7, 7], { rng: new Rng(1), samples: 20 });
  assert.ok(Number.isNaN(r.kendall) && Number.isNaN(r.spearman));
  assert.ok(r.kendallCi.every(Number.isNaN) && r.spearmanCi.every(Number.isNaN));
  assert.throws(() => rankCorrelationWithCi([1, 2], [1, 2], {} as never), /rankCorrelationWithCi: options.rng is required/);
});

test("a paired Kendall difference separates two rankings whose marginal intervals overlap", () => {
  const rng = new Rng(7);
  const truth = Array.from({ length: 30 }, (_, i) => i);
  const a = truth.map((t) => t + 8 * (rng.next() - 0.5));
  // b: a with 12 of its neighbouring pairs (by a's order) put against the truth. Neighbours share
  // every other comparison, so each swap costs exactly one concordant pair: 12 of 435.
  const order = [...a.keys()].sort((i, j) => a[i] - a[j]);
  const b = [...a];
  let swaps = 0;
  for (let k = 0; k + 1 < order.length; k += 2) {
    const [i, j] = [order[k], order[k + 1]];
    if (truth[i] < truth[j]) {
      [b[i], b[j]] = [b[j], b[i]];
      swaps++;
    }
  }
  assert.equal(swaps, 12);
  const d = kendallDifference(a, b, truth, { rng: new Rng(1), samples: 2000 });
  close(d.estimate, (2 * swaps) / 435);
  close(d.estimate, kendallTauB(a, truth) - kendallTauB(b, truth));
  assert.equal(d.n, 30);
  assert.equal(d.level, 0.95);
  assert.ok(d.ci[0] > 0 && d.ci[0] < d.estimate && d.estimate < d.ci[1], `paired interval ${d.ci} excludes 0 around ${d.estimate}`);
  const [ma, mb] = [a, b].map((x) => rankCorrelationWithCi(x, truth, { rng: new Rng(1), samples: 2000 }).kendallCi);
  assert.ok(ma[0] <= mb[1] && mb[0] <= ma[1], `the marginal intervals ${ma} and ${mb} overlap`);
  // One ranking against itself differs by nothing in every resample.
  assert.deepEqual(kendallDifference(a, a, truth, { rng: new Rng(2), samples: 100 }), { estimate: 0, ci: [0, 0], n: 30, level: 0.95 });
  assert.throws(() => kendallDifference(a, b.slice(1), truth, { rng: new Rng(1) }), /kendallDifference: x and y have different lengths \(29 and 30\)/);
  assert.throws(() => kendallDifference(a, b, truth, {} as any), /options.rng is required/);
});
