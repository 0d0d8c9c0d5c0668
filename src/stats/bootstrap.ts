/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani, 1993, "An Introduction to the
 * Bootstrap", ch. 13) over paired items: each replicate draws n indices with replacement and
 * evaluates the statistic on them, so x[i] and y[i] (or a segment's BLEU statistics) stay together.
 * The interval is the (1 - level)/2 and (1 + level)/2 quantiles of the replicates, interpolated
 * linearly between order statistics (numpy's default quantile).
 */

import type { Rng } from "../util/rng";

/** Options of `bootstrapCi`. */
export interface BootstrapOptions {
  /** Number of bootstrap replicates. */
  readonly samples?: number;
  /** Coverage of the interval, in (0, 1). */
  readonly level?: number;
  /** Seeded generator that draws the resamples; the only source of randomness. */
  readonly rng: Rng;
}

/** A statistic with its percentile bootstrap interval, the number of items resampled and the interval's coverage. */
export interface BootstrapEstimate {
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly level: number;
}

/** Defaults of `bootstrapCi`: 1000 replicates, a 95% interval. */
export const BOOTSTRAP_DEFAULTS = Object.freeze({ samples: 1000, level: 0.95 });

/** Percentile bootstrap interval [lo, hi] of `statistic` over n paired items; NaN replicates are left out. */
export function bootstrapCi(statistic: (idx: number[]) => number, n: number, options: BootstrapOptions): [number, number] {
  const { samples, level, rng } = resolveBootstrapOptions("bootstrapCi", options);
  if (typeof statistic !== "function") throw new Error(`bootstrapCi: statistic must be a function of an index array, got ${typeof statistic}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bootstrapCi: n is ${n}; allowed: an integer >= 1 (the number of paired items)`);
  // A NaN replicate (say, a resample whose values all tie) is dropped; if every one is, [NaN, NaN].
  const replicates: number[] = [];
  for (let b = 0; b < samples; b++) replicates.push(statistic(_resampleIndices(n, rng)));
  return _percentileInterval(replicates, level);
}

/** Checks bootstrap options and fills in the defaults. */
export function resolveBootstrapOptions(fn: string, options: BootstrapOptions): Required<BootstrapOptions> {
  // Duck-typed, not instanceof: a notebook kernel may load rng.ts twice, giving two Rng classes.
  if (!options || typeof options.rng?.int !== "function") {
    throw new Error(`${fn}: options.rng is required; pass a seeded generator, e.g. { rng: new Rng(seed) }`);
  }
  const samples = options.samples ?? BOOTSTRAP_DEFAULTS.samples;
  const level = options.level ?? BOOTSTRAP_DEFAULTS.level;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`${fn}: options.samples is ${samples}; allowed: an integer >= 1`);
  if (!(level > 0 && level < 1)) throw new Error(`${fn}: options.level is ${level}; allowed: a number in (0, 1)`);
  return { samples, level, rng: options.rng };
}

/** n indices drawn uniformly from [0, n) with replacement. */
export function _resampleIndices(n: number, rng: Rng): number[] {
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = rng.int(n);
  return idx;
}

/** The central `level` interval of the non-NaN values, with linear interpolation between order statistics. */
export function _percentileInterval(values: readonly number[], level: number): [number, number] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const alpha = (1 - level) / 2;
  return [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  // Equal neighbours (or ±Infinity) would turn the interpolation into NaN; return the value itself.
  if (sorted[lo] === sorted[hi]) return sorted[lo];
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
