/**
 * Generic access to the fields of a space and an arch. The encoder and decoder of a HAT-style
 * space (Wang et al., ACL 2020) have different per-layer fields; listing them once here lets
 * validation, genes, samplers and operators loop over fields instead of naming each one, so a
 * field added to the types is picked up everywhere by adding it to `layerFields`.
 */
import type { Arch, Part, SearchSpace } from "./types";

/** The per-layer fields of each part, in gene order. */
export const layerFields: { readonly [P in Part]: readonly string[] } = Object.freeze({
  encoder: Object.freeze(["ffnDim", "numHeads"]),
  decoder: Object.freeze(["ffnDim", "selfHeads", "crossHeads", "crossLayers"]),
});

/** The two parts, in gene order. */
export const parts: readonly Part[] = Object.freeze(["encoder", "decoder"] as const);

/** The allowed values of one field of a space (scalar or per-layer). */
export function spaceChoices(space: SearchSpace, part: Part, field: string): readonly number[] {
  return (space[part] as unknown as Record<string, readonly number[]>)[field];
}

/** The per-layer values of one field of an arch. */
export function layerValues(arch: Arch, part: Part, field: string): readonly number[] {
  return (arch[part] as unknown as Record<string, readonly number[]>)[field];
}

/** The largest allowed value of a field. */
export function maxChoice(space: SearchSpace, part: Part, field: string): number {
  const c = spaceChoices(space, part, field);
  return c[c.length - 1];
}

/** The smallest allowed value of a field. */
export function minChoice(space: SearchSpace, part: Part, field: string): number {
  return spaceChoices(space, part, field)[0];
}

/**
 * Build an arch by asking `pick` for each value, in a fixed order: per part (encoder, then
 * decoder) embedDim, numLayers, then each per-layer field for layers 0..numLayers-1. Samplers
 * rely on this order for reproducible random streams.
 */
export function buildArch(pick: (part: Part, field: string, layer?: number) => number): Arch {
  const build = (part: Part) => {
    const embedDim = pick(part, "embedDim");
    const numLayers = pick(part, "numLayers");
    const out: Record<string, number | number[]> = { embedDim, numLayers };
    for (const field of layerFields[part]) {
      out[field] = Array.from({ length: numLayers }, (_, layer) => pick(part, field, layer));
    }
    return out;
  };
  const encoder = build("encoder");
  const decoder = build("decoder");
  return { encoder, decoder } as unknown as Arch;
}
