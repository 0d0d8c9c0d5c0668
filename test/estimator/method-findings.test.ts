import { test } from "node:test";
import assert from "node:assert/strict";
import { magicPublishedFinding, methodComparisonFindings } from "../../src/estimator/method-findings";
import { pairedAgreementDifferences, rankAgreement, type GapRow } from "../../src/estimator/rank-agreement";
import { Rng } from "../../src/util/rng";
import { loadPublished } from "../../src/report/published";
import { groundTruthReliability, groundTruthRows, stratifiedArchs, designBalance } from "../../src/estimator/ground-truth";
import { getSpace } from "../../src/space/presets";
import type { SweepRecord } from "../../src/sweep/record";

const rel = (tau: number) => ({ kendall: { estimate: tau, ci: [tau - 0.2, tau + 0.1] as [number, number], n: 24, level: 0.95 }, spearman: { estimate: tau, ci: [tau - 0.2, tau + 0.1] as [number, number], n: 24, level: 0.95 }, seeds: [1, 2] as const, reliable: tau > 0.7, threshold: 0.7, meanSeedDifference: 0.01 });

test("overlapping intervals are reported as not told apart, separated ones as worse", () => {
  const f = methodComparisonFindings([
    { method: "uniform", kendall: 0.5, kendallCi: [0.3, 0.65], n: 24 },
    { method: "sandwich", kendall: 0.6, kendallCi: [0.42, 0.74], n: 24 },
    { method: "magic-t", kendall: 0.1, kendallCi: [-0.15, 0.33], n: 24 },
  ], rel(0.8), "equal compute");
  assert.match(f[0], /sandwich has the highest Kendall tau, 0.600 \[0.420, 0.740\] over n = 24/);
  assert.match(f[1], /overlaps those of uniform: .* not told apart/);
  assert.match(f[2], /magic-t ranks worse/);
  assert.match(f[3], /widths are 0.320-0.480/);
});

test("an unreliable ground truth is said first", () => {
  const f = methodComparisonFindings([{ method: "uniform", kendall: 0.5, kendallCi: [0.3, 0.65], n: 24 }], rel(0.4), "v");
  assert.match(f[0], /seed-to-seed Kendall tau is 0.400 \(not above 0.7\), so no method's agreement with it is evidence/);
});

function records(lossesBySeed: number[][]): SweepRecord[] {
  return lossesBySeed.flatMap((losses, s) => losses.map((l, a) => ({ job: { id: `a${a}-s${s + 1}`, index: a * 2 + s, arch: `arch${a}`, seed: s + 1 }, result: { arch: `arch${a}`, params: 100 * a, flops: 0, validLoss: l, perplexity: Math.exp(l), bleu: null } }) as unknown as SweepRecord));
}

test("ground-truth rows average seeds, and reliability is the seed-to-seed Kendall with its interval", () => {
  const seed1 = [5, 4, 3, 2, 1, 0];
  const seed2 = [5.1, 3.9, 3.2, 1.8, 1.1, 0.3];
  const rows = groundTruthRows(records([seed1, seed2]));
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[1].losses, [4, 3.9]);
  assert.ok(Math.abs(rows[1].meanLoss - 3.95) < 1e-12);
  const r = groundTruthReliability(rows);
  assert.equal(r.kendall.estimate, 1);
  assert.ok(r.reliable && r.kendall.ci[0] < 1 && r.kendall.ci[1] <= 1);
  const swapped = groundTruthReliability(groundTruthRows(records([seed1, [0, 1, 2, 3, 4, 5]])));
  assert.equal(swapped.kendall.estimate, -1);
  assert.equal(swapped.reliable, false);
  assert.throws(() => groundTruthReliability(groundTruthRows(records([seed1]))), /has 1 seed; every subnet needs at least 2/);
});

test("the stratified design fills every size stratum equally and balances every field's values", () => {
  const space = getSpace("small");
  const d = stratifiedArchs(space, 24, 11);
  assert.equal(new Set(d.map((x) => x.key)).size, 24, "distinct subnets");
  for (let b = 0; b < 6; b++) assert.equal(d.filter((x) => x.sizeBin === b).length, 4);
  // Strata are ordered by size: every subnet of a stratum is no larger than the next stratum's largest.
  for (let b = 0; b < 5; b++) assert.ok(Math.min(...d.filter((x) => x.sizeBin === b + 1).map((x) => x.params)) >= Math.min(...d.filter((x) => x.sizeBin === b).map((x) => x.params)));
  const bal = designBalance(space, d.map((x) => x.arch));
  for (const dim of new Set(bal.map((b) => b.dimension))) {
    const counts = bal.filter((b) => b.dimension === dim).map((b) => b.count);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= Math.max(3, 0.25 * Math.max(...counts)), `${dim}: ${counts}`);
  }
  assert.deepEqual(stratifiedArchs(space, 24, 11).map((x) => x.key), d.map((x) => x.key), "deterministic in the seed");
  assert.throws(() => stratifiedArchs(space, 24, 11, { sizeBins: 30 }), /sizeBins must be an integer in \[1, n = 24\]; got 30/);
});

