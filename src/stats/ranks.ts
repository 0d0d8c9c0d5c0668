/**
 * Average ("fractional") ranks, the ranking behind Spearman's rho with ties (Spearman, 1904;
 * as scipy.stats.rankdata(method="average")): 1-based ranks, tied values share the mean of the
 * ranks they span, so [10, 20, 20, 30] ranks as [1, 2.5, 2.5, 4].
 */

import { checkValues } from "./paired";

/** 1-based ranks of `x`, ties given the average of their ranks; ±Infinity allowed, NaN rejected. */
export function averageRanks(x: readonly number[]): number[] {
  checkValues("averageRanks", "x", x);
  return _averageRanks(x);
}

/** `averageRanks` without argument checks. */
export function _averageRanks(x: readonly number[]): number[] {
  const n = x.length;
  // Compare rather than subtract so that Infinity - Infinity (NaN) cannot corrupt the sort.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : 0));
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[order[j]] === x[order[i]]) j++;
    // Positions i..j-1 hold ranks i+1..j; their mean is (i + 1 + j) / 2.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = rank;
    i = j;
  }
  return ranks;
}
