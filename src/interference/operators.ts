/**
 * The operator catalogue of a space, derived from its schema: every operator a child can use
 * (the same names as `differingOperators`), the plain weights it owns, and the trace names of
 * its input and output. Probes address operators by these names, e.g. "encoder.layer[1].ffn".
 */
import { layerOperatorOrder } from "../space/differing-operators";
import { maxChoice, spaceDimensions, spaceParts } from "../space/schema";
import type { Arch, Part, SearchSpace } from "../space/types";

/** One operator of the supernet. */
export interface OperatorInfo {
  readonly name: string;
  readonly part: "encoder" | "decoder";
  readonly layer: number | null;
  readonly kind: "embedding" | "bottleneck" | "selfAttn" | "crossAttn" | "ffn";
  /** Shared weights the operator owns. */
  readonly weights: readonly string[];
  /** Trace names of its input and output (null for embeddings). */
  readonly input: string | null;
  readonly output: string | null;
}

const attnWeights = (prefix: string) => ["q", "k", "v", "o"].flatMap((p) => [`${prefix}.${p}.w`, `${prefix}.${p}.b`]);
const bottleneckWeights = (prefix: string) => ["inBottleneck", "outBottleneck"].flatMap((p) => [`${prefix}.${p}.w`, `${prefix}.${p}.b`]);
const ffnWeights = (prefix: string) => [`${prefix}.fc1.w`, `${prefix}.fc1.b`, `${prefix}.fc2.w`, `${prefix}.fc2.b`];

/** Plain weights of a layer's FFN: the dense FFN (expert 0) and, in a mixture-of-experts part, experts 1.. and the token router. */
export function ffnOperatorWeights(space: SearchSpace, part: Part, prefix: string): string[] {
  if (!space[part]?.numExperts) return ffnWeights(prefix);
  const experts = maxChoice(space, part, "numExperts");
  return [...ffnWeights(prefix), ...Array.from({ length: experts - 1 }, (_, i) => ffnWeights(`${prefix}.experts.${i + 1}`)).flat(), `${prefix}.router.w`, `${prefix}.router.b`];
}

/** Every operator of the space's largest supernet, derived from the schema's operators per part. */
export function operatorCatalog(space: SearchSpace): OperatorInfo[] {
  const parts = spaceParts(space);
  const ops: OperatorInfo[] = parts.map((part) => ({ name: `${part}.embedding`, part, layer: null, kind: "embedding" as const, weights: ["embed"], input: null, output: null }));
  for (const part of parts) {
    const kinds = layerOperatorOrder.filter((op) => spaceDimensions(space, part).some((d) => d.scope !== "part" && d.operator === op)) as ("bottleneck" | "selfAttn" | "crossAttn" | "ffn")[];
    for (let l = 0; l < maxChoice(space, part, "numLayers"); l++) {
      const p = `${part === "encoder" ? "enc" : "dec"}.${l}`;
      for (const kind of kinds) {
        const weights = kind === "ffn" ? ffnOperatorWeights(space, part, p) : kind === "bottleneck" ? bottleneckWeights(p) : attnWeights(`${p}.${kind}`);
        const io = kind === "ffn" ? `${p}.ffn` : `${p}.${kind}`;
        ops.push({ name: `${part}.layer[${l}].${kind}`, part, layer: l, kind, weights, input: `${io}.in`, output: `${io}.out` });
      }
    }
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
  return op.layer < (arch[op.part]?.numLayers ?? 0);
}

/** The operators both archs use (their shared operators). */
export function sharedOperators(space: SearchSpace, a: Arch, b: Arch): OperatorInfo[] {
  return operatorCatalog(space).filter((op) => usesOperator(a, op) && usesOperator(b, op));
}
