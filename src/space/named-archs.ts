/**
 * The two corner archs of a space: the largest (every choice at its maximum) and the smallest
 * (every choice at its minimum). The sandwich rule of Mixture-of-Supernets (Jawahar et al.,
 * 2023, after BigNAS / slimmable networks) trains both at every update, and they bound the
 * FLOPs and parameter range of a space.
 */
import { buildArch, maxChoice, minChoice } from "./schema";
import type { Arch, SearchSpace } from "./types";

/** The arch with every choice at its maximum. */
export function largestArch(space: SearchSpace): Arch {
  return buildArch(space, (part, field) => maxChoice(space, part, field));
}

/** The arch with every choice at its minimum. */
export function smallestArch(space: SearchSpace): Arch {
  return buildArch(space, (part, field) => minChoice(space, part, field));
}
