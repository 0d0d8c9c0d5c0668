/**
 * The search-space schema: every elastic dimension of a HAT-style encoder-decoder (Wang et al.,
 * ACL 2020), of its AutoMoE extension (Jawahar et al., 2022) and of AutoDistil's BERT sub-spaces
 * (Xu et al., NeurIPS 2022) and of SuperShaper's per-layer hidden size (Ganesan et al., 2021;
 * MoS-BERT's space), declared once with what it sets. Validation, gene encoding, arch
 * keys, JSON round trips, sampling, mutation, crossover, features, differing operators, the
 * operator catalogue, HAT configs and subnet extraction are all derived from this list, so a new
 * dimension is one entry here plus the model code that reads it.
 *
 * Scopes: "part" (one value per encoder/decoder), "layer" (one per layer), "expert" (one per
 * expert 1..numExperts-1 of a layer; expert 0 is the layer's own FFN, `ffnDim`). HAT's
 * dimensions are in every space; AutoMoE's and AutoDistil's are optional: a space that declares
 * their choices has them, one that does not keeps HAT's. A derived dimension (ffnDim in a space
 * with mlpRatio) is in every arch but is no gene: `buildArch` computes it from the genes.
 * A homogeneous space picks each per-layer dimension once and repeats it over the layers.
 */
import type { Arch, ArchPart, DecoderArch, Part, SearchSpace, SpacePart } from "./types";

/** How many values a dimension has in an arch. */
export type Scope = "part" | "layer" | "expert";

/** The operator a dimension configures ("depth" adds or removes whole layers). */
export type OperatorKind = "embedding" | "depth" | "bottleneck" | "selfAttn" | "crossAttn" | "ffn";

/** Which method a dimension comes from: HAT's are in every space, the others only where declared. */
export type Family = "hat" | "automoe" | "autodistil" | "supershaper";

/** One elastic dimension. */
export interface Dimension {
  readonly part: Part;
  /** Field name in the space's and the arch's part, e.g. "ffnDim". */
  readonly field: string;
  readonly scope: Scope;
  readonly operator: OperatorKind;
  readonly family: Family;
  /** Only in spaces that declare its choices (AutoMoE's and AutoDistil's dimensions). */
  readonly optional: boolean;
  /** Whether its values are integers (widths, counts); AutoDistil's MLP ratio is not. */
  readonly integer: boolean;
  /** The field that, when a space declares it, sets this dimension's value instead of a gene. */
  readonly derivedFrom?: string;
  /** What the dimension sets, for tables and error messages. */
  readonly doc: string;
  /** Its key in HAT's subtransformer configs (HAT's own dimensions only). */
  readonly hatKey?: string;
}

/** HAT's subtransformer config key of a dense dimension, e.g. "decoder-ffn-embed-dim-all-subtransformer". */
const hatKeys: Record<string, string> = {
  embedDim: "embed-dim-subtransformer",
  numLayers: "layer-num-subtransformer",
  ffnDim: "ffn-embed-dim-all-subtransformer",
  numHeads: "self-attention-heads-all-subtransformer",
  selfHeads: "self-attention-heads-all-subtransformer",
  crossHeads: "ende-attention-heads-all-subtransformer",
  crossLayers: "arbitrary-ende-attn-all-subtransformer",
};

const dim = (part: Part, field: string, scope: Scope, operator: OperatorKind, doc: string, family: Family = "hat", extra: Partial<Pick<Dimension, "integer" | "derivedFrom">> = {}): Dimension =>
  Object.freeze({ part, field, scope, operator, family, optional: family !== "hat", integer: true, doc, ...extra, ...(family === "hat" ? { hatKey: `${part}-${hatKeys[field]}` } : {}) });

/** Dimensions of one part, in gene order: HAT's, then AutoMoE's. */
function partDimensions(part: Part): Dimension[] {
  const attention =
    part === "encoder"
      ? [dim(part, "numHeads", "layer", "selfAttn", "self-attention heads of each layer")]
      : [
          dim(part, "selfHeads", "layer", "selfAttn", "self-attention heads of each layer"),
          dim(part, "crossHeads", "layer", "crossAttn", "encoder-decoder attention heads of each layer"),
          dim(part, "crossLayers", "layer", "crossAttn", "arbitrary encoder-decoder attention: the last k encoder layers each layer attends to"),
        ];
  return [
    dim(part, "embedDim", "part", "embedding", "width of the hidden states (a slice of the shared embedding table)"),
    dim(part, "numLayers", "part", "depth", "number of layers"),
    // SuperShaper's per-layer width is the encoder's alone (MoS-BERT has no decoder).
    ...(part === "encoder" ? [dim(part, "layerHiddenDim", "layer", "bottleneck", "SuperShaper / MoS-BERT: width of each layer between its input and output bottlenecks (its attention and FFN run at this width)", "supershaper")] : []),
    dim(part, "ffnDim", "layer", "ffn", "FFN hidden width of each layer (of its expert 0 in a mixture-of-experts layer); mlpRatio × embedDim where the space declares mlpRatio", "hat", { derivedFrom: "mlpRatio" }),
    // Right after ffnDim, so that it takes ffnDim's place in the gene order.
    dim(part, "mlpRatio", "layer", "ffn", "AutoDistil: FFN width / hidden width of each layer (sets ffnDim)", "autodistil", { integer: false }),
    ...attention,
    dim(part, "numExperts", "layer", "ffn", "AutoMoE: experts of each layer's FFN (1 = dense)", "automoe"),
    dim(part, "topK", "layer", "ffn", "AutoMoE: experts each token is routed to (at most numExperts)", "automoe"),
    dim(part, "expertFfnDim", "expert", "ffn", "AutoMoE: FFN hidden width of experts 1..numExperts-1 of each layer", "automoe"),
  ];
}

