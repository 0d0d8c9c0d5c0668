/**
 * MAGIC's two observations as experiments on our supernets. Observation 1: the gradient
 * similarity of a shared operator falls as the number of operators in which two children
 * differ grows. Observation 2: it rises with the similarity of the operator's inputs and
 * outputs under the two children. Pairs are built around sampled anchors by changing k genes.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import { archKey } from "../space/arch-key";
import { resampleOneGeneWithKey } from "../space/resample-one-gene";
import { sampleArch } from "../space/sample-arch";
import type { Arch, SearchSpace } from "../space/types";
import { bootstrapCi } from "../stats/bootstrap";
import { batchTensors } from "../supernet/forward";
import type { WeightSharingModel } from "../supernet/supernet";
import { Rng } from "../util/rng";
import { GradientSimilarityRow, gradientSimilarity } from "./gradient-probe";
import { getOperator, usesOperator } from "./operators";
import { ActivationSimilarity, activationSimilarity } from "./similarity";

/** Pairs (anchor, anchor with k distinct genes changed) for k = 1..maxChanges, keeping `operator` shared. */
export function perturbationPairs(space: SearchSpace, operator: string, options: { anchors: number; maxChanges: number; rng: Rng }): [Arch, Arch][] {
  const op = getOperator(space, operator);
  const pairs: [Arch, Arch][] = [];
  for (let i = 0; i < options.anchors; i++) {
    let anchor = sampleArch(space, options.rng);
    for (let tries = 0; !usesOperator(anchor, op) && tries < 100; tries++) anchor = sampleArch(space, options.rng);
    for (let k = 1; k <= options.maxChanges; k++) {
      let child = anchor;
      const changed = new Set<string>();
      for (let tries = 0; changed.size < k && tries < 50 * k; tries++) {
        const next = resampleOneGeneWithKey(space, child, options.rng);
        if (changed.has(next.key)) continue; // k distinct genes, not one gene k times
        if (!usesOperator(next.arch, op)) continue;
        changed.add(next.key);
        child = next.arch;
      }
      if (archKey(child) !== archKey(anchor)) pairs.push([anchor, child]);
    }
  }
  return pairs;
}

/** Observation 2's row: gradient cosine with the operator's input and output similarity. */
export interface IoSimilarityRow extends GradientSimilarityRow {
  readonly inputSimilarity: number;
  readonly outputSimilarity: number;
}

/** Gradient cosine and input/output similarity of `operator` for each pair, on one batch. */
export async function ioSimilarity(model: WeightSharingModel, pairs: readonly (readonly [Arch, Arch])[], batch: TranslationBatch, operator: string, method: ActivationSimilarity = "cka"): Promise<IoSimilarityRow[]> {
  const op = getOperator(model.config.space, operator);
  if (!op.input || !op.output) throw new Error(`operator ${operator} has no traced input/output (embeddings do not)`);
  const grads = await gradientSimilarity(model, pairs, batch, operator);
  const tensors = batchTensors(batch);
  const mask = op.part === "encoder" ? tensors.srcMask : tensors.tgtMask;
  const activations = new Map<string, [tf.Tensor, tf.Tensor]>();
  const traceOf = (arch: Arch) => {
    const key = archKey(arch);
    if (!activations.has(key)) {
      const trace = new Map<string, tf.Tensor>();
      const kept = tf.tidy(() => {
        model.logits(arch, tensors, null, trace);
        return [trace.get(op.input as string) as tf.Tensor, trace.get(op.output as string) as tf.Tensor];
      });
      activations.set(key, kept as [tf.Tensor, tf.Tensor]);
    }
    return activations.get(key) as [tf.Tensor, tf.Tensor];
  };
  const rows: IoSimilarityRow[] = [];
  try {
    for (const [i, g] of grads.entries()) {
      const [a, b] = pairs[i];
      const [inA, outA] = traceOf(a);
      const [inB, outB] = traceOf(b);
      const [inputSimilarity, outputSimilarity] = await Promise.all([activationSimilarity(inA, inB, mask, method), activationSimilarity(outA, outB, mask, method)]);
      rows.push({ ...g, inputSimilarity, outputSimilarity });
    }
  } finally {
    for (const [x, y] of activations.values()) tf.dispose([x, y]);
    tf.dispose(Object.values(tensors));
  }
  return rows;
}

/** Mean and bootstrap CI of `value` per group, for plotting with error bars. */
export function groupMeansWithCi<T>(rows: readonly T[], group: (r: T) => number, value: (r: T) => number, rng: Rng, level = 0.95): { group: number; n: number; mean: number; lo: number; hi: number }[] {
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const g = group(r);
    if (!groups.has(g)) groups.set(g, []);
    (groups.get(g) as number[]).push(value(r));
  }
  return Array.from(groups.entries())
    .sort((a, b) => a[0] - b[0])
    .map(([g, values]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const [lo, hi] = values.length > 1 ? bootstrapCi((idx) => idx.reduce((a, i) => a + values[i], 0) / idx.length, values.length, { rng, level, samples: 1000 }) : [mean, mean];
      return { group: g, n: values.length, mean, lo, hi };
    });
}
