/**
 * Validation of an arch against a space: the boundary check of every public function that
 * takes an arch (HAT, Wang et al., ACL 2020, trusts its configs; we do not). Errors name the
 * field, the layer, the value and the allowed values, e.g.
 * `decoder.ffnDim[2] = 1500 is not allowed; allowed: 256, 384, 512`.
 * Fields come from the space's schema (`schema.ts`); extra fields are ignored here (typed input
 * is checked for unknown keys by `archFromJSON`). A space with mlpRatio also needs each
 * ffnDim to equal ratio × embedDim; a homogeneous space needs one value per per-layer field.
 */
import { ffnWidth, isDerived, isEncoderOnly, isHomogeneous, spaceChoices, spaceDimensions, spaceParts } from "./schema";
import type { Arch, SearchSpace } from "./types";

/** Every problem of an arch in a space, as readable lines (empty when the arch is valid). */
export function archProblems(space: SearchSpace, arch: unknown): string[] {
  if (!isObject(arch)) return [`arch must be an object, got ${describe(arch)}`];
  const problems: string[] = [];
  if (isEncoderOnly(space) && arch.decoder !== undefined) problems.push(`decoder must be absent: space "${space.name}" is encoder-only`);
  for (const part of spaceParts(space)) {
    const value = arch[part];
    if (!isObject(value)) {
      problems.push(`${part} is missing (got ${describe(value)})`);
      continue;
    }
    const dims = spaceDimensions(space, part);
    for (const d of dims.filter((x) => x.scope === "part")) checkValue(problems, `${part}.${d.field}`, value[d.field], spaceChoices(space, part, d.field), d.integer);
    const numLayers = value.numLayers;
    const expected = typeof numLayers === "number" && Number.isInteger(numLayers) ? numLayers : undefined;
    const perLayer = (key: string, values: unknown, check: (v: unknown, i: number) => void) => {
      if (!Array.isArray(values)) {
        problems.push(`${key} must be an array with one entry per layer, got ${describe(values)}`);
        return;
      }
      if (expected !== undefined && values.length !== expected) problems.push(`${key} has ${values.length} entries, expected numLayers = ${expected}`);
      values.forEach(check);
    };
    for (const d of dims.filter((x) => x.scope === "layer")) {
      const key = `${part}.${d.field}`;
      perLayer(key, value[d.field], (v, i) => checkValue(problems, `${key}[${i}]`, v, spaceChoices(space, part, d.field), d.integer));
    }
    for (const d of dims.filter((x) => isDerived(space, x))) checkDerived(problems, part, value, d.field);
    if (isHomogeneous(space)) {
      for (const d of dims.filter((x) => x.scope === "layer" && !isDerived(space, x))) checkHomogeneous(problems, space.name, `${part}.${d.field}`, value[d.field]);
    }
    for (const d of dims.filter((x) => x.scope === "expert")) {
      const key = `${part}.${d.field}`;
      const experts = Array.isArray(value.numExperts) ? (value.numExperts as unknown[]) : [];
      perLayer(key, value[d.field], (list, i) => {
        const n = experts[i];
        if (!Array.isArray(list)) problems.push(`${key}[${i}] must be a list of the widths of experts 1..numExperts-1, got ${describe(list)}`);
        else {
          if (typeof n === "number" && list.length !== n - 1) problems.push(`${key}[${i}] has ${list.length} entries, expected numExperts[${i}] - 1 = ${n - 1}`);
          list.forEach((v, e) => checkValue(problems, `${key}[${i}][${e + 1}]`, v, spaceChoices(space, part, d.field)));
        }
      });
    }
  }
  return problems;
}

/** Throw an error listing every problem of the arch (field, layer, value, allowed values). */
export function validateArch(space: SearchSpace, arch: unknown): asserts arch is Arch {
  const problems = archProblems(space, arch);
  if (problems.length > 0) {
    throw new Error(`arch is not in search space "${space.name}"${formatProblems(problems)}`);
  }
}

/** Whether the arch is in the space. */
export function isValidArch(space: SearchSpace, arch: unknown): arch is Arch {
  return archProblems(space, arch).length === 0;
}

function checkValue(problems: string[], key: string, value: unknown, allowed: readonly number[], integer = true): void {
  if (value === undefined) problems.push(`${key} is missing; allowed: ${allowed.join(", ")}`);
  else if (typeof value !== "number" || (integer ? !Number.isInteger(value) : !Number.isFinite(value)))
    problems.push(`${key} = ${describe(value)} is not ${integer ? "an integer" : "a number"}; allowed: ${allowed.join(", ")}`);
  else if (!allowed.includes(value)) problems.push(`${key} = ${value} is not allowed; allowed: ${allowed.join(", ")}`);
}

// ffnDim is what the model reads, mlpRatio is the gene: an arch must not let them disagree.
function checkDerived(problems: string[], part: string, value: Record<string, unknown>, field: string): void {
  const ratios = value.mlpRatio;
  const widths = value[field];
  const hidden = value.embedDim;
  if (!Array.isArray(ratios) || !Array.isArray(widths) || typeof hidden !== "number") return; // reported above
  ratios.forEach((r, i) => {
    if (typeof r !== "number" || widths[i] === undefined) return;
    const want = ffnWidth(r, hidden);
    if (widths[i] !== want) problems.push(`${part}.${field}[${i}] = ${describe(widths[i])} must equal ${part}.mlpRatio[${i}] × embedDim = ${r} × ${hidden} = ${want}`);
  });
}

// Names the layers whose value differs from layer 0's, so the message points at the fix.
function checkHomogeneous(problems: string[], spaceName: string, key: string, values: unknown): void {
  if (!Array.isArray(values) || values.length < 2) return;
  const odd = values.map((v, i) => [v, i] as const).filter(([v]) => v !== values[0]);
  if (odd.length === 0) return;
  const where = odd.map(([v, i]) => `layer ${i} has ${describe(v)}`).join(", ");
  problems.push(`${key} = ${describe(values)} differs across layers (layer 0 has ${describe(values[0])}, ${where}); space "${spaceName}" is homogeneous: every layer takes the same value`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** One problem inline, several on their own lines. */
export function formatProblems(problems: readonly string[]): string {
  return problems.length === 1 ? `: ${problems[0]}` : `:\n  ${problems.join("\n  ")}`;
}

/** A short description of a bad value for error messages. */
export function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(describe).join(", ")}]`;
  if (typeof x === "object" && x !== null) return "an object";
  return String(x);
}
