/**
 * What a comparison of supernet training methods shows, in words computed from the numbers: which
 * method ranks subnets best, whether its interval separates from the others' (two methods whose
 * intervals overlap are not told apart by this many subnets), and whether the ground truth is
 * itself stable enough for any of it to count.
 */
import type { GroundTruthReliability } from "./ground-truth";

/** One method's rank agreement with the ground truth. */
export interface MethodAgreement {
  readonly method: string;
  readonly kendall: number;
  readonly kendallCi: readonly [number, number];
  readonly n: number;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] <= b[1] && b[0] <= a[1];

/** Sentences on a method comparison: the ground truth's stability first, then the ranking of methods and which differences the intervals support. */
export function methodComparisonFindings(rows: readonly MethodAgreement[], reliability: GroundTruthReliability | null, view: string): string[] {
  if (rows.length === 0) throw new Error("methodComparisonFindings: rows must not be empty");
  const out: string[] = [];
  if (reliability && !reliability.reliable) {
    out.push(`${view}: the ground truth's own seed-to-seed Kendall tau is ${fmt(reliability.kendall.estimate)} (not above ${reliability.threshold}), so no method's agreement with it is evidence; the numbers below are reported, not ranked.`);
  }
  const sorted = [...rows].filter((r) => Number.isFinite(r.kendall)).sort((a, b) => b.kendall - a.kendall);
  if (sorted.length === 0) return [...out, `${view}: no method gave a finite Kendall tau.`];
  const best = sorted[0];
  const tied = sorted.slice(1).filter((r) => overlaps(r.kendallCi, best.kendallCi)).map((r) => r.method);
  const below = sorted.slice(1).filter((r) => !overlaps(r.kendallCi, best.kendallCi)).map((r) => r.method);
  out.push(`${view}: ${best.method} has the highest Kendall tau, ${fmt(best.kendall)} [${fmt(best.kendallCi[0])}, ${fmt(best.kendallCi[1])}] over n = ${best.n} subnets.`);
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

/** A sentence setting this run's order of uniform, MAGIC-T and MAGIC-T+A beside the MAGIC paper's, from the published rows (null when a row is missing). */
export function magicPublishedFinding(rows: readonly MethodAgreement[], published: readonly Record<string, string>[], view: string): string | null {
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
  const separated = ps.some((a) => ps.some((b) => a !== b && !overlaps(a.ours.kendallCi, b.ours.kendallCi)));
  const values = ps.map((p) => `${p.ours.method} ${fmt(p.ours.kendall)} (published ${p.published})`).join(", ");
  const verdict = ours === theirs ? "the same order" : `a different order (${ours}), which disagrees with the paper`;
  const strength = separated ? "" : `; all three intervals overlap, so with ${ps[0].ours.n} subnets the order itself is not established`;
  return `${view}: the MAGIC paper (as reported by a secondary source, ${ps[0].status}) orders ${theirs} on its BERT space; this run gives ${values}: ${verdict}${strength}.`;
}
