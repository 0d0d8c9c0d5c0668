/**
 * Validation of a search space (HAT's `space0.yml` as typed data, Wang et al., ACL 2020).
 * A valid space guarantees that EVERY combination of choices is a runnable arch, so genes are
 * independent: sampling, mutation and crossover never need a repair step. That is why heads
 * must divide qkvDim and why crossLayers may not exceed the SMALLEST encoder depth.
 * AutoDistil's options (Xu et al., NeurIPS 2022) keep that promise too: with mlpRatio, every
 * ratio × embedDim product must be an integer FFN width; with headDim, any head count works.
 * SuperShaper's per-layer hidden size (MoS-BERT's space) needs every head count to divide every
 * layer width, since a layer's attention is as wide as the layer.
 */
import { ffnWidth, hasDimension, isIntegerWidth, isMoeSpace, schema, spaceChoices, spaceDimensions, spaceParts } from "./schema";
import type { DecoderChoices, Part, SearchSpace, Seq2SeqSpace } from "./types";
import { formatProblems } from "./validate-arch";

/** Every problem of a space, as readable lines (empty when the space is valid). */
export function spaceProblems(space: SearchSpace): string[] {
  const problems: string[] = [];
  if (typeof space?.name !== "string" || space.name.length === 0) problems.push("name must be a non-empty string");
  if (!isPositiveInt(space?.qkvDim)) problems.push(`qkvDim = ${space?.qkvDim} must be a positive integer`);
  const shape: string[] = [];
  if (typeof space?.encoder !== "object" || space.encoder === null) shape.push("encoder is missing");
  if (space?.decoder !== undefined && (typeof space.decoder !== "object" || space.decoder === null)) shape.push("decoder must be an object, or absent in an encoder-only (BERT) space");
  if (shape.length > 0) return [...problems, ...shape];
  for (const part of spaceParts(space)) {
    if (typeof space?.[part] !== "object" || space[part] === null) {
      problems.push(`${part} is missing`);
      continue;
    }
    const known = new Set(schema.filter((d) => d.part === part).map((d) => d.field));
    const unknown = Object.keys(space[part] as object).filter((k) => !known.has(k));
    if (unknown.length > 0) problems.push(`${part} has unknown field(s) ${unknown.join(", ")}; fields: ${[...known].join(", ")}`);
    const declared = schema.filter((d) => d.part === part && d.family === "automoe" && hasDimension(space, d)).map((d) => d.field);
    const optional = schema.filter((d) => d.part === part && d.family === "automoe").map((d) => d.field);
    if (declared.length > 0 && declared.length < optional.length) {
      problems.push(`${part} declares ${declared.join(", ")} but not ${optional.filter((f) => !declared.includes(f)).join(", ")}: a mixture-of-experts part declares all of ${optional.join(", ")}`);
    }
    for (const d of spaceDimensions(space, part)) {
      const choices = spaceChoices(space, part, d.field);
      const key = `${part}.${d.field}`;
      if (!Array.isArray(choices) || choices.length === 0) {
        problems.push(`${key} must be a non-empty array of choices`);
        continue;
      }
      if (!choices.every(d.integer ? isPositiveInt : isPositiveNumber)) problems.push(`${key} = [${choices}] must hold positive ${d.integer ? "integers" : "numbers"}`);
      // Ascending order fixes what a gene index means; duplicates would make two indices equal.
      else if (!choices.every((c, i) => i === 0 || c > choices[i - 1]))
        problems.push(`${key} = [${choices}] must be strictly ascending (sorted, no duplicates)`);
    }
  }
  if (space.headDim !== undefined && !isPositiveInt(space.headDim)) problems.push(`headDim = ${space.headDim} must be a positive integer, or absent (HAT: heads split the fixed qkvDim)`);
  if (space.homogeneous !== undefined && typeof space.homogeneous !== "boolean") problems.push(`homogeneous = ${String(space.homogeneous)} must be true, false or absent`);
  if (problems.length > 0) return problems;
  if (space.homogeneous && isMoeSpace(space)) problems.push(`homogeneous is set, but space "${space.name}" has mixture-of-experts dimensions; homogeneous spaces are dense`);
  for (const part of spaceParts(space)) problems.push(...ratioProblems(space, part));
  const heads: Array<[string, readonly number[]]> = [["encoder.numHeads", space.encoder.numHeads]];
  if (space.decoder) heads.push(["decoder.selfHeads", space.decoder.selfHeads], ["decoder.crossHeads", space.decoder.crossHeads]);
  if (space.encoder.layerHiddenDim !== undefined) return [...problems, ...layerHiddenProblems(space)];
  if (space.headDim === undefined) {
    for (const [key, choices] of heads) {
      const bad = choices.filter((h) => space.qkvDim % h !== 0);
      if (bad.length > 0) problems.push(`${key} choices ${bad.join(", ")} do not divide qkvDim = ${space.qkvDim}`);
    }
  } else {
    // qkvDim stays the supernet's widest q/k/v, so code that sizes shared weights by it is right in both conventions.
    const want = widestQkv(space.headDim, heads);
    if (space.qkvDim !== want) problems.push(`qkvDim = ${space.qkvDim} must equal headDim × the largest head count = ${space.headDim} × ${want / space.headDim} = ${want} (defineSpace derives it when omitted)`);
  }
  if (!space.decoder) return problems;
  const maxCross = Math.max(...space.decoder.crossLayers);
  const minEnc = Math.min(...space.encoder.numLayers);
  if (maxCross > minEnc)
    problems.push(
      `decoder.crossLayers choice ${maxCross} exceeds the smallest encoder.numLayers choice ${minEnc}` +
        " (every decoder layer must be able to attend to that many encoder layers)",
    );
  return problems;
}

