/** Shared fixtures for the search-space tests. */
import type { Arch, SearchSpace } from "../../src/space";

/** A valid small-space arch with a 3-layer decoder, used by several tests. */
export const smallArch: Arch = {
  encoder: { embedDim: 192, numLayers: 3, ffnDim: [512, 256, 1024], numHeads: [4, 2, 4] },
  decoder: {
    embedDim: 256,
    numLayers: 3,
    ffnDim: [256, 512, 256],
    selfHeads: [2, 4, 4],
    crossHeads: [4, 4, 2],
    crossLayers: [1, 2, 2],
  },
};

/** Deep-copy an arch and apply a change to the copy (for building bad archs). */
export function withChange(arch: Arch, change: (a: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(arch));
  change(copy);
  return copy;
}

/** A space where every dimension is elastic, including encoder depth. */
export const elasticSpace: SearchSpace = {
  name: "elastic",
  encoder: { embedDim: [16, 32], numLayers: [2, 3, 4], ffnDim: [16, 32, 64], numHeads: [1, 2, 4] },
  decoder: {
    embedDim: [16, 24, 32],
    numLayers: [1, 2, 3],
    ffnDim: [32, 64],
    selfHeads: [2, 4],
    crossHeads: [1, 4],
    crossLayers: [1, 2],
  },
  qkvDim: 16,
};
