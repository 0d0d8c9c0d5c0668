/**
 * Mutation for evolutionary search, as in HAT (Wang et al., ACL 2020): every gene of the full
 * gene vector (inactive layers included) is resampled uniformly with probability `prob`
 * (the new value may equal the old one). When numLayers grows, the newly active layers take
 * their genes from the vector — copies of the last layer unless they were resampled too.
 * Every gene combination of a valid space is a valid arch, so no repair is needed.
 */
import { decodeTrusted, encodeArch, geneSpecs } from "./genes";
import type { Arch, SearchSpace } from "./types";
import type { Rng } from "../util/rng";

/** Options of `mutate`. */
export interface MutateOptions {
  /** Probability that each gene is resampled (HAT: 0.3). */
  readonly prob?: number;
}

/** Defaults of `mutate`. */
export const mutateDefaults: Readonly<Required<MutateOptions>> = Object.freeze({ prob: 0.3 });

/** A mutant of `arch`: each gene resampled uniformly with probability `prob`. */
export function mutate(space: SearchSpace, arch: Arch, rng: Rng, options: MutateOptions = {}): Arch {
  const prob = options.prob ?? mutateDefaults.prob;
  checkProb("mutate", prob);
  const specs = geneSpecs(space);
  const genes = encodeArch(space, arch).map((g, i) =>
    rng.bernoulli(prob) ? rng.int(specs[i].choices.length) : g,
  );
  return decodeTrusted(space, genes);
}

/** Throw unless p is a probability. */
export function checkProb(fn: string, p: number): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new Error(`${fn}: prob = ${p} must be in [0, 1]`);
}
