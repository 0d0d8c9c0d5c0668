/**
 * NAS-BERT's parameter bands (Xu et al., KDD 2021: models at 5M, 10M, 30M and 60M parameters, of
 * BERT-base's 110M) scaled to a space: our spaces are far smaller than BERT-base, so the bands
 * keep NAS-BERT's ratios on a log scale and are stretched over the sizes the space really has,
 * from the 5th percentile of sampled subnets (for 5M) to the 95th (for 60M). Each band is an
 * upper limit on total parameters, embeddings included, as NAS-BERT counts them; a task-agnostic
 * search then looks for the best subnet at most that large.
 */
import { archParams } from "../space/params";
import { sampleArch } from "../space/sample-arch";
import type { SearchSpace } from "../space/types";
import { Rng } from "../util/rng";

/** NAS-BERT's bands in millions of parameters. */
export const nasBertBandsM: readonly number[] = Object.freeze([5, 10, 30, 60]);

/** A band of our space: the NAS-BERT band it stands for and its parameter limit here. */
export interface ParameterBand {
  readonly nasBertM: number;
  readonly limit: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** NAS-BERT's bands mapped onto the sizes of `samples` uniform subnets of `space` (see the file comment). */
export function scaledParameterBands(space: SearchSpace, vocabSize: number, options: { samples?: number; seed?: number } = {}): ParameterBand[] {
  const samples = options.samples ?? 500;
  if (!Number.isInteger(samples) || samples < 20) throw new Error(`scaledParameterBands: samples must be an integer >= 20, got ${samples}`);
  const rng = new Rng(options.seed ?? 1);
  const sizes = Array.from({ length: samples }, () => archParams(space, sampleArch(space, rng), vocabSize)).sort((a, b) => a - b);
  const [lo, hi] = [quantile(sizes, 0.05), quantile(sizes, 0.95)];
  const first = nasBertBandsM[0];
  const last = nasBertBandsM[nasBertBandsM.length - 1];
  return nasBertBandsM.map((b) => ({ nasBertM: b, limit: Math.round(lo * (hi / lo) ** (Math.log(b / first) / Math.log(last / first))) }));
}
