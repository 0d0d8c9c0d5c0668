/**
 * Spearman's rank correlation rho (Spearman, 1904) with ties handled the standard way: Pearson's
 * r of the average ranks (as scipy.stats.spearmanr). Without ties this equals 1 - 6 sum(d^2) / (n(n^2 - 1)).
 */

import { checkPaired } from "./paired";
import { _pearson } from "./pearson";
import { _averageRanks } from "./ranks";

/** Spearman's rho of paired samples; NaN when x or y is constant (every rank tied: no variance to correlate). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPaired("spearman", x, y);
  return _spearman(x, y);
}

/** `spearman` without argument checks. */
export function _spearman(x: readonly number[], y: readonly number[]): number {
  return _pearson(_averageRanks(x), _averageRanks(y));
}
