/**
 * HAT subtransformer configs (Wang et al., ACL 2020; the `*-subtransformer` keys of HAT's yml
 * files and command line). HAT writes per-layer lists over the maximum depth and ignores the
 * entries past the layer count; it writes arbitrary attention as -1, 1, 2 for "the last 1, 2, 3
 * encoder layers". Converting here keeps HAT's conventions out of the rest of the library.
 */
import { archPart, decoderOf, dimensionValue, parts, schema, spacePart } from "./schema";
import type { Arch, SearchSpace } from "./types";
import { describe, validateArch } from "./validate-arch";

/** Whether a parsed object looks like a HAT subtransformer config. */
export function isHatConfig(value: object): boolean {
  return Object.keys(value).some((k) => k.endsWith("-subtransformer"));
}

/** HAT's arbitrary-attention code (-1, 1, 2) as our crossLayers (1, 2, 3). */
export function crossLayersFromHat(code: number): number {
  return code === -1 ? 1 : code + 1;
}

/** Our crossLayers (1, 2, 3) as HAT's arbitrary-attention code (-1, 1, 2). */
export function crossLayersToHat(crossLayers: number): number {
  return crossLayers === 1 ? -1 : crossLayers - 1;
}

/** HAT's value of a field (arbitrary attention in HAT's -1, 1, 2 code) and back. */
const toHat = (field: string, v: number) => (field === "crossLayers" ? crossLayersToHat(v) : v);
const fromHat = (field: string, v: number) => (field === "crossLayers" ? crossLayersFromHat(v) : v);

/** Convert and validate a HAT subtransformer config (keys as in HAT's yml files, derived from the schema). */
export function archFromHatConfig(config: object, space: SearchSpace): Arch {
  const c = config as Record<string, unknown>;
  spacePart(space, "decoder", "archFromHatConfig (HAT configs describe encoder-decoders)");
  const out: Record<string, Record<string, number | number[]>> = { encoder: {}, decoder: {} };
  for (const part of parts) {
    const dims = schema.filter((d) => d.part === part && d.hatKey !== undefined);
    for (const d of dims.filter((x) => x.scope === "part")) {
      const v = c[d.hatKey as string];
      if (typeof v !== "number") throw new Error(`HAT config: ${d.hatKey} must be a number, got ${describe(v)}`);
      out[part][d.field] = v;
    }
    const numLayers = out[part].numLayers as number;
    for (const d of dims.filter((x) => x.scope === "layer")) {
      const v = c[d.hatKey as string];
      if (!Array.isArray(v) || v.length < numLayers) throw new Error(`HAT config: ${d.hatKey} must be a list of at least ${numLayers} numbers, got ${describe(v)}`);
      out[part][d.field] = (v.slice(0, numLayers) as number[]).map((x) => fromHat(d.field, x));
    }
  }
  validateArch(space, out);
  return out as unknown as Arch;
}

/** An arch as a HAT subtransformer config (per-layer lists of length numLayers); HAT's configs have no experts. */
export function archToHatConfig(arch: Arch): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  decoderOf(arch, "archToHatConfig (HAT configs describe encoder-decoders)");
  for (const part of parts) {
    if (archPart(arch, part).numExperts !== undefined) throw new Error(`archToHatConfig: ${part} has numExperts (a mixture-of-experts arch); HAT subtransformer configs describe dense archs only`);
    for (const d of schema.filter((x) => x.part === part && x.hatKey !== undefined)) {
      const v = dimensionValue(arch, d);
      out[d.hatKey as string] = typeof v === "number" ? v : (v as number[]).map((x) => toHat(d.field, x));
    }
  }
  return out;
}
