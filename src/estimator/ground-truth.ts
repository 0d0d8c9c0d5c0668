/**
 * The ground truth a supernet is judged against: a fixed set of subnets chosen by a stratified
 * design, each trained from scratch with several seeds, and whether that ground truth is itself
 * stable. A ranking of inherited losses can only agree with standalone training as well as two
 * standalone runs agree with each other, so the seed-to-seed Kendall tau is measured first and
 * the ground truth called reliable only above 0.7 (the bar of issue #12; Yu et al., ICLR 2020,
 * "Evaluating the Search Phase of NAS", show how seed noise alone moves supernet rankings).
 *
 * The design: HAT-style evaluations (and this project's earlier notebooks) always included the
 * largest and the smallest subnet, the two easiest to rank, which inflates Kendall. Here a large
 * pool of uniformly sampled subnets is cut into equal-count bins of parameter count, each bin
 * gets an equal share of the n subnets, and within a bin the subnet chosen next is the one that
 * best evens out how often every value of every gene (active genes only) appears so far.
 */
import { archKey } from "../space/arch-key";
import { geneSpecs, isGeneActive } from "../space/genes";
import { archParams } from "../space/params";
import { sampleArch } from "../space/sample-arch";
import type { Arch, SearchSpace } from "../space/types";
import type { SweepRecord } from "../sweep/record";
import { kendallTauB } from "../stats/kendall";
import { kendallInterval, spearmanInterval } from "../stats/fisher-interval";
import { spearman } from "../stats/spearman";
import { Rng } from "../util/rng";

/** A subnet of the design with its size stratum. */
export interface DesignedArch {
  readonly arch: Arch;
  readonly key: string;
  /** Parameters without embeddings. */
  readonly params: number;
  /** Size stratum, 0 = smallest. */
  readonly sizeBin: number;
}

/** Options of `stratifiedArchs`. */
export interface DesignOptions {
  /** Distinct uniformly sampled candidates to choose from (default 3000). */
  readonly pool?: number;
  /** Size strata (default: n / 4, at least 2). */
  readonly sizeBins?: number;
}

function geneValueOf(arch: Arch, part: "encoder" | "decoder", field: string, layer?: number, expert?: number): number {
  const v = (arch[part] as unknown as Record<string, number | number[] | number[][]>)[field];
  if (layer === undefined) return v as number;
  if (expert === undefined) return (v as number[])[layer];
  return (v as number[][])[layer][expert - 1];
}

/** Per searchable field (per-layer fields pooled over active layers), the values an arch uses. */
function fieldValues(space: SearchSpace, arch: Arch): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const g of geneSpecs(space)) {
    if (!isGeneActive(g, arch) || g.choices.length < 2) continue;
    const dim = `${g.part}.${g.field}`;
    out.set(dim, [...(out.get(dim) ?? []), geneValueOf(arch, g.part, g.field, g.layer, g.expert)]);
  }
  return out;
}

/** Balance cost of adding an arch: per field, the mean share its values already have, summed over fields. */
function balanceCost(values: Map<string, number[]>, counts: Map<string, Map<number, number>>): number {
  let cost = 0;
  for (const [dim, vs] of values) {
    const m = counts.get(dim);
    const total = m ? [...m.values()].reduce((a, b) => a + b, 0) : 0;
    if (total === 0) continue;
    cost += vs.reduce((s, v) => s + (m?.get(v) ?? 0) / total, 0) / vs.length;
  }
  return cost;
}

