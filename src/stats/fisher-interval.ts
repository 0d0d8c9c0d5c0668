/**
 * Confidence intervals for Kendall's tau and Spearman's rho on the Fisher z scale (Bonett &
 * Wright, 2000, "Sample size requirements for estimating Pearson, Kendall and Spearman
 * correlations", Psychometrika 65: 23-28): z = atanh(r), with standard error sqrt(0.437 / (n - 4))
 * for tau and sqrt((1 + r^2 / 2) / (n - 3)) for rho, mapped back with tanh. Unlike a percentile
 * bootstrap, which at the 6-24 points of a ground truth can exclude its own point estimate, these
 * intervals always contain it, and their width falls as 1/sqrt(n), which is what tells a
 * reader whether two methods' rank correlations can be told apart at all.
 */

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1); got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function fisherInterval(r: number, se: number, level: number): [number, number] {
  if (Number.isNaN(r)) return [NaN, NaN];
  // atanh(+-1) is infinite: a perfect sample correlation still gets an interval below 1.
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)));
  const h = normalQuantile(0.5 + level / 2) * se;
  return [Math.min(r, Math.tanh(z - h)), Math.max(r, Math.tanh(z + h))];
}

function checkArgs(fn: string, n: number, minN: number, level: number): void {
  if (!Number.isInteger(n) || n < minN) throw new Error(`${fn}: n must be an integer >= ${minN}; got ${n}`);
  if (!(level > 0 && level < 1)) throw new Error(`${fn}: level must be in (0, 1); got ${level}`);
}

/** Interval for Kendall's tau from n pairs (n >= 5), Fisher z with Bonett-Wright's variance 0.437 / (n - 4). */
export function kendallInterval(tau: number, n: number, level = 0.95): [number, number] {
  checkArgs("kendallInterval", n, 5, level);
  return fisherInterval(tau, Math.sqrt(0.437 / (n - 4)), level);
}

/** Interval for Spearman's rho from n pairs (n >= 4), Fisher z with Bonett-Wright's variance (1 + rho^2 / 2) / (n - 3). */
export function spearmanInterval(rho: number, n: number, level = 0.95): [number, number] {
  checkArgs("spearmanInterval", n, 4, level);
  return fisherInterval(rho, Math.sqrt((1 + (rho * rho) / 2) / (n - 3)), level);
}
