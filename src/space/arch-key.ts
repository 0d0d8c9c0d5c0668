/**
 * A compact, stable string id for an arch, for de-duplicating search populations (HAT's
 * evolution, Wang et al., ACL 2020), keying caches and labelling result rows. The format is
 * human-readable: `e<embed>x<layers>[<ffn>|<heads>]-d<embed>x<layers>[<ffn>|<self>|<cross>|<crossLayers>]`,
 * e.g. `e256x3[512,512,512|4,4,4]-d256x1[1024|4|4|2]`.
 */
import type { Arch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** A stable compact id; equal archs give equal keys and vice versa. */
export function archKey(arch: Arch): string {
  const e = arch.encoder;
  const d = arch.decoder;
  const enc = `e${e.embedDim}x${e.numLayers}[${e.ffnDim.join(",")}|${e.numHeads.join(",")}]`;
  const dec =
    `d${d.embedDim}x${d.numLayers}` +
    `[${d.ffnDim.join(",")}|${d.selfHeads.join(",")}|${d.crossHeads.join(",")}|${d.crossLayers.join(",")}]`;
  return `${enc}-${dec}`;
}

/** Whether two archs are the same subnet (extra fields, e.g. of extended archs, are ignored). */
export function archEquals(a: Arch, b: Arch): boolean {
  return archKey(a) === archKey(b);
}

const keyPattern = /^e(\d+)x(\d+)\[([\d,]*)\|([\d,]*)\]-d(\d+)x(\d+)\[([\d,]*)\|([\d,]*)\|([\d,]*)\|([\d,]*)\]$/;

/** Parse an `archKey` back into an arch and validate it against the space. */
export function archFromKey(key: string, space: SearchSpace): Arch {
  const m = keyPattern.exec(key);
  if (!m) throw new Error(`archFromKey: "${key}" is not an arch key like "e64x2[128,128|4,4]-d64x1[128|4|4|2]"`);
  const list = (s: string): number[] => (s === "" ? [] : s.split(",").map(Number));
  const arch: Arch = {
    encoder: { embedDim: +m[1], numLayers: +m[2], ffnDim: list(m[3]), numHeads: list(m[4]) },
    decoder: {
      embedDim: +m[5],
      numLayers: +m[6],
      ffnDim: list(m[7]),
      selfHeads: list(m[8]),
      crossHeads: list(m[9]),
      crossLayers: list(m[10]),
    },
  };
  validateArch(space, arch);
  return arch;
}
