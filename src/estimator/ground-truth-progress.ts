/**
 * How far a ground-truth sweep that is still running has got, and whether the seeds it has
 * finished agree so far: the question that decides, hours before the end, whether its updates per
 * subnet will be enough. The interim agreement covers only the subnets finished with every seed
 * (the design's first ones in job order), so it is a forecast, never the ground truth's reliability.
 */
import { loadSweepResults } from "../sweep/status";
import type { SweepSpec } from "../sweep/spec";
import { groundTruthReliability, groundTruthRows, GroundTruthReliability } from "./ground-truth";

/** What an unfinished ground truth shows so far. */
export interface GroundTruthProgress {
  readonly finishedJobs: number;
  readonly totalJobs: number;
  /** Subnets with every seed finished. */
  readonly completeSubnets: number;
  readonly totalSubnets: number;
  /** Seed agreement over the complete subnets; null below 5 of them. */
  readonly interim: GroundTruthReliability | null;
  readonly trainingSeconds: number;
}

/** Where the ground-truth sweep of `spec` under `outDir` stands, with the interim seed agreement. */
export function groundTruthProgress(spec: SweepSpec, outDir: string): GroundTruthProgress {
  const records = loadSweepResults(spec, outDir);
  const complete = groundTruthRows(records).filter((r) => spec.seeds.every((s) => r.seeds.includes(s)));
  return {
    finishedJobs: records.length,
    totalJobs: spec.archs.length * spec.seeds.length,
    completeSubnets: complete.length,
    totalSubnets: spec.archs.length,
    interim: complete.length >= 5 ? groundTruthReliability(complete) : null,
    trainingSeconds: records.reduce((s, r) => s + r.seconds, 0),
  };
}

/** Prints `groundTruthProgress` in words. */
export function reportInterim(spec: SweepSpec, outDir: string): void {
  const p = groundTruthProgress(spec, outDir);
  const hours = (p.trainingSeconds / 3600).toFixed(2);
  console.log(`${spec.name}: ${p.finishedJobs}/${p.totalJobs} jobs finished (${hours} h of training); ${p.completeSubnets}/${p.totalSubnets} subnets have every seed`);
  if (p.interim === null) {
    console.log(`${spec.name}: seed agreement needs at least 5 subnets with every seed; none reported yet`);
    return;
  }
  const k = p.interim.kendall;
  console.log(
    `${spec.name}: interim seed-to-seed Kendall tau ${k.estimate.toFixed(3)} [${k.ci[0].toFixed(3)}, ${k.ci[1].toFixed(3)}] over n = ${k.n} subnets ` +
      `(the first finished, not the whole design; the bar is ${p.interim.threshold}); mean |seed difference| ${p.interim.meanSeedDifference.toFixed(3)} nats`,
  );
}
