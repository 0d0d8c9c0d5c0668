/**
 * Uniform random subnets, as HAT samples one per supernet update (Wang et al., ACL 2020):
 * each scalar uniform over its choices, numLayers uniform, then each per-layer value uniform
 * for the active layers only (so the random stream does not depend on the maximum depth).
 */
import { buildArch, spaceChoices } from "./schema";
import type { Arch, SearchSpace } from "./types";
import type { Rng } from "../util/rng";

/** One uniformly random arch of the space. */
export function sampleArch(space: SearchSpace, rng: Rng): Arch {
  return buildArch(space, (part, field) => rng.choice(spaceChoices(space, part, field)));
}
