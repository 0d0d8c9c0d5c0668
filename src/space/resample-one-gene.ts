/**
 * Gradual modification for MAGIC-T (Xu et al., ICML 2022): the next child is the current one
 * with exactly one gene changed, so consecutive children share almost every operator and their
 * gradients interfere less. The gene is drawn uniformly among the ACTIVE genes with more than
 * one choice (changing an inactive gene would change nothing), and its new value uniformly
 * among the other choices. A numLayers gene counts as one gene: growing adds a copy of the last
 * layer (see genes.ts), shrinking drops the last layers.
 */
import { decodeTrusted, encodeArch, geneSpecs, isGeneActive } from "./genes";
import type { Arch, SearchSpace } from "./types";
import type { Rng } from "../util/rng";

/** The arch with one active, multi-choice gene changed to a different value. */
export function resampleOneGene(space: SearchSpace, arch: Arch, rng: Rng): Arch {
  return resampleOneGeneWithKey(space, arch, rng).arch;
}

/** Like resampleOneGene, and also names the gene that changed (for logging MAGIC-T runs). */
export function resampleOneGeneWithKey(space: SearchSpace, arch: Arch, rng: Rng): { arch: Arch; key: string } {
  const genes = encodeArch(space, arch);
  const specs = geneSpecs(space);
  const candidates = specs
    .map((_, i) => i)
    .filter((i) => specs[i].choices.length > 1 && isGeneActive(specs[i], arch));
  if (candidates.length === 0) {
    throw new Error(`resampleOneGene: space "${space.name}" has a single arch; no gene can change`);
  }
  const i = rng.choice(candidates);
  // Draw among the other n-1 indices: skip over the current one.
  const r = rng.int(specs[i].choices.length - 1);
  genes[i] = r >= genes[i] ? r + 1 : r;
  return { arch: decodeTrusted(space, genes), key: specs[i].key };
}