test("magicPublishedFinding sets this run's order beside the published MAGIC rows and says when the intervals cannot order them", () => {
  const published = loadPublished("magic_kendall_secondary.csv");
  const row = (method: string, kendall: number, ci: [number, number]) => ({ method, kendall, kendallCi: ci, n: 24 });
  // Published (secondary): baseline 0.36 < MAGIC-T 0.49 < MAGIC-T + MAGIC-A 0.57.
  const agreeing = magicPublishedFinding([row("uniform", 0.1, [0.0, 0.2]), row("magic-t", 0.4, [0.3, 0.5]), row("magic-t+a", 0.7, [0.6, 0.8]), row("sandwich", 0.9, [0.8, 1])], published, "V");
  assert.equal(agreeing, "V: the MAGIC paper (as reported by a secondary source, secondary_uncertain) orders uniform < magic-t < magic-t+a on its BERT space; this run gives uniform 0.100 (published 0.36), magic-t 0.400 (published 0.49), magic-t+a 0.700 (published 0.57): the same order.");
  const disagreeing = magicPublishedFinding([row("uniform", 0.49, [0.2, 0.7]), row("magic-t", 0.28, [0.0, 0.5]), row("magic-t+a", 0.34, [0.1, 0.6])], published, "V");
  assert.match(disagreeing ?? "", /a different order \(magic-t < magic-t\+a < uniform\), which disagrees with the paper; all three intervals overlap, so with 24 subnets the order itself is not established\.$/);
  assert.equal(magicPublishedFinding([row("uniform", 0.1, [0, 0.2])], published, "V"), null, "a method missing from the run gives no sentence");
  assert.equal(magicPublishedFinding([row("uniform", 0.1, [0, 0.2]), row("magic-t", 0.4, [0.3, 0.5]), row("magic-t+a", 0.7, [0.6, 0.8])], [], "V"), null, "no published rows, no sentence");
});

/** Gap rows of `scores` against the standalone losses `truth` (arch names a0, a1, …). */
const gapRowsOf = (scores: readonly number[], truth: readonly number[]): GapRow[] => scores.map((x, i) => ({ arch: `a${i}`, params: i, inheritedLoss: x, standaloneLoss: truth[i], gap: truth[i] - x }));