/** n distinct subnets stratified by size and balanced over every gene's values (deterministic in `seed`). */
export function stratifiedArchs(space: SearchSpace, n: number, seed: number, options: DesignOptions = {}): DesignedArch[] {
  const poolSize = options.pool ?? 3000;
  const bins = options.sizeBins ?? Math.max(2, Math.floor(n / 4));
  if (!Number.isInteger(n) || n < 2) throw new Error(`stratifiedArchs: n must be an integer >= 2; got ${n}`);
  if (!Number.isInteger(bins) || bins < 1 || bins > n) throw new Error(`stratifiedArchs: sizeBins must be an integer in [1, n = ${n}]; got ${bins}`);
  if (!Number.isInteger(poolSize) || poolSize < n) throw new Error(`stratifiedArchs: pool must be an integer >= n = ${n}; got ${poolSize}`);
  const rng = new Rng(seed);
  const seen = new Map<string, { arch: Arch; params: number; values: Map<string, number[]> }>();
  for (let tries = 0; seen.size < poolSize && tries < 20 * poolSize; tries++) {
    const arch = sampleArch(space, rng);
    const key = archKey(arch);
    if (!seen.has(key)) seen.set(key, { arch, params: archParams(space, arch, 1, { includeEmbeddings: false }), values: fieldValues(space, arch) });
  }
  if (seen.size < n) throw new Error(`stratifiedArchs: space ${space.name} has only ${seen.size} distinct subnets found, fewer than n = ${n}`);
  // Equal-count strata of the pool by size (ties broken by key, so the cut is deterministic).
  const pool = [...seen.entries()].map(([key, v]) => ({ key, ...v })).sort((a, b) => a.params - b.params || (a.key < b.key ? -1 : 1));
  const strata: (typeof pool)[] = Array.from({ length: bins }, (_, b) => pool.slice(Math.floor((b * pool.length) / bins), Math.floor(((b + 1) * pool.length) / bins)));
  const quota = strata.map((_, b) => Math.floor(((b + 1) * n) / bins) - Math.floor((b * n) / bins));
  const counts = new Map<string, Map<number, number>>();
  const chosen: DesignedArch[] = [];
  const taken = new Set<string>();
  // Round-robin over strata so that early picks do not exhaust the balance of one size range.
  for (let round = 0; chosen.length < n; round++) {
    for (let b = 0; b < bins && chosen.length < n; b++) {
      if (quota[b] <= chosen.filter((c) => c.sizeBin === b).length) continue;
      let best: (typeof pool)[number] | null = null;
      let bestCost = Infinity;
      for (const cand of strata[b]) {
        if (taken.has(cand.key)) continue;
        // Every field weighs the same (depth as much as per-layer widths): rare values first.
        const cost = balanceCost(cand.values, counts);
        if (cost < bestCost - 1e-12) {
          best = cand;
          bestCost = cost;
        }
      }
      if (!best) throw new Error(`stratifiedArchs: size stratum ${b} ran out of distinct subnets; lower n or sizeBins`);
      taken.add(best.key);
      for (const [dim, vs] of best.values) {
        const m = counts.get(dim) ?? new Map<number, number>();
        for (const v of vs) m.set(v, (m.get(v) ?? 0) + 1);
        counts.set(dim, m);
      }
      chosen.push({ arch: best.arch, key: best.key, params: best.params, sizeBin: b });
    }
    if (round > n) throw new Error("stratifiedArchs: could not fill the strata");
  }
  return chosen;
}

