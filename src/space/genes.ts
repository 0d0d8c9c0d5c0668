/**
 * The gene encoding used by evolutionary search (HAT, Wang et al., ACL 2020): one gene per
 * elastic choice, its value the index of the chosen value. Unlike HAT's hand-written
 * `arch2gene`, the gene list is DERIVED from the space's schema (`schema.ts`): per part
 * (encoder, then decoder) its part-scoped dimensions, then each per-layer dimension for every
 * layer up to the largest depth (field-major: all ffnDim genes, then all heads genes, ...), then
 * each per-expert dimension for every layer and expert slot 1..maxExperts-1. Genes of layers
 * beyond numLayers, or of experts beyond a layer's numExperts, are inactive; `encodeArch` fills
 * them with a copy of the last active value, so an arch has one canonical gene vector and a
 * mutation that adds a layer (or an expert) grows a copy of its neighbour. AutoMoE repairs a
 * grown expert list with random widths instead; with mutation the copied genes are resampled at
 * the mutation rate too, so both reach every width.
 *
 * A homogeneous space (AutoDistil) has ONE gene per per-layer dimension, keyed
 * `encoder.numHeads[*]`: it sets every layer, so mutation, crossover and MAGIC-T's one-gene
 * change move all layers together, and it is always active. A derived dimension (ffnDim in a
 * space with mlpRatio) has no gene; the gene that sets it (mlpRatio) sits in its place.
 */
import { Dimension, archPart, buildArch, geneDimensions, isHomogeneous, layerExperts, maxChoice, spaceChoices, spaceParts } from "./schema";
import type { Arch, Part, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** One gene: which field (and layer, and expert) it sets, and the values its index selects. */
export interface GeneSpec {
  /** Stable name, e.g. "decoder.ffnDim[2]", "encoder.embedDim" or "encoder.expertFfnDim[1][2]". */
  readonly key: string;
  /** Allowed values (ascending); the gene is an index into this list. */
  readonly choices: readonly number[];
  /** Layer index, for per-layer and per-expert fields (absent for a gene that sets all layers). */
  readonly layer?: number;
  /** Set on the one gene of a per-layer field in a homogeneous space: it sets every layer. */
  readonly allLayers?: true;
  /** Expert index (1..maxExperts-1), for per-expert fields. */
  readonly expert?: number;
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
  for (const part of spaceParts(space)) {
    const dims = geneDimensions(space, part);
    const maxLayers = maxChoice(space, part, "numLayers");
    const add = (d: Dimension, layer?: number, expert?: number) => {
      const key = `${part}.${d.field}${layer === undefined ? "" : `[${layer}]`}${expert === undefined ? "" : `[${expert}]`}`;
      const spec: GeneSpec = { key, choices: spaceChoices(space, part, d.field), ...(layer === undefined ? {} : { layer }), ...(expert === undefined ? {} : { expert }), part, field: d.field };
      specs.push(Object.freeze(spec));
    };
    const addAllLayers = (d: Dimension) => specs.push(Object.freeze({ key: `${part}.${d.field}[*]`, choices: spaceChoices(space, part, d.field), allLayers: true, part, field: d.field } as GeneSpec));
    for (const d of dims.filter((x) => x.scope === "part")) add(d);
    for (const d of dims.filter((x) => x.scope === "layer")) {
      if (isHomogeneous(space)) addAllLayers(d);
      else for (let layer = 0; layer < maxLayers; layer++) add(d, layer);
    }
    for (const d of dims.filter((x) => x.scope === "expert")) {
      const maxExperts = maxChoice(space, part, "numExperts");
      for (let layer = 0; layer < maxLayers; layer++) for (let expert = 1; expert < maxExperts; expert++) add(d, layer, expert);
    }
  }
  Object.freeze(specs);
  cache.set(space, specs);
  return specs;
}

/** Whether a gene changes the arch: scalars and all-layer genes always, per-layer genes below numLayers, per-expert genes below the layer's numExperts. */
export function isGeneActive(spec: GeneSpec, arch: Arch): boolean {
  if (spec.layer === undefined) return true;
  if (spec.layer >= archPart(arch, spec.part, "genes").numLayers) return false;
  return spec.expert === undefined || spec.expert < layerExperts(arch, spec.part, spec.layer);
}

/** The value a gene holds for an arch: its own, or for an inactive gene a copy of the last active one. */
function geneValue(arch: Arch, spec: GeneSpec): number {
  const part = archPart(arch, spec.part, "genes");
  const p = part as unknown as Record<string, number | number[] | number[][]>;
  if (spec.allLayers) return (p[spec.field] as number[])[0];
  if (spec.layer === undefined) return p[spec.field] as number;
  const layer = Math.min(spec.layer, part.numLayers - 1);
  if (spec.expert === undefined) return (p[spec.field] as number[])[layer];
  // Experts 1.. of a layer; with none, copy expert 0's width (ffnDim), the layer's last active expert.
  const widths = (p[spec.field] as number[][])[layer];
  return widths.length === 0 ? (p.ffnDim as number[])[layer] : widths[Math.min(spec.expert - 1, widths.length - 1)];
}

/** The arch as choice indices; inactive genes copy the last active value (validated). */
export function encodeArch(space: SearchSpace, arch: Arch): number[] {
  validateArch(space, arch);
  return geneSpecs(space).map((spec) => {
    const i = spec.choices.indexOf(geneValue(arch, spec));
    // A copied ffnDim may not be an expert width choice: the nearest choice not above it, else the smallest.
    if (i >= 0) return i;
    const below = spec.choices.filter((c) => c <= geneValue(arch, spec)).length;
    return Math.max(0, below - 1);
  });
}

/** The arch that a gene vector selects; genes of inactive layers and experts are ignored. */
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

const firstGene = new WeakMap<SearchSpace, Map<string, number>>();

/** Position of a gene in the vector: each field's genes are contiguous, layer-major then expert; one per per-layer field when homogeneous. */
function geneIndex(space: SearchSpace): (part: Part, field: string, layer?: number, expert?: number) => number {
  let first = firstGene.get(space);
  if (!first) {
    first = new Map();
    geneSpecs(space).forEach((s, i) => {
      const f = first as Map<string, number>;
      if (!f.has(`${s.part}.${s.field}`)) f.set(`${s.part}.${s.field}`, i);
    });
    firstGene.set(space, first);
  }
  const starts = first;
  const slots = (part: Part) => (space[part]?.numExperts ? maxChoice(space, part, "numExperts") - 1 : 0);
  const perLayer = isHomogeneous(space) ? () => 0 : (layer: number) => layer;
  return (part, field, layer, expert) => (starts.get(`${part}.${field}`) as number) + (layer === undefined ? 0 : expert === undefined ? perLayer(layer) : layer * slots(part) + expert - 1);
}

/** decodeArch without the checks, for inner loops over genes already known to be in range. */
export function decodeTrusted(space: SearchSpace, genes: readonly number[]): Arch {
  const specs = geneSpecs(space);
  const at = geneIndex(space);
  return buildArch(space, (part, field, layer, expert) => {
    const i = at(part, field, layer, expert);
    return specs[i].choices[genes[i]];
  });
}
