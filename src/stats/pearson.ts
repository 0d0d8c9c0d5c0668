/**
 * Pearson's product-moment correlation (Pearson, 1895), computed from centred sums in two passes
 * for accuracy. The basis of Spearman's rho, which is Pearson's r on average ranks.
 */

import { checkPaired } from "./paired";

/** Pearson's r of paired finite samples; NaN when x or y is constant (no variance: r is 0/0). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPaired("pearson", x, y, true);
  return _pearson(x, y);
}

/** `pearson` without argument checks. */
export function _pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  // Test constancy exactly: centring [0.1, 0.1, 0.1] leaves rounding residue, not zeros.
  if (isConstant(x) || isConstant(y)) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function isConstant(x: readonly number[]): boolean {
  return x.every((v) => v === x[0]);
}