/** How often each value of each searchable field appears in a design (per-layer fields pooled over active layers). */
export function designBalance(space: SearchSpace, archs: readonly Arch[]): { dimension: string; value: number; count: number }[] {
  const counts = new Map<string, Map<number, number>>();
  for (const arch of archs) {
    for (const g of geneSpecs(space)) {
      if (!isGeneActive(g, arch) || g.choices.length < 2) continue;
      const dim = `${g.part}.${g.field}`;
      if (!counts.has(dim)) counts.set(dim, new Map(g.choices.map((c) => [c, 0])));
      const m = counts.get(dim) as Map<number, number>;
      const v = geneValueOf(arch, g.part, g.field, g.layer, g.expert);
      m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  return [...counts.entries()].flatMap(([dimension, m]) => [...m.entries()].map(([value, count]) => ({ dimension, value, count })));
}

/** One ground-truth subnet: its standalone loss per seed and their mean. */
export interface GroundTruthRow {
  readonly arch: string;
  readonly params: number;
  /** Standalone validation loss per seed, in the order of `seeds`. */
  readonly losses: readonly number[];
  readonly seeds: readonly number[];
  readonly meanLoss: number;
}

/** Sweep records grouped by arch (in first-seen order), with the mean loss over seeds. */
export function groundTruthRows(records: readonly SweepRecord[]): GroundTruthRow[] {
  const byArch = new Map<string, SweepRecord[]>();
  for (const r of records) byArch.set(r.job.arch, [...(byArch.get(r.job.arch) ?? []), r]);
  return [...byArch.entries()].map(([arch, rs]) => {
    const sorted = [...rs].sort((a, b) => a.job.seed - b.job.seed);
    const losses = sorted.map((r) => r.result.validLoss);
    return { arch, params: sorted[0].result.params, losses, seeds: sorted.map((r) => r.job.seed), meanLoss: losses.reduce((a, b) => a + b, 0) / losses.length };
  });
}

/** Seed-to-seed agreement of a ground truth. */
export interface GroundTruthReliability {
  /** Kendall tau-b between the first two seeds' losses, with its 95% interval. */
  readonly kendall: { estimate: number; ci: [number, number]; n: number; level: number };
  readonly spearman: { estimate: number; ci: [number, number]; n: number; level: number };
  readonly seeds: readonly [number, number];
  /** Kendall above `threshold`. */
  readonly reliable: boolean;
  readonly threshold: number;
  /** Mean over subnets of the absolute loss difference between the two seeds. */
  readonly meanSeedDifference: number;
}

/** Whether two seeds of the ground truth rank its subnets alike (needs every arch with >= 2 seeds, n >= 5). */
export function groundTruthReliability(rows: readonly GroundTruthRow[], threshold = 0.7): GroundTruthReliability {
  if (rows.length < 5) throw new Error(`groundTruthReliability: needs at least 5 subnets; got ${rows.length}`);
  const short = rows.find((r) => r.losses.length < 2);
  if (short) throw new Error(`groundTruthReliability: subnet ${short.arch} has ${short.losses.length} seed; every subnet needs at least 2`);
  const seeds: [number, number] = [rows[0].seeds[0], rows[0].seeds[1]];
  const a = rows.map((r) => r.losses[0]);
  const b = rows.map((r) => r.losses[1]);
  const n = rows.length;
  const tau = kendallTauB(a, b);
  const rho = spearman(a, b);
  return {
    kendall: { estimate: tau, ci: kendallInterval(tau, n), n, level: 0.95 },
    spearman: { estimate: rho, ci: spearmanInterval(rho, n), n, level: 0.95 },
    seeds,
    reliable: tau > threshold,
    threshold,
    meanSeedDifference: rows.reduce((s, r) => s + Math.abs(r.losses[0] - r.losses[1]), 0) / n,
  };
}

/** A sentence on the ground truth's stability, for notebooks and reports. */
export function describeReliability(r: GroundTruthReliability): string {
  const k = r.kendall;
  const verdict = r.reliable
    ? `above ${r.threshold}: the ground truth is reliable enough to rank against`
    : `not above ${r.threshold}: the ground truth is not reliable; rank correlations against it (the mean of the seeds, somewhat steadier than one seed, so they can exceed this agreement) are limited by its noise and are not evidence about the supernets`;
  return `Seeds ${r.seeds[0]} and ${r.seeds[1]} of the ${k.n} standalone subnets agree with Kendall tau ${k.estimate.toFixed(3)} [${k.ci[0].toFixed(3)}, ${k.ci[1].toFixed(3)}] (n = ${k.n}), ${verdict}.`;
}

/** Seed of the stratified design, fixed so every notebook and the shipped artifacts use the same subnets. */
export const groundTruthDesignSeed = 11;
