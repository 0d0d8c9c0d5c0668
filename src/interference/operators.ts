/**
 * The operator catalogue of a space, derived from it: every operator a child can use (the same
 * names as `differingOperators`), the shared weights it owns, and the trace names of its input
 * and output. Probes address operators by these names, e.g. "encoder.layer[1].ffn".
 */
import type { Arch, SearchSpace } from "../space/types";

/** One operator of the supernet. */
export interface OperatorInfo {
  readonly name: string;
  readonly part: "encoder" | "decoder";
  readonly layer: number | null;
  readonly kind: "embedding" | "selfAttn" | "crossAttn" | "ffn";
  /** Shared weights the operator owns. */
  readonly weights: readonly string[];
  /** Trace names of its input and output (null for embeddings). */
  readonly input: string | null;
  readonly output: string | null;
}

const attnWeights = (prefix: string) => ["q", "k", "v", "o"].flatMap((p) => [`${prefix}.${p}.w`, `${prefix}.${p}.b`]);
const ffnWeights = (prefix: string) => [`${prefix}.fc1.w`, `${prefix}.fc1.b`, `${prefix}.fc2.w`, `${prefix}.fc2.b`];

/** Every operator of the space's largest supernet. */
export function operatorCatalog(space: SearchSpace): OperatorInfo[] {
  const ops: OperatorInfo[] = [
    { name: "encoder.embedding", part: "encoder", layer: null, kind: "embedding", weights: ["embed"], input: null, output: null },
    { name: "decoder.embedding", part: "decoder", layer: null, kind: "embedding", weights: ["embed"], input: null, output: null },
  ];
  for (let l = 0; l < Math.max(...space.encoder.numLayers); l++) {
    const p = `enc.${l}`;
    ops.push({ name: `encoder.layer[${l}].selfAttn`, part: "encoder", layer: l, kind: "selfAttn", weights: attnWeights(`${p}.selfAttn`), input: `${p}.selfAttn.in`, output: `${p}.selfAttn.out` });
    ops.push({ name: `encoder.layer[${l}].ffn`, part: "encoder", layer: l, kind: "ffn", weights: ffnWeights(p), input: `${p}.ffn.in`, output: `${p}.ffn.out` });
  }
  for (let l = 0; l < Math.max(...space.decoder.numLayers); l++) {
    const p = `dec.${l}`;
    ops.push({ name: `decoder.layer[${l}].selfAttn`, part: "decoder", layer: l, kind: "selfAttn", weights: attnWeights(`${p}.selfAttn`), input: `${p}.selfAttn.in`, output: `${p}.selfAttn.out` });
    ops.push({ name: `decoder.layer[${l}].crossAttn`, part: "decoder", layer: l, kind: "crossAttn", weights: attnWeights(`${p}.crossAttn`), input: `${p}.crossAttn.in`, output: `${p}.crossAttn.out` });
    ops.push({ name: `decoder.layer[${l}].ffn`, part: "decoder", layer: l, kind: "ffn", weights: ffnWeights(p), input: `${p}.ffn.in`, output: `${p}.ffn.out` });
  }
  return ops;
}

/** Looks an operator up by name, with an error listing a few valid names. */
export function getOperator(space: SearchSpace, name: string): OperatorInfo {
  const all = operatorCatalog(space);
  const op = all.find((o) => o.name === name);
  if (!op) throw new Error(`unknown operator "${name}"; operators of space ${space.name} are e.g. ${all.slice(0, 5).map((o) => o.name).join(", ")} … (${all.length} in all)`);
  return op;
}

/** True when `arch` uses the operator. */
export function usesOperator(arch: Arch, op: OperatorInfo): boolean {
  if (op.layer === null) return true;
  return op.layer < (op.part === "encoder" ? arch.encoder.numLayers : arch.decoder.numLayers);
}

/** The operators both archs use (their shared operators). */
export function sharedOperators(space: SearchSpace, a: Arch, b: Arch): OperatorInfo[] {
  return operatorCatalog(space).filter((op) => usesOperator(a, op) && usesOperator(b, op));
}
