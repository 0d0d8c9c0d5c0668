/**
 * Validation of an arch against a space: the boundary check of every public function that
 * takes an arch (HAT, Wang et al., ACL 2020, trusts its configs; we do not). Errors name the
 * field, the layer, the value and the allowed values, e.g.
 * `decoder.ffnDim[2] = 1500 is not allowed; allowed: 256, 384, 512`.
 * Extra fields are ignored here (other modules extend Arch, e.g. with experts per layer).
 */
import { layerFields, parts, spaceChoices } from "./fields";
import type { Arch, SearchSpace } from "./types";

/** Every problem of an arch in a space, as readable lines (empty when the arch is valid). */
export function archProblems(space: SearchSpace, arch: unknown): string[] {
  if (!isObject(arch)) return [`arch must be an object, got ${describe(arch)}`];
  const problems: string[] = [];
  for (const part of parts) {
    const value = arch[part];
    if (!isObject(value)) {
      problems.push(`${part} is missing (got ${describe(value)})`);
      continue;
    }
    for (const field of ["embedDim", "numLayers"]) {
      checkValue(problems, `${part}.${field}`, value[field], spaceChoices(space, part, field));
    }
    const numLayers = value.numLayers;
    const expected = typeof numLayers === "number" && Number.isInteger(numLayers) ? numLayers : undefined;
    for (const field of layerFields[part]) {
      const key = `${part}.${field}`;
      const values = value[field];
      if (!Array.isArray(values)) {
        problems.push(`${key} must be an array with one entry per layer, got ${describe(values)}`);
        continue;
      }
      if (expected !== undefined && values.length !== expected) {
        problems.push(`${key} has ${values.length} entries, expected numLayers = ${expected}`);
      }
      values.forEach((v, i) => checkValue(problems, `${key}[${i}]`, v, spaceChoices(space, part, field)));
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

function checkValue(problems: string[], key: string, value: unknown, allowed: readonly number[]): void {
  if (value === undefined) problems.push(`${key} is missing; allowed: ${allowed.join(", ")}`);
  else if (typeof value !== "number" || !Number.isInteger(value))
    problems.push(`${key} = ${describe(value)} is not an integer; allowed: ${allowed.join(", ")}`);
  else if (!allowed.includes(value)) problems.push(`${key} = ${value} is not allowed; allowed: ${allowed.join(", ")}`);
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
