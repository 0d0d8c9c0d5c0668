/**
 * Kendall's tau-b (Kendall, 1945, "The treatment of ties in ranking problems"), the tie-corrected
 * rank correlation used to compare a supernet's ranking of architectures with their stand-alone
 * ranking. tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)), with C and D the concordant and discordant
 * pairs, n0 = n(n-1)/2, and n1, n2 the pairs tied in x and in y. Computed in O(n log n) by
 * Knight's (1966) algorithm, as scipy.stats.kendalltau: sort by (x, y), then count the swaps
 * a merge sort of y needs, which are the discordant pairs.
 */

import { checkPaired } from "./paired";

/** Kendall's tau-b of paired samples; NaN when x or y is constant (every pair tied: tau-b is 0/0). */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired("kendallTauB", x, y);
  return _kendallTauB(x, y);
}

/** `kendallTauB` without argument checks. */
export function _kendallTauB(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(x[a], x[b]) || compare(y[a], y[b]));
  const ys = order.map((i) => y[i]);
  // Pairs tied in x, and tied in both x and y (runs within an x-run, since y is sorted inside it).
  let xTies = 0;
  let xyTies = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[order[j]] === x[order[i]]) j++;
    xTies += pairs(j - i);
    for (let k = i; k < j; ) {
      let m = k + 1;
      while (m < j && ys[m] === ys[k]) m++;
      xyTies += pairs(m - k);
      k = m;
    }
    i = j;
  }
  // Pairs ordered by x whose y order is reversed; ties in y are not swaps.
  const discordant = mergeSortCountingSwaps(ys);
  let yTies = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && ys[j] === ys[i]) j++;
    yTies += pairs(j - i);
    i = j;
  }
  const total = pairs(n);
  // C - D = total - (pairs tied in x or y) - 2D, and |tied in x or y| = xTies + yTies - xyTies.
  const numerator = total - xTies - yTies + xyTies - 2 * discordant;
  const denominator = Math.sqrt((total - xTies) * (total - yTies));
  if (denominator === 0) return NaN;
  return Math.max(-1, Math.min(1, numerator / denominator));
}

function pairs(t: number): number {
  return (t * (t - 1)) / 2;
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts `values` ascending in place (bottom-up merge sort); returns the number of inversions. */
function mergeSortCountingSwaps(values: number[]): number {
  const n = values.length;
  let src = values.slice();
  let dst = new Array<number>(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Taking the left item on equality keeps tied y values from counting as inversions.
        if (src[i] <= src[j]) {
          dst[k++] = src[i++];
        } else {
          swaps += mid - i;
          dst[k++] = src[j++];
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  for (let i = 0; i < n; i++) values[i] = src[i];
  return swaps;
}
