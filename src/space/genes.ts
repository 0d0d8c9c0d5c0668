/**
 * The gene encoding used by evolutionary search (HAT, Wang et al., ACL 2020): one gene per
 * elastic choice, its value the index of the chosen value. Unlike HAT's hand-written
 * `arch2gene`, the gene list is DERIVED from the space: per part (encoder, then decoder)
 * embedDim, numLayers, then each per-layer field for every layer up to the largest depth
 * (field-major: all ffnDim genes, then all heads genes, ...). Genes of layers beyond numLayers
 * are inactive; `encodeArch` fills them with a copy of the last active layer, so an arch has one
 * canonical gene vector and a mutation that adds a layer grows a copy of its neighbour.
 */
import { layerFields, layerValues, parts, spaceChoices } from "./fields";
import type { Arch, Part, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** One gene: which field (and layer) it sets, and the values its index selects. */
export interface GeneSpec {
  /** Stable name, e.g. "decoder.ffnDim[2]" or "encoder.embedDim". */
  readonly key: string;
  /** Allowed values (ascending); the gene is an index into this list. */
  readonly choices: readonly number[];
  /** Layer index, for per-layer fields only. */
  readonly layer?: number;
  readonly part: Part;
  /** Field name within the part, e.g. "ffnDim". */
  readonly field: string;
}

const cache = new WeakMap<SearchSpace, readonly GeneSpec[]>();

/** The genes of a space, in a fixed order (cached per space object). */
export function geneSpecs(space: SearchSpace): readonly GeneSpec[] {
  const hit = cache.get(space);
  if (hit) return hit;
  const specs: GeneSpec[] = [];
  for (const part of parts) {
    for (const field of ["embedDim", "numLayers"]) {
      specs.push(Object.freeze({ key: `${part}.${field}`, choices: spaceChoices(space, part, field), part, field }));
    }
    const maxLayers = Math.max(...space[part].numLayers);
    for (const field of layerFields[part]) {
      for (let layer = 0; layer < maxLayers; layer++) {
        const choices = spaceChoices(space, part, field);
        specs.push(Object.freeze({ key: `${part}.${field}[${layer}]`, choices, layer, part, field }));
      }
    }
  }
  Object.freeze(specs);
  cache.set(space, specs);
  return specs;
}

/** Whether a gene changes the arch: scalars always, per-layer genes only below numLayers. */
export function isGeneActive(spec: GeneSpec, arch: Arch): boolean {
  return spec.layer === undefined || spec.layer < arch[spec.part].numLayers;
}

/** The arch as choice indices; inactive layers copy the last active layer (validated). */
export function encodeArch(space: SearchSpace, arch: Arch): number[] {
  validateArch(space, arch);
  return geneSpecs(space).map((spec) => {
    if (spec.layer === undefined) return spec.choices.indexOf(arch[spec.part][spec.field as "embedDim"]);
    const values = layerValues(arch, spec.part, spec.field);
    const value = values[Math.min(spec.layer, values.length - 1)];
    return spec.choices.indexOf(value);
  });
}

/** The arch that a gene vector selects; per-layer genes past numLayers are ignored. */
export function decodeArch(space: SearchSpace, genes: readonly number[]): Arch {
  const specs = geneSpecs(space);
  if (genes.length !== specs.length) {
    throw new Error(`decodeArch: expected ${specs.length} genes for space "${space.name}", got ${genes.length}`);
  }
  genes.forEach((g, i) => {
    if (!Number.isInteger(g) || g < 0 || g >= specs[i].choices.length) {
      throw new Error(`decodeArch: gene ${specs[i].key} = ${g} is not an index in 0..${specs[i].choices.length - 1}`);
    }
  });
  return decodeTrusted(space, genes);
}

/** decodeArch without the checks, for inner loops over genes already known to be in range. */
export function decodeTrusted(space: SearchSpace, genes: readonly number[]): Arch {
  const specs = geneSpecs(space);
  const value = (i: number) => specs[i].choices[genes[i]];
  let i = 0;
  const out: Record<string, Record<string, number | number[]>> = {};
  for (const part of parts) {
    const embedDim = value(i++);
    const numLayers = value(i++);
    const p: Record<string, number | number[]> = { embedDim, numLayers };
    const maxLayers = Math.max(...space[part].numLayers);
    for (const field of layerFields[part]) {
      p[field] = Array.from({ length: numLayers }, (_, layer) => value(i + layer));
      i += maxLayers;
    }
    out[part] = p;
  }
  return out as unknown as Arch;
}