/** Every dimension, in gene order (encoder, then decoder). */
export const schema: readonly Dimension[] = Object.freeze([...partDimensions("encoder"), ...partDimensions("decoder")]);

/** The two parts, in gene order. */
export const parts: readonly Part[] = Object.freeze(["encoder", "decoder"] as const);

/** The parts a space has, in gene order: both, or the encoder alone in an encoder-only (BERT) space. */
export function spaceParts(space: SearchSpace): Part[] {
  return space.decoder === undefined ? ["encoder"] : ["encoder", "decoder"];
}

/** Whether a space is encoder-only (BERT): it declares no decoder. */
export function isEncoderOnly(space: SearchSpace): boolean {
  return space.decoder === undefined;
}

/** The parts an arch has, in gene order. */
export function archParts(arch: Arch): Part[] {
  return arch.decoder === undefined ? ["encoder"] : ["encoder", "decoder"];
}

/** A part of an arch; an arch without it (encoder-only) gets an error naming `where`. */
export function archPart(arch: Arch, part: Part, where = "this operation"): ArchPart {
  const p = arch[part];
  if (p === undefined) throw new Error(`${where} needs an encoder-decoder arch; this arch is encoder-only (no ${part})`);
  return p;
}

/** The decoder of an encoder-decoder arch; an encoder-only arch gets an error naming `where`. */
export function decoderOf(arch: Arch, where = "this operation"): DecoderArch {
  return archPart(arch, "decoder", where) as DecoderArch;
}

/** A part of a space; a space without it (encoder-only) gets an error naming `where`. */
export function spacePart(space: SearchSpace, part: Part, where = "this operation"): SpacePart {
  const p = space[part];
  if (p === undefined) throw new Error(`${where} needs an encoder-decoder space; space "${space.name}" is encoder-only (no ${part})`);
  return p;
}

/** Whether a space declares a dimension: its part exists, and the dimension is HAT's or lists choices (AutoMoE's). */
export function hasDimension(space: SearchSpace, d: Dimension): boolean {
  const part = space[d.part] as unknown as Record<string, unknown> | undefined;
  return part !== undefined && (!d.optional || part[d.field] !== undefined);
}

/** The dimensions a space has, in gene order. */
export function spaceDimensions(space: SearchSpace, part?: Part): Dimension[] {
  return schema.filter((d) => (part === undefined || d.part === part) && hasDimension(space, d));
}

/** Whether a dimension's values are computed from another field the space declares (ffnDim from mlpRatio), not chosen. */
export function isDerived(space: SearchSpace, d: Dimension): boolean {
  return d.derivedFrom !== undefined && (space[d.part] as unknown as Record<string, unknown> | undefined)?.[d.derivedFrom] !== undefined;
}

/** The dimensions that are genes (chosen, not derived), in gene order. */
export function geneDimensions(space: SearchSpace, part?: Part): Dimension[] {
  return spaceDimensions(space, part).filter((d) => !isDerived(space, d));
}

/** Whether a space has mixture-of-experts layers (declares AutoMoE's dimensions). */
export function isMoeSpace(space: SearchSpace): boolean {
  return spaceDimensions(space).some((d) => d.family === "automoe");
}

/** Whether the space's layers run at their own widths between bottlenecks (SuperShaper / MoS-BERT). */
export function hasLayerHidden(space: SearchSpace): boolean {
  return space.encoder.layerHiddenDim !== undefined;
}

/** The width layer `l` of an arch's encoder runs at: its layerHiddenDim where the space has one, else embedDim. */
export function encoderLayerWidth(arch: Arch, l: number): number {
  return arch.encoder.layerHiddenDim?.[l] ?? arch.encoder.embedDim;
}

/** Whether every per-layer dimension of the space's archs takes one value for all layers. */
export function isHomogeneous(space: SearchSpace): boolean {
  return space.homogeneous === true;
}

