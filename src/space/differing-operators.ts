/**
 * The operators in which two children differ, at the granularity of MAGIC's Observation 1
 * (Xu et al., ICML 2022: gradient similarity of shared operators falls as the number of
 * differing operators grows), derived from the schema: each dimension names the operator it
 * configures. The operators of a HAT-style encoder-decoder are `encoder.embedding`,
 * `decoder.embedding`, and per layer i `encoder.layer[i].selfAttn`, `encoder.layer[i].ffn`,
 * `decoder.layer[i].selfAttn`, `decoder.layer[i].crossAttn` and `decoder.layer[i].ffn` (an
 * AutoMoE layer's experts, their widths and its top-k all belong to its ffn). A SuperShaper
 * layer (MoS-BERT's space) also has `encoder.layer[i].bottleneck`, set by its layerHiddenDim: like
 * embedDim, that one gene resizes the layer's attention and FFN too, and counts once.
 * An operator differs when its OWN setting differs. A change of embedDim also changes the input
 * width of every layer of that part, but it is one gene and counts once (as the embedding), so
 * the count follows the number of changed choices. A layer present in one arch only counts all
 * of its operators as differing. A derived dimension (ffnDim set by mlpRatio) is not compared:
 * its layer's own setting is the ratio, and a new embedDim would otherwise count every FFN too.
 */
import { Dimension, OperatorKind, dimensionValue, parts, schema } from "./schema";
import type { Arch } from "./types";

/** The operators of a layer, in the order a layer runs them. */
export const layerOperatorOrder: readonly OperatorKind[] = Object.freeze(["bottleneck", "selfAttn", "crossAttn", "ffn"]);

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** The operators (names as above) in which a and b differ, in a fixed order, and their count. */
export function differingOperators(a: Arch, b: Arch): { count: number; operators: string[] } {
  const operators: string[] = [];
  for (const part of parts) {
    const pa = a[part];
    const pb = b[part];
    if (!pa || !pb) {
      if (pa || pb) throw new Error(`differingOperators: one arch has a ${part} and the other not (encoder-only against encoder-decoder)`);
      continue;
    }
    const declared = (field: string) => (pa as unknown as Record<string, unknown>)[field] !== undefined || (pb as unknown as Record<string, unknown>)[field] !== undefined;
    const dims = schema.filter((d) => d.part === part && declared(d.field) && !(d.derivedFrom !== undefined && declared(d.derivedFrom)));
    if (pa.embedDim !== pb.embedDim) operators.push(`${part}.embedding`);
    const layerOps = layerOperatorOrder.filter((op) => dims.some((d) => d.scope !== "part" && d.operator === op));
    const layers = Math.max(pa.numLayers, pb.numLayers);
    for (let i = 0; i < layers; i++) {
      const both = i < pa.numLayers && i < pb.numLayers;
      const at = (arch: Arch, d: Dimension) => (dimensionValue(arch, d) as readonly unknown[] | undefined)?.[i];
      for (const op of layerOps) {
        const differs = !both || dims.some((d) => d.operator === op && d.scope !== "part" && !same(at(a, d), at(b, d)));
        if (differs) operators.push(`${part}.layer[${i}].${op}`);
      }
    }
  }
  return { count: operators.length, operators };
}
