/**
 * What a comparison of supernet training methods shows, in words computed from the numbers: which
 * method ranks subnets best, whether it ranks them better than each other method (by the paired
 * difference of their Kendall taus over the same subnets when given, else, more conservatively,
 * by whether the two intervals overlap), and whether the ground truth is itself stable enough for
 * any of it to count.
 */
import type { GroundTruthReliability } from "./ground-truth";
import type { PairedAgreementDifference } from "./rank-agreement";

/** One method's rank agreement with the ground truth. */
export interface MethodAgreement {
  readonly method: string;
  readonly kendall: number;
  readonly kendallCi: readonly [number, number];
  readonly n: number;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] <= b[1] && b[0] <= a[1];

/** `a`'s tau minus `b`'s with its interval, from whichever order the pair was recorded in (null when absent). */
function differenceOf(paired: readonly PairedAgreementDifference[], a: string, b: string): { estimate: number; ci: readonly [number, number]; n: number } | null {
  const same = paired.find((p) => p.method === a && p.versus === b);
  if (same) return same.difference;
  const flipped = paired.find((p) => p.method === b && p.versus === a);
  return flipped ? { estimate: -flipped.difference.estimate, ci: [-flipped.difference.ci[1], -flipped.difference.ci[0]], n: flipped.difference.n } : null;
}

const signed = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x)}`;

/**
 * Sentences on a method comparison: the ground truth's stability first, then the ranking of
 * methods and which differences the intervals support. With `paired` (from
 * `pairedAgreementDifferences` over the same rows) the leader is tested against each method by
 * their paired difference; without it, by whether the two marginal intervals overlap.
 */
export function methodComparisonFindings(rows: readonly MethodAgreement[], reliability: GroundTruthReliability | null, view: string, paired?: readonly PairedAgreementDifference[]): string[] {
  if (rows.length === 0) throw new Error("methodComparisonFindings: rows must not be empty");
  const out: string[] = [];
  if (reliability && !reliability.reliable) {
    out.push(`${view}: the ground truth's own seed-to-seed Kendall tau is ${fmt(reliability.kendall.estimate)} (not above ${reliability.threshold}), so no method's agreement with it is evidence; the numbers below are reported, not ranked.`);
  }
  const sorted = [...rows].filter((r) => Number.isFinite(r.kendall)).sort((a, b) => b.kendall - a.kendall);
  if (sorted.length === 0) return [...out, `${view}: no method gave a finite Kendall tau.`];
  const best = sorted[0];
  out.push(`${view}: ${best.method} has the highest Kendall tau, ${fmt(best.kendall)} [${fmt(best.kendallCi[0])}, ${fmt(best.kendallCi[1])}] over n = ${best.n} subnets.`);
  if (paired !== undefined) {
    const others = sorted.slice(1).map((r) => {
      const d = differenceOf(paired, best.method, r.method);
      if (d === null) throw new Error(`methodComparisonFindings: no paired difference between ${best.method} and ${r.method}`);
      return { method: r.method, d };
    });
    if (others.length) {
      const described = others.map((o) => `${best.method} minus ${o.method} ${signed(o.d.estimate)} [${fmt(o.d.ci[0])}, ${fmt(o.d.ci[1])}]`).join("; ");
      const better = others.filter((o) => o.d.ci[0] > 0).map((o) => o.method);
      const tied = others.filter((o) => !(o.d.ci[0] > 0)).map((o) => o.method);
      const verdicts = [
        better.length ? `${best.method} ranks better than ${better.join(", ")}` : "",
        tied.length ? `${best.method} is not told apart from ${tied.join(", ")} (the interval includes 0)` : "",
      ].filter((x) => x !== "");
      out.push(`${view}: Kendall tau differences paired over the same ${others[0].d.n} subnets (95% bootstrap intervals): ${described}: ${verdicts.join("; ")}.`);
    }
    return out;
  }
  const tied = sorted.slice(1).filter((r) => overlaps(r.kendallCi, best.kendallCi)).map((r) => r.method);
  const below = sorted.slice(1).filter((r) => !overlaps(r.kendallCi, best.kendallCi)).map((r) => r.method);
  if (tied.length) out.push(`${view}: its interval overlaps those of ${tied.join(", ")}: with ${best.n} subnets these methods differ by less than their intervals and are not told apart.`);
  if (below.length) out.push(`${view}: ${below.join(", ")} ${below.length === 1 ? "ranks" : "rank"} worse, with intervals that do not overlap ${best.method}'s.`);
  const widths = rows.map((r) => r.kendallCi[1] - r.kendallCi[0]).filter(Number.isFinite);
  if (widths.length) out.push(`${view}: interval widths are ${fmt(Math.min(...widths))}-${fmt(Math.max(...widths))}; differences smaller than that are noise at this n.`);
  return out;
}

