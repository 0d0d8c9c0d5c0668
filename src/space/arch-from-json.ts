/**
 * Reading an arch typed by a user: our own JSON shape (`{ encoder: {...}, decoder: {...} }`,
 * the output of `JSON.stringify(arch)`) or a HAT subtransformer config (Wang et al., ACL 2020,
 * keys such as `decoder-ffn-embed-dim-all-subtransformer`), so HAT's published archs can be
 * evaluated as they are. Unknown keys are errors here, because in typed input they are typos.
 */
import { parts, schema, spaceDimensions } from "./schema";
import { archFromHatConfig, isHatConfig } from "./hat-config";
import type { Arch, SearchSpace } from "./types";
import { describe, validateArch } from "./validate-arch";

/** Parse and validate an arch from JSON text or a parsed object; returns a fresh Arch. */
export function archFromJSON(json: unknown, space: SearchSpace): Arch {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new Error(`archFromJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`archFromJSON: expected an object with encoder and decoder, got ${describe(value)}`);
  }
  if (isHatConfig(value)) return archFromHatConfig(value, space);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => k !== "encoder" && k !== "decoder");
  for (const part of parts) {
    const p = record[part];
    if (typeof p !== "object" || p === null) continue; // validateArch reports it
    const known = new Set(spaceDimensions(space, part).map((d) => d.field));
    for (const k of Object.keys(p)) if (!known.has(k)) unknown.push(`${part}.${k}`);
  }
  if (unknown.length > 0) {
    throw new Error(`archFromJSON: unknown field(s) ${unknown.join(", ")}`);
  }
  validateArch(space, record);
  return copyArch(record);
}

/** A deep copy holding only the schema's fields of the arch. */
export function copyArch(arch: Arch): Arch {
  const copy = (part: "encoder" | "decoder") => {
    const p = arch[part] as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const d of schema.filter((x) => x.part === part && p[x.field] !== undefined)) {
      const v = p[d.field];
      out[d.field] = d.scope === "part" ? v : d.scope === "layer" ? [...(v as number[])] : (v as number[][]).map((l) => [...l]);
    }
    return out;
  };
  return (arch.decoder === undefined ? { encoder: copy("encoder") } : { encoder: copy("encoder"), decoder: copy("decoder") }) as unknown as Arch;
}