test("paired differences order every pair by Kendall tau and test the leader against each method", () => {
  const truth = Array.from({ length: 30 }, (_, i) => i / 10);
  const rng = new Rng(3);
  const good = truth.map((t) => t + 1.2 * (rng.next() - 0.5));
  const order = [...good.keys()].sort((i, j) => good[i] - good[j]);
  // "close": good with 12 neighbouring pairs swapped against the truth; "poor": far noisier.
  const close = [...good];
  for (let k = 0; k + 1 < order.length; k += 2) if (truth[order[k]] < truth[order[k + 1]]) [close[order[k]], close[order[k + 1]]] = [close[order[k + 1]], close[order[k]]];
  const poor = truth.map((t) => t + 4 * (rng.next() - 0.5));
  // The same subnets in another order must pair by arch, not by position.
  const estimators = [
    { method: "poor", rows: gapRowsOf(poor, truth) },
    { method: "good", rows: gapRowsOf(good, truth).reverse() },
    { method: "close", rows: gapRowsOf(close, truth) },
  ];
  const paired = pairedAgreementDifferences(estimators, { rng: new Rng(1), samples: 2000 });
  assert.deepEqual(paired.map((p) => [p.method, p.versus]), [["good", "poor"], ["close", "poor"], ["good", "close"]]);
  const tau = Object.fromEntries(estimators.map((e) => [e.method, rankAgreement(e.rows).kendall]));
  for (const p of paired) {
    assert.ok(Math.abs(p.difference.estimate - (tau[p.method] - tau[p.versus])) < 1e-12, `${p.method} - ${p.versus}`);
    assert.equal(p.difference.n, 30);
  }
  const goodClose = paired[2].difference;
  assert.ok(goodClose.ci[0] > 0, `good beats close on paired resamples: ${goodClose.ci}`);
  const rows = estimators.map((e) => {
    const a = rankAgreement(e.rows);
    return { method: e.method, kendall: a.kendall, kendallCi: a.kendallCi, n: a.n };
  });
  const [goodRow, closeRow] = [rows[1], rows[2]];
  assert.ok(goodRow.kendallCi[0] <= closeRow.kendallCi[1], "their marginal intervals overlap, so without pairing they are not told apart");
  assert.match(methodComparisonFindings(rows, rel(0.8), "v").join(" "), /overlaps those of close/);
  const f = methodComparisonFindings(rows, rel(0.8), "v", paired);
  assert.equal(f.length, 2);
  assert.match(f[0], /^v: good has the highest Kendall tau/);
  assert.match(f[1], /^v: Kendall tau differences paired over the same 30 subnets \(95% bootstrap intervals\): good minus close \+0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]; good minus poor \+0\.\d{3} \[/);
  assert.match(f[1], /: good ranks better than close, poor\.$/);
  // A leader not separated from the runner-up is said to be tied with it.
  const tied = methodComparisonFindings(rows, null, "v", [{ method: "good", versus: "close", difference: { estimate: 0.05, ci: [-0.01, 0.1], n: 30, level: 0.95 } }, paired[0]]);
  assert.match(tied[1], /good ranks better than poor; good is not told apart from close \(the interval includes 0\)\.$/);
  assert.throws(() => methodComparisonFindings(rows, null, "v", [paired[0]]), /no paired difference between good and close/);
});

test("paired differences refuse estimators of different subnets or ground truths, by name", () => {
  const truth = [1, 2, 3, 4, 5];
  const a = { method: "a", rows: gapRowsOf([1, 2, 3, 5, 4], truth) };
  assert.throws(() => pairedAgreementDifferences([a], { rng: new Rng(1) }), /needs at least 2 estimators; got 1/);
  assert.throws(() => pairedAgreementDifferences([a, { method: "b", rows: gapRowsOf([1, 2, 3, 4], truth) }], { rng: new Rng(1) }), /b scored 4 subnets, a 5/);
  const renamed = gapRowsOf([1, 2, 3, 4, 5], truth).map((r, i) => (i === 4 ? { ...r, arch: "other" } : r));
  assert.throws(() => pairedAgreementDifferences([a, { method: "b", rows: renamed }], { rng: new Rng(1) }), /b did not score subnet a4, which a scored/);
  assert.throws(() => pairedAgreementDifferences([a, { method: "b", rows: gapRowsOf([1, 2, 3, 4, 5], [1, 2, 3, 4, 6]) }], { rng: new Rng(1) }), /subnet a4 has standalone loss 6 under b and 5 under a/);
});

test("with paired differences, the MAGIC comparison says which steps of the order are supported", () => {
  const published = loadPublished("magic_kendall_secondary.csv");
  const row = (method: string, kendall: number) => ({ method, kendall, kendallCi: [kendall - 0.3, kendall + 0.2] as [number, number], n: 24 });
  const rows = [row("uniform", 0.1), row("magic-t", 0.4), row("magic-t+a", 0.5)];
  const d = (method: string, versus: string, lo: number) => ({ method, versus, difference: { estimate: lo + 0.05, ci: [lo, lo + 0.1] as [number, number], n: 24, level: 0.95 } });
  const some = magicPublishedFinding(rows, published, "V", [d("magic-t", "uniform", 0.02), d("magic-t+a", "uniform", 0.03), d("magic-t+a", "magic-t", -0.04)]);
  assert.match(some ?? "", /the same order; of its pairwise steps the paired intervals support magic-t > uniform, magic-t\+a > uniform only\.$/);
  const all = magicPublishedFinding(rows, published, "V", [d("magic-t", "uniform", 0.02), d("magic-t+a", "uniform", 0.03), d("magic-t+a", "magic-t", 0.01)]);
  assert.match(all ?? "", /the same order; every step of that order is supported by its paired interval\.$/);
  const none = magicPublishedFinding(rows, published, "V", [d("magic-t", "uniform", -0.02), d("magic-t+a", "uniform", -0.03), d("magic-t+a", "magic-t", -0.01)]);
  assert.match(none ?? "", /no paired difference among the three excludes 0, so with 24 subnets the order itself is not established\.$/);
});
