/**
 * MAGIC's interference probe (Xu et al., ICML 2022): two children compute gradients of the same
 * loss on the same batch; the similarity of the gradients they give one shared operator,
 * restricted to the block of its weights both use, measures how much they pull that operator
 * in the same direction. Gradients are computed once per distinct arch and reused across pairs.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import { archKey } from "../space/arch-key";
import { differingOperators } from "../space/differing-operators";
import type { Arch } from "../space/types";
import { batchTensors } from "../supernet/forward";
import { labelSmoothedLoss } from "../supernet/loss";
import { plainWeights, subnetShapes } from "../supernet/plain-weights";
import { WeightSharingModel, releaseWeights } from "../supernet/supernet";
import { getOperator, usesOperator } from "./operators";
import { cosine } from "./similarity";

/** Gradients of selected weights, as host arrays with their shapes. */
export interface HostGradients {
  readonly values: Record<string, Float32Array>;
  readonly shapes: Record<string, readonly number[]>;
}

/**
 * Gradients of the plain weights `weights` for one arch on a batch (no dropout, no label
 * smoothing: the plain task loss). They are taken at the arch's plain weights, i.e. what
 * reaches W(a): for HAT the shared weight itself, for MoS the generated weight (MAGIC's
 * operator gradient), never the expert banks behind it.
 */
export async function archGradients(model: WeightSharingModel, arch: Arch, batch: TranslationBatch, weights: readonly string[]): Promise<HostGradients> {
  const view = plainWeights(model, arch, "archGradients");
  const tensors = batchTensors(batch);
  try {
    const missing = weights.find((w) => !view[w]);
    if (missing) throw new Error(`archGradients: the "${model.kind}" model has no plain weight "${missing}"`);
    const loss = (...ws: tf.Tensor[]) => {
      const run: Record<string, tf.Tensor> = { ...view };
      weights.forEach((w, i) => (run[w] = ws[i]));
      return labelSmoothedLoss(model.forward(run, arch, tensors, null), tensors.tgtOut, tensors.tgtMask, 0);
    };
    const { value, grads } = tf.valueAndGrads(loss)(weights.map((w) => view[w]));
    const values: Record<string, Float32Array> = {};
    const shapes: Record<string, readonly number[]> = {};
    try {
      const read = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
      weights.forEach((w, i) => {
        shapes[w] = view[w].shape;
        // A copy: a backend may hand out the tensor's own storage, freed with the tensor.
        values[w] = read[i].slice();
      });
    } finally {
      tf.dispose([value, ...grads]);
    }
    return { values, shapes };
  } finally {
    tf.dispose(Object.values(tensors));
    releaseWeights(model, view);
  }
}

/** The block of a weight both archs use: element-wise min of their slice shapes. */
export function commonBlock(model: WeightSharingModel, a: Arch, b: Arch, weight: string): number[] {
  const sa = subnetShapes(model.config, a)[weight];
  const sb = subnetShapes(model.config, b)[weight];
  if (!sa || !sb) throw new Error(`weight ${weight} is not used by both archs`);
  return sa.map((d, i) => Math.min(d, sb[i]));
}

/** The entries of a row-major gradient (full shape) inside the leading block `block`. */
export function restrictToBlock(values: Float32Array, shape: readonly number[], block: readonly number[]): Float32Array {
  if (shape.length === 1) return values.slice(0, block[0]);
  const [rows, cols] = block;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * shape[1], r * shape[1] + cols), r * cols);
  return out;
}

/** One measured pair. */
export interface GradientSimilarityRow {
  readonly pair: number;
  readonly archA: string;
  readonly archB: string;
  readonly operator: string;
  readonly differing: number;
  readonly cosine: number;
}

/** Cosine similarity of the two children's gradients on `operator` (all its weights, concatenated) for each pair. */
export async function gradientSimilarity(model: WeightSharingModel, pairs: readonly (readonly [Arch, Arch])[], batch: TranslationBatch, operator: string): Promise<GradientSimilarityRow[]> {
  const op = getOperator(model.config.space, operator);
  const weights = op.weights.filter((w) => w !== "embed" || op.kind === "embedding");
  const cache = new Map<string, HostGradients>();
  const gradsOf = async (arch: Arch) => {
    const key = archKey(arch);
    if (!cache.has(key)) cache.set(key, await archGradients(model, arch, batch, weights));
    return cache.get(key) as HostGradients;
  };
  const rows: GradientSimilarityRow[] = [];
  // Pairs one after another: each arch's gradients are computed once and then served from the cache.
  for (const [pair, [a, b]] of pairs.entries()) {
    if (!usesOperator(a, op) || !usesOperator(b, op)) throw new Error(`pair ${pair}: operator ${operator} is not shared by ${archKey(a)} and ${archKey(b)}`);
    const ga = await gradsOf(a);
    const gb = await gradsOf(b);
    const partsA: Float32Array[] = [];
    const partsB: Float32Array[] = [];
    for (const w of weights) {
      const block = commonBlock(model, a, b, w);
      partsA.push(restrictToBlock(ga.values[w], ga.shapes[w], block));
      partsB.push(restrictToBlock(gb.values[w], gb.shapes[w], block));
    }
    const concat = (parts: Float32Array[]) => {
      const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) (out.set(p, o), (o += p.length));
      return out;
    };
    rows.push({ pair, archA: archKey(a), archB: archKey(b), operator, differing: differingOperators(a, b).count, cosine: cosine(concat(partsA), concat(partsB)) });
  }
  return rows;
}