/** Problems of SuperShaper's per-layer hidden size: encoder-only, dense, HAT-style attention rule, heads dividing every width. */
function layerHiddenProblems(space: SearchSpace): string[] {
  const hidden = space.encoder.layerHiddenDim as readonly number[];
  const problems: string[] = [];
  const clash = (what: string) => problems.push(`encoder.layerHiddenDim is declared together with ${what}; a space with per-layer hidden sizes (SuperShaper, MoS-BERT) has neither`);
  if (space.decoder !== undefined) clash("a decoder (it is for encoder-only spaces)");
  if (isMoeSpace(space)) clash("mixture-of-experts dimensions");
  if (space.encoder.mlpRatio !== undefined) clash("mlpRatio");
  if (space.headDim !== undefined) clash("headDim (its attention is as wide as the layer)");
  for (const h of space.encoder.numHeads) {
    const bad = hidden.filter((w) => w % h !== 0);
    if (bad.length > 0) problems.push(`encoder.numHeads choice ${h} does not divide encoder.layerHiddenDim choice(s) ${bad.join(", ")} (a layer's attention is as wide as the layer)`);
  }
  const widest = Math.max(...hidden);
  if (space.qkvDim !== widest) problems.push(`qkvDim = ${space.qkvDim} must equal the largest encoder.layerHiddenDim = ${widest}, the widest attention (defineSpace derives it when omitted)`);
  return problems;
}

/** Problems of a part's mlpRatio: every ratio × embedDim must be an integer, and ffnDim must list exactly those widths. */
function ratioProblems(space: SearchSpace, part: Part): string[] {
  const p = space[part];
  if (p?.mlpRatio === undefined) return [];
  const problems: string[] = [];
  for (const r of p.mlpRatio) {
    for (const h of p.embedDim) if (!isIntegerWidth(r, h)) problems.push(`${part}.mlpRatio ${r} × embedDim ${h} = ${r * h} is not an integer FFN width; choose ratios whose products with every embedDim choice are integers`);
  }
  if (problems.length > 0) return problems;
  const want = ratioWidths(p.mlpRatio, p.embedDim);
  if (p.ffnDim.join() !== want.join()) problems.push(`${part}.ffnDim = [${p.ffnDim}] must list exactly the widths mlpRatio × embedDim can take, [${want}] (defineSpace derives it when omitted)`);
  return problems;
}

/** Every FFN width ratio × hidden of the choices, ascending, without duplicates. */
function ratioWidths(ratios: readonly number[], hidden: readonly number[]): number[] {
  return Array.from(new Set(ratios.flatMap((r) => hidden.map((h) => ffnWidth(r, h))))).sort((a, b) => a - b);
}

