/**
 * A compact, stable string id for an arch, for de-duplicating search populations (HAT's
 * evolution, Wang et al., ACL 2020), keying caches and labelling result rows. Derived from the
 * schema: per part its letter, the part-scoped values joined by "x", then in brackets each
 * per-layer dimension's values (comma-separated), dimensions separated by "|"; a per-expert
 * dimension lists each layer's experts joined by "/". A dense arch reads
 * `e256x3[512,512,512|4,4,4]-d256x1[1024|4|4|2]` (an encoder-only arch: the `e` part alone); a mixture-of-experts one appends
 * `|numExperts|topK|expertFfnDim`, e.g. `...[512,256|4,4|2,1|1,1|1024,]`.
 */
import { Dimension, archParts, dimensionValue, schema, spaceDimensions, spaceParts } from "./schema";
import type { Arch, Part, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

const letter: Record<Part, string> = { encoder: "e", decoder: "d" };

/** The dimensions an arch has values for, in schema order (its own fields decide, so a key needs no space). */
function archDimensions(arch: Arch, part: Part): Dimension[] {
  return schema.filter((d) => d.part === part && (!d.optional || (arch[part] as unknown as Record<string, unknown>)[d.field] !== undefined));
}

/** A stable compact id; equal archs give equal keys and vice versa. */
export function archKey(arch: Arch): string {
  return archParts(arch)
    .map((part) => {
      const dims = archDimensions(arch, part);
      const scalars = dims.filter((d) => d.scope === "part").map((d) => dimensionValue(arch, d));
      const lists = dims.filter((d) => d.scope !== "part").map((d) => {
        const v = dimensionValue(arch, d) as readonly (number | readonly number[])[];
        return v.map((x) => (Array.isArray(x) ? x.join("/") : String(x))).join(",");
      });
      return `${letter[part]}${scalars.join("x")}[${lists.join("|")}]`;
    })
    .join("-");
}

/** Whether two archs are the same subnet (extra fields, e.g. of extended archs, are ignored). */
export function archEquals(a: Arch, b: Arch): boolean {
  return archKey(a) === archKey(b);
}

/** Parse an `archKey` back into an arch and validate it against the space. */
export function archFromKey(key: string, space: SearchSpace): Arch {
  const fail = (why: string): never => {
    throw new Error(`archFromKey: "${key}" is not an arch key of space "${space.name}" (${why}); keys look like "e64x2[128,128|4,4]-d64x1[128|4|4|2]"`);
  };
  const pieces = key.split("-");
  const parts = spaceParts(space);
  if (pieces.length !== parts.length) fail(`expected ${parts.length} part(s) separated by "-"`);
  const out: Record<string, Record<string, unknown>> = {};
  parts.forEach((part, p) => {
    const m = /^([a-z])([\d]+(?:x\d+)*)\[(.*)\]$/.exec(pieces[p]);
    if (!m || m[1] !== letter[part]) fail(`${part} should read ${letter[part]}<embed>x<layers>[...]`);
    const dims = spaceDimensions(space, part);
    const scalars = dims.filter((d) => d.scope === "part");
    const lists = dims.filter((d) => d.scope !== "part");
    const scalarValues = (m as RegExpExecArray)[2].split("x").map(Number);
    const listValues = (m as RegExpExecArray)[3].split("|");
    if (scalarValues.length !== scalars.length || listValues.length !== lists.length) fail(`${part} has ${scalarValues.length} scalars and ${listValues.length} lists, space expects ${scalars.length} and ${lists.length}`);
    const values: Record<string, unknown> = {};
    scalars.forEach((d, i) => (values[d.field] = scalarValues[i]));
    lists.forEach((d, i) => {
      const items = listValues[i] === "" && values.numLayers === 0 ? [] : listValues[i].split(",");
      values[d.field] = d.scope === "expert" ? items.map((s) => (s === "" ? [] : s.split("/").map(Number))) : items.filter((s) => s !== "").map(Number);
    });
    out[part] = values;
  });
  validateArch(space, out);
  return out as unknown as Arch;
}
