/**
 * Uniform crossover for evolutionary search, as in HAT (Wang et al., ACL 2020): each gene of
 * the child comes from parent b with probability `prob`, else from parent a. Genes are taken
 * from the FULL gene vectors (inactive layers hold copies of each parent's last active layer),
 * then the child's numLayers gene truncates them. So when the parents' depths differ, a child
 * deeper than one parent may inherit that parent's copied last layer for the extra layers.
 */
import { decodeTrusted, encodeArch } from "./genes";
import { checkProb } from "./mutate";
import type { Arch, SearchSpace } from "./types";
import type { Rng } from "../util/rng";

/** Options of `crossover`. */
export interface CrossoverOptions {
  /** Probability that each gene is taken from the second parent (HAT: 0.5). */
  readonly prob?: number;
}

/** Defaults of `crossover`. */
export const crossoverDefaults: Readonly<Required<CrossoverOptions>> = Object.freeze({ prob: 0.5 });

/** A child of a and b by uniform crossover over genes. */
export function crossover(space: SearchSpace, a: Arch, b: Arch, rng: Rng, options: CrossoverOptions = {}): Arch {
  const prob = options.prob ?? crossoverDefaults.prob;
  checkProb("crossover", prob);
  const ga = encodeArch(space, a);
  const gb = encodeArch(space, b);
  return decodeTrusted(
    space,
    ga.map((g, i) => (rng.bernoulli(prob) ? gb[i] : g)),
  );
}
