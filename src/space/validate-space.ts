/**
 * Validation of a search space (HAT's `space0.yml` as typed data, Wang et al., ACL 2020).
 * A valid space guarantees that EVERY combination of choices is a runnable arch, so genes are
 * independent: sampling, mutation and crossover never need a repair step. That is why heads
 * must divide qkvDim and why crossLayers may not exceed the SMALLEST encoder depth.
 */
import { hasDimension, schema, spaceChoices, spaceDimensions, spaceParts } from "./schema";
import type { SearchSpace, Seq2SeqSpace } from "./types";
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
    const declared = schema.filter((d) => d.part === part && d.optional && hasDimension(space, d)).map((d) => d.field);
    const optional = schema.filter((d) => d.part === part && d.optional).map((d) => d.field);
    if (declared.length > 0 && declared.length < optional.length) {
      problems.push(`${part} declares ${declared.join(", ")} but not ${optional.filter((f) => !declared.includes(f)).join(", ")}: a mixture-of-experts part declares all of ${optional.join(", ")}`);
    }
    for (const field of spaceDimensions(space, part).map((d) => d.field)) {
      const choices = spaceChoices(space, part, field);
      const key = `${part}.${field}`;
      if (!Array.isArray(choices) || choices.length === 0) {
        problems.push(`${key} must be a non-empty array of choices`);
        continue;
      }
      if (!choices.every(isPositiveInt)) problems.push(`${key} = [${choices}] must hold positive integers`);
      // Ascending order fixes what a gene index means; duplicates would make two indices equal.
      else if (!choices.every((c, i) => i === 0 || c > choices[i - 1]))
        problems.push(`${key} = [${choices}] must be strictly ascending (sorted, no duplicates)`);
    }
  }
  if (problems.length > 0) return problems;
  const heads: Array<[string, readonly number[]]> = [["encoder.numHeads", space.encoder.numHeads]];
  if (space.decoder) heads.push(["decoder.selfHeads", space.decoder.selfHeads], ["decoder.crossHeads", space.decoder.crossHeads]);
  for (const [key, choices] of heads) {
    const bad = choices.filter((h) => space.qkvDim % h !== 0);
    if (bad.length > 0) problems.push(`${key} choices ${bad.join(", ")} do not divide qkvDim = ${space.qkvDim}`);
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

/** Throw an error listing every problem of the space; returns the space for chaining. */
export function validateSpace(space: SearchSpace): SearchSpace {
  const problems = spaceProblems(space);
  if (problems.length > 0) {
    throw new Error(`invalid search space "${space?.name}"${formatProblems(problems)}`);
  }
  return space;
}

/** Validate a user-written space and freeze it deeply, so it behaves like the presets. */
export function defineSpace(space: Seq2SeqSpace): Seq2SeqSpace;
export function defineSpace(space: SearchSpace): SearchSpace;
export function defineSpace(space: SearchSpace): SearchSpace {
  validateSpace(space);
  return deepFreeze({
    name: space.name,
    encoder: copyChoices(space, "encoder"),
    ...(space.decoder ? { decoder: copyChoices(space, "decoder") } : {}),
    qkvDim: space.qkvDim,
  } as SearchSpace);
}

// Copies the arrays (the schema's fields, all others were rejected) so that freezing never touches the caller's objects.
function copyChoices(space: SearchSpace, part: "encoder" | "decoder"): object {
  return Object.fromEntries(spaceDimensions(space, part).map((d) => [d.field, [...spaceChoices(space, part, d.field)]]));
}

function isPositiveInt(x: unknown): boolean {
  return typeof x === "number" && Number.isInteger(x) && x > 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
