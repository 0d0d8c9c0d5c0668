/**
 * Argument checks shared by the correlation functions: paired samples are two arrays of numbers of
 * the same length with at least two items, since no correlation is defined for fewer pairs.
 */

/** Throws unless `x` is an array of numbers that are not NaN (and finite too when `finite`). */
export function checkValues(fn: string, name: string, x: readonly number[], finite = false): void {
  if (!Array.isArray(x)) throw new Error(`${fn}: ${name} must be an array of numbers, got ${typeof x}`);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const ok = typeof v === "number" && (finite ? Number.isFinite(v) : !Number.isNaN(v));
    if (!ok) throw new Error(`${fn}: ${name}[${i}] is ${String(v)}; allowed: ${finite ? "finite numbers" : "numbers other than NaN"}`);
  }
}

/** Throws unless `x` and `y` are paired samples: same length, at least 2 items, valid values. */
export function checkPaired(fn: string, x: readonly number[], y: readonly number[], finite = false): void {
  checkValues(fn, "x", x, finite);
  checkValues(fn, "y", y, finite);
  if (x.length !== y.length) throw new Error(`${fn}: x and y have different lengths (${x.length} and ${y.length}); pairs need equal lengths`);
  if (x.length < 2) throw new Error(`${fn}: x and y have ${x.length} item(s); allowed: at least 2 pairs`);
}