/** The widest q/k/v any attention of a headDim space has. */
function widestQkv(headDim: number, heads: Array<[string, readonly number[]]>): number {
  return headDim * Math.max(...heads.flatMap(([, choices]) => choices));
}

/** Throw an error listing every problem of the space; returns the space for chaining. */
export function validateSpace(space: SearchSpace): SearchSpace {
  const problems = spaceProblems(space);
  if (problems.length > 0) {
    throw new Error(`invalid search space "${space?.name}"${formatProblems(problems)}`);
  }
  return space;
}

/** A part as written by a user: ffnDim may be left out when mlpRatio sets it. */
type PartDefinition<P> = Omit<P, "ffnDim"> & { readonly ffnDim?: readonly number[] };

/** A space as written by a user: ffnDim may be omitted with mlpRatio, qkvDim with headDim or layerHiddenDim (both are then derived). */
export type SpaceDefinition = Omit<SearchSpace, "encoder" | "decoder" | "qkvDim"> & {
  readonly encoder: PartDefinition<SearchSpace["encoder"]>;
  readonly decoder?: PartDefinition<DecoderChoices>;
  readonly qkvDim?: number;
};

/**
 * Validate a user-written space and freeze it deeply, so it behaves like the presets. With
 * mlpRatio, an omitted ffnDim becomes every ratio × embedDim width; with headDim, an omitted
 * qkvDim becomes headDim × the largest head count.
 */
export function defineSpace(space: Seq2SeqSpace): Seq2SeqSpace;
export function defineSpace(space: SpaceDefinition): SearchSpace;
export function defineSpace(input: SpaceDefinition): SearchSpace {
  const space = completeSpace(input);
  validateSpace(space);
  return deepFreeze({
    name: space.name,
    encoder: copyChoices(space, "encoder"),
    ...(space.decoder ? { decoder: copyChoices(space, "decoder") } : {}),
    qkvDim: space.qkvDim,
    ...(space.headDim !== undefined ? { headDim: space.headDim } : {}),
    ...(space.homogeneous !== undefined ? { homogeneous: space.homogeneous } : {}),
  } as SearchSpace);
}

// Fills in what defineSpace derives; anything malformed is left for validateSpace to report.
function completeSpace(input: SpaceDefinition): SearchSpace {
  if (typeof input !== "object" || input === null) return input as unknown as SearchSpace;
  const part = <P extends { mlpRatio?: readonly number[]; embedDim: readonly number[]; ffnDim?: readonly number[] }>(p: P | undefined) =>
    p !== null && typeof p === "object" && p.ffnDim === undefined && Array.isArray(p.mlpRatio) && Array.isArray(p.embedDim) ? { ...p, ffnDim: ratioWidths(p.mlpRatio, p.embedDim) } : p;
  const encoder = part(input.encoder);
  const decoder = part(input.decoder);
  const heads = [input.encoder?.numHeads, input.decoder?.selfHeads, input.decoder?.crossHeads].filter(Array.isArray).map((c) => ["", c] as [string, readonly number[]]);
  const hidden = input.encoder?.layerHiddenDim;
  const qkvDim =
    input.qkvDim !== undefined ? input.qkvDim
    : Array.isArray(hidden) && hidden.length > 0 ? Math.max(...hidden)
    : isPositiveInt(input.headDim) && heads.length > 0 ? widestQkv(input.headDim as number, heads)
    : input.qkvDim;
  return { ...input, encoder, ...(input.decoder !== undefined ? { decoder } : {}), qkvDim } as SearchSpace;
}

// Copies the arrays (the schema's fields, all others were rejected) so that freezing never touches the caller's objects.
function copyChoices(space: SearchSpace, part: "encoder" | "decoder"): object {
  return Object.fromEntries(spaceDimensions(space, part).map((d) => [d.field, [...spaceChoices(space, part, d.field)]]));
}

function isPositiveInt(x: unknown): boolean {
  return typeof x === "number" && Number.isInteger(x) && x > 0;
}

function isPositiveNumber(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
