/**
 * Kendall's tau-b and Spearman's rho of paired samples with percentile bootstrap intervals: the
 * summary of how well a supernet ranks architectures against their stand-alone scores (Yu et al.,
 * 2020, "Evaluating the Search Phase of Neural Architecture Search", report Kendall's tau).
 * Both statistics are computed on the same resamples, so their intervals are paired too. Two
 * rankings of the same items against one truth are compared by the difference of their taus on
 * shared resamples: far tighter than asking whether two marginal intervals overlap, since both
 * taus move together with the items drawn.
 */

import { _percentileInterval, _resampleIndices, resolveBootstrapOptions, type BootstrapEstimate, type BootstrapOptions } from "./bootstrap";
import { _kendallTauB } from "./kendall";
import { checkPaired } from "./paired";
import { _spearman } from "./spearman";

/** Rank correlations of paired samples with their bootstrap intervals. */
export interface RankCorrelation {
  /** Kendall's tau-b on all pairs; NaN when x or y is constant. */
  readonly kendall: number;
  /** Spearman's rho on all pairs; NaN when x or y is constant. */
  readonly spearman: number;
  /** Percentile bootstrap interval of tau-b. */
  readonly kendallCi: [number, number];
  /** Percentile bootstrap interval of rho. */
  readonly spearmanCi: [number, number];
  /** Number of pairs. */
  readonly n: number;
}

/** Kendall's tau-b and Spearman's rho with percentile bootstrap intervals from the same resamples. */
export function rankCorrelationWithCi(x: readonly number[], y: readonly number[], options: BootstrapOptions): RankCorrelation {
  checkPaired("rankCorrelationWithCi", x, y);
  const { samples, level, rng } = resolveBootstrapOptions("rankCorrelationWithCi", options);
  const n = x.length;
  const kendalls: number[] = [];
  const spearmans: number[] = [];
  for (let b = 0; b < samples; b++) {
    const idx = _resampleIndices(n, rng);
    const xs = idx.map((i) => x[i]);
    const ys = idx.map((i) => y[i]);
    // A resample that draws only tied values gives NaN; _percentileInterval leaves those out.
    kendalls.push(_kendallTauB(xs, ys));
    spearmans.push(_spearman(xs, ys));
  }
  return {
    kendall: _kendallTauB(x, y),
    spearman: _spearman(x, y),
    kendallCi: _percentileInterval(kendalls, level),
    spearmanCi: _percentileInterval(spearmans, level),
    n,
  };
}

/** tau-b(a, truth) - tau-b(b, truth), with its paired bootstrap interval over the items. */
export type KendallDifference = BootstrapEstimate;

/** Kendall tau-b of `a` with `truth` minus that of `b` with `truth`, with a percentile bootstrap interval that resamples the items once for both. */
export function kendallDifference(a: readonly number[], b: readonly number[], truth: readonly number[], options: BootstrapOptions): KendallDifference {
  checkPaired("kendallDifference", a, truth);
  checkPaired("kendallDifference", b, truth);
  const { samples, level, rng } = resolveBootstrapOptions("kendallDifference", options);
  const n = truth.length;
  const differences: number[] = [];
  for (let r = 0; r < samples; r++) {
    const idx = _resampleIndices(n, rng);
    const t = idx.map((i) => truth[i]);
    differences.push(_kendallTauB(idx.map((i) => a[i]), t) - _kendallTauB(idx.map((i) => b[i]), t));
  }
  return { estimate: _kendallTauB(a, truth) - _kendallTauB(b, truth), ci: _percentileInterval(differences, level), n, level };
}
