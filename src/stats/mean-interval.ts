/**
 * The mean of a few repeated runs (fine-tuning seeds) with its 95% Student-t interval: with 3-10
 * seeds the normal interval would be far too narrow (t(2) = 4.30 against z = 1.96).
 */

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const t975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (beyond 30, the normal 1.96 within 2%). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`tQuantile975: df must be a positive integer, got ${df}`);
  return df <= t975.length ? t975[df - 1] : 1.96 + 2.4 / df;
}

/** A mean with its 95% interval and n (the shape of a results-file estimate). */
export interface MeanInterval {
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly level: number;
}

/** Mean of `values` with its 95% t interval and n; at least 2 values. `range` clips the interval to a quantity's possible values (an accuracy's [0, 1]). */
export function meanInterval(values: readonly number[], range: readonly [number, number] = [-Infinity, Infinity]): MeanInterval {
  const n = values.length;
  if (n < 2 || values.some((v) => !Number.isFinite(v))) throw new Error(`meanInterval: values must be at least 2 finite numbers, got [${values.join(", ")}]`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { estimate: mean, ci: [Math.max(range[0], mean - half), Math.min(range[1], mean + half)], n, level: 0.95 };
}