// Our method names against the MAGIC paper's rows in data/published/magic_kendall_secondary.csv.
const magicPublishedMethods: readonly (readonly [string, string])[] = [
  ["uniform", "baseline weight-sharing supernet"],
  ["magic-t", "MAGIC-T (gradual modification"],
  ["magic-t+a", "MAGIC-T + MAGIC-A"],
];

/** A sentence setting this run's order of uniform, MAGIC-T and MAGIC-T+A beside the MAGIC paper's, from the published rows (null when a row is missing); with `paired`, the order counts as shown where a paired difference excludes 0. */
export function magicPublishedFinding(rows: readonly MethodAgreement[], published: readonly Record<string, string>[], view: string, paired?: readonly PairedAgreementDifference[]): string | null {
  const pairs = magicPublishedMethods.map(([ours, theirs]) => {
    const row = rows.find((r) => r.method === ours);
    const pub = published.find((p) => (p.study ?? "").startsWith("MAGIC") && (p.method ?? "").startsWith(theirs));
    return row && pub && pub.kendall_tau !== "" ? { ours: row, published: Number(pub.kendall_tau), status: pub.status } : null;
  });
  if (pairs.some((p) => p === null || !Number.isFinite(p.published) || !Number.isFinite(p.ours.kendall))) return null;
  const ps = pairs as { ours: MethodAgreement; published: number; status: string }[];
  const orderOf = (value: (p: (typeof ps)[number]) => number) => [...ps].sort((a, b) => value(a) - value(b)).map((p) => p.ours.method).join(" < ");
  const theirs = orderOf((p) => p.published);
  const ours = orderOf((p) => p.ours.kendall);
  const values = ps.map((p) => `${p.ours.method} ${fmt(p.ours.kendall)} (published ${p.published})`).join(", ");
  const verdict = ours === theirs ? "the same order" : `a different order (${ours}), which disagrees with the paper`;
  let strength: string;
  if (paired !== undefined) {
    const shown = ps.flatMap((a) => ps.filter((b) => a !== b && a.ours.kendall > b.ours.kendall).map((b) => ({ a: a.ours.method, b: b.ours.method, d: differenceOf(paired, a.ours.method, b.ours.method) })));
    const separated = shown.filter((x) => x.d !== null && x.d.ci[0] > 0).map((x) => `${x.a} > ${x.b}`);
    strength = separated.length ? `; of its pairwise steps the paired intervals support ${separated.join(", ")} only` : `; no paired difference among the three excludes 0, so with ${ps[0].ours.n} subnets the order itself is not established`;
    if (separated.length === shown.length) strength = "; every step of that order is supported by its paired interval";
  } else {
    const separated = ps.some((a) => ps.some((b) => a !== b && !overlaps(a.ours.kendallCi, b.ours.kendallCi)));
    strength = separated ? "" : `; all three intervals overlap, so with ${ps[0].ours.n} subnets the order itself is not established`;
  }
  return `${view}: the MAGIC paper (as reported by a secondary source, ${ps[0].status}) orders ${theirs} on its BERT space; this run gives ${values}: ${verdict}${strength}.`;
}