/**
 * AutoDistil's FFN width for an MLP ratio and a hidden width. The authors slice
 * int(hidden × ratio) FFN units (microsoft/autodistil, Code/transformers/modeling_bert.py,
 * DynaLinear_v1.forward, the 'inter' case), truncating; `validateSpace` requires every product
 * of a space to be an integer, so rounding only removes floating-point noise (2.3 × 100).
 */
export function ffnWidth(ratio: number, hidden: number): number {
  return Math.round(ratio * hidden);
}

/** Whether ratio × hidden is an integer FFN width (up to floating-point noise). */
export function isIntegerWidth(ratio: number, hidden: number): boolean {
  return Math.abs(ratio * hidden - Math.round(ratio * hidden)) < 1e-9;
}

/** The value of a derived dimension at one layer, from the arch part's other values. */
function derivedValue(d: Dimension, values: Record<string, number | readonly number[]>, layer: number): number {
  if (d.field === "ffnDim") return ffnWidth((values.mlpRatio as readonly number[])[layer], values.embedDim as number);
  throw new Error(`schema: no derivation for ${d.part}.${d.field}`);
}

/** The per-layer fields of each part in HAT's dense space, in gene order. */
export const layerFields: { readonly [P in Part]: readonly string[] } = Object.freeze({
  encoder: Object.freeze(schema.filter((d) => d.part === "encoder" && d.scope === "layer" && !d.optional).map((d) => d.field)),
  decoder: Object.freeze(schema.filter((d) => d.part === "decoder" && d.scope === "layer" && !d.optional).map((d) => d.field)),
});

/** The allowed values of one field of a space. */
export function spaceChoices(space: SearchSpace, part: Part, field: string): readonly number[] {
  return (spacePart(space, part, `choices of ${part}.${field}`) as unknown as Record<string, readonly number[]>)[field];
}

/** The per-layer values of one field of an arch. */
export function layerValues(arch: Arch, part: Part, field: string): readonly number[] {
  return (archPart(arch, part, `values of ${part}.${field}`) as unknown as Record<string, readonly number[]>)[field];
}

/** An arch's value(s) of a dimension: a number, one per layer, or one list per layer. */
export function dimensionValue(arch: Arch, d: Dimension): number | readonly number[] | readonly (readonly number[])[] {
  return (archPart(arch, d.part, `values of ${d.part}.${d.field}`) as unknown as Record<string, number | readonly number[] | readonly (readonly number[])[]>)[d.field];
}

/** The number of experts of layer `layer` of a part (1 in a dense arch). */
export function layerExperts(arch: Arch, part: Part, layer: number): number {
  return arch[part]?.numExperts?.[layer] ?? 1;
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
 * Build an arch of `space` by asking `pick` for each value, in a fixed order: per part
 * (encoder, then decoder unless the space is encoder-only) its part-scoped dimensions, then each per-layer dimension for layers
 * 0..numLayers-1, then each per-expert dimension for experts 1..numExperts-1 of each layer.
 * A homogeneous space is asked once per per-layer dimension (layer 0) and the value repeated;
 * a derived dimension (ffnDim from mlpRatio) is computed, never asked.
 * Samplers rely on this order for reproducible random streams.
 */
export function buildArch(space: SearchSpace, pick: (part: Part, field: string, layer?: number, expert?: number) => number): Arch {
  const homogeneous = isHomogeneous(space);
  const build = (part: Part) => {
    const values: Record<string, number | number[] | number[][]> = {};
    const dims = spaceDimensions(space, part);
    const genes = dims.filter((d) => !isDerived(space, d));
    for (const d of genes.filter((x) => x.scope === "part")) values[d.field] = pick(part, d.field);
    const numLayers = values.numLayers as number;
    for (const d of genes.filter((x) => x.scope === "layer")) {
      if (homogeneous) {
        const v = pick(part, d.field, 0);
        values[d.field] = Array.from({ length: numLayers }, () => v);
      } else values[d.field] = Array.from({ length: numLayers }, (_, layer) => pick(part, d.field, layer));
    }
    for (const d of dims.filter((x) => isDerived(space, x))) values[d.field] = Array.from({ length: numLayers }, (_, layer) => derivedValue(d, values as Record<string, number | number[]>, layer));
    for (const d of genes.filter((x) => x.scope === "expert")) {
      const experts = values.numExperts as number[];
      values[d.field] = experts.map((n, layer) => Array.from({ length: n - 1 }, (_, e) => pick(part, d.field, layer, e + 1)));
    }
    // Fields in schema order, whatever order they were computed in.
    return Object.fromEntries(dims.map((d) => [d.field, values[d.field]]));
  };
  const encoder = build("encoder");
  if (isEncoderOnly(space)) return { encoder } as unknown as Arch;
  const decoder = build("decoder");
  return { encoder, decoder } as unknown as Arch;
}
