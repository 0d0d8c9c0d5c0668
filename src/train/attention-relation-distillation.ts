/**
 * AutoDistil's task-agnostic distillation (Xu et al., NeurIPS 2022): a student subnet matches a
 * teacher's last-layer self-attention relations, Q-Q, K-K and V-V. The released code
 * (microsoft/autodistil, Code/transformers/modeling_bert.py and run_*_wiki_plus_book.py) fixes what
 * the paper leaves open, and we follow it: each of q, k, v is split into as many relation heads as
 * the teacher has attention heads, each head of width floor(width / heads); a relation is
 * X·Xᵀ / sqrt(head width) per head, before any softmax; the loss is the mean squared difference of
 * student and teacher relations, summed over Q-Q, K-K and V-V. One deviation: the code adds the
 * padding mask to both relation maps and averages over every (query, key) pair, padding included;
 * we average over pairs of real tokens only, since a padded pair carries no relation.
 *
 * The term is added to the masked-LM loss (AutoDistil trains on distillation alone): keeping the
 * masked-LM loss keeps inherited masked-LM loss meaningful as the search fitness.
 */
import { encoderLayerWidth } from "../space/schema";
import * as tf from "@tensorflow/tfjs";
import { addMany } from "../ops/add-many";
import { headScores } from "../ops/head-mat-mul";
import { AttentionSpec, attentionWidth } from "../space/attention-width";
import type { Arch } from "../space/types";
import type { BatchTensors } from "../supernet/forward";
import { slicedLinear } from "../supernet/layers";
import type { Weights } from "../supernet/params";
import type { WeightSharingModel } from "../supernet/supernet";
import { plainWeights } from "../supernet/plain-weights";
import { releaseWeights } from "../supernet/supernet";
import type { LossHook } from "./trainer";

/** Options of the distillation hook. */
export interface RelationDistillationOptions {
  /** Weight of the distillation term beside the masked-LM loss. */
  readonly weight: number;
}

/** Default: AutoDistil's weight of 1 on the attention term. */
export const relationDistillationDefaults: RelationDistillationOptions = Object.freeze({ weight: 1 });

/** The last encoder layer's q, k and v (B, T, width) of an arch, from its traced attention input. */
export interface LastLayerQkv {
  readonly q: tf.Tensor3D;
  readonly k: tf.Tensor3D;
  readonly v: tf.Tensor3D;
}

/** q, k, v of the last encoder layer of `arch` (width `attentionWidth` of the space) from the traced input of its self-attention. */
export function lastLayerQkv(weights: Weights, arch: Arch, space: AttentionSpec, trace: Map<string, tf.Tensor>): LastLayerQkv {
  const prefix = `enc.${arch.encoder.numLayers - 1}.selfAttn`;
  const input = trace.get(`${prefix}.in`);
  if (!input) throw new Error(`lastLayerQkv: the trace has no "${prefix}.in" (run the forward pass with a trace map)`);
  const last = arch.encoder.numLayers - 1;
  const d = encoderLayerWidth(arch, last);
  const qkvDim = attentionWidth(space, arch.encoder.numHeads[last], arch.encoder.layerHiddenDim?.[last]);
  const project = (m: "q" | "k" | "v") => slicedLinear(weights, `${prefix}.${m}`, input, d, qkvDim) as tf.Tensor3D;
  return { q: project("q"), k: project("k"), v: project("v") };
}

/** Relation scores (B, heads, T, T) of x (B, T, width): x·xᵀ / sqrt(w) per head of width w = floor(width / heads). */
export function relationScores(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const width = x.shape[2];
  const w = Math.floor(width / heads);
  if (!Number.isInteger(heads) || heads < 1 || w < 1) throw new Error(`relationScores: heads must be an integer in [1, ${width}], got ${heads}`);
  const cut = heads * w === width ? x : (tf.slice(x, [0, 0, 0], [-1, -1, heads * w]) as tf.Tensor3D);
  return headScores(cut, cut, heads, 1 / Math.sqrt(w));
}

/** Mean squared difference of student and teacher Q-Q, K-K and V-V relations over pairs of real tokens, summed over the three. */
export function relationDistillationLoss(student: LastLayerQkv, teacher: LastLayerQkv, mask: tf.Tensor2D, heads: number): tf.Scalar {
  const [batch, length] = mask.shape;
  // (B, 1, T, T): 1 where both the query and the key are real tokens.
  const pairs = tf.reshape(tf.mul(tf.reshape(mask, [batch, length, 1]), tf.reshape(mask, [batch, 1, length])), [batch, 1, length, length]);
  const count = tf.mul(tf.sum(pairs), heads);
  const terms = (["q", "k", "v"] as const).map((m) => {
    const diff = tf.sub(relationScores(student[m], heads), relationScores(teacher[m], heads));
    return tf.div(tf.sum(tf.mul(tf.square(diff), pairs)), tf.maximum(count, 1));
  });
  return addMany(terms) as tf.Scalar;
}

/**
 * A trainer hook adding `weight` × the relation loss of every sampled subnet against `teacher`
 * running `teacherArch` (a fixed model: its relations are constants). Relation heads = the
 * teacher's heads in its last layer, as the released code uses the teacher's head count.
 */
export function attentionRelationDistillation(teacher: WeightSharingModel, teacherArch: Arch, options: Partial<RelationDistillationOptions> = {}): LossHook {
  const o: RelationDistillationOptions = { ...relationDistillationDefaults, ...options };
  if (!(o.weight >= 0)) throw new Error(`attentionRelationDistillation: weight must be >= 0, got ${o.weight}`);
  if (teacherArch.decoder !== undefined) throw new Error("attentionRelationDistillation needs an encoder-only (BERT) teacher arch");
  const heads = teacherArch.encoder.numHeads[teacherArch.encoder.numLayers - 1];
  let target: LastLayerQkv | null = null;
  return {
    prepare(_model, batch: BatchTensors) {
      const weights = plainWeights(teacher, teacherArch, "attentionRelationDistillation");
      try {
        // Computed outside any gradient scope: the teacher's relations are constants.
        target = tf.tidy(() => {
          const trace = new Map<string, tf.Tensor>();
          teacher.forward(weights, teacherArch, batch, null, trace);
          const qkv = lastLayerQkv(weights, teacherArch, teacher.config.space, trace);
          return { q: tf.keep(qkv.q), k: tf.keep(qkv.k), v: tf.keep(qkv.v) };
        });
      } finally {
        releaseWeights(teacher, weights);
      }
    },
    extraLoss(model, arch, batch, trace) {
      if (!target || o.weight === 0) return null;
      const student = lastLayerQkv(model.params, arch, model.config.space, trace);
      return tf.mul(relationDistillationLoss(student, target, batch.srcMask, heads), o.weight) as tf.Scalar;
    },
    release() {
      if (target) for (const t of Object.values(target)) t.dispose();
      target = null;
    },
  };
}
