/**
 * Sentence classification on an encoder-only (BERT) arch: the final hidden state of [CLS]
 * (position 0, after the encoder's last LayerNorm) through one linear layer to the labels, as
 * BERT's fine-tuning adds (without BERT's tanh pooler, which pretraining here never trains).
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch } from "../space/types";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import { encode } from "./encoder";
import { forwardContext } from "./forward";
import { slicedLinear } from "./layers";
import { SupernetParams, Weights, variableFrom } from "./params";

/** A fresh head for `hidden`-wide [CLS] states and `numLabels` labels: Xavier-uniform weight, zero bias. */
export function createClassificationHead(hidden: number, numLabels: number, seed: number): SupernetParams {
  if (!Number.isInteger(numLabels) || numLabels < 2) throw new Error(`createClassificationHead: numLabels must be an integer >= 2, got ${numLabels}`);
  if (!Number.isInteger(hidden) || hidden < 1) throw new Error(`createClassificationHead: hidden must be a positive integer, got ${hidden}`);
  const rng = new Rng(seed);
  const limit = Math.sqrt(6 / (hidden + numLabels));
  const w = Float32Array.from({ length: hidden * numLabels }, () => (2 * rng.next() - 1) * limit);
  return { "cls.w": variableFrom(tf.tensor2d(w, [hidden, numLabels]), "cls.w"), "cls.b": variableFrom(tf.zeros([numLabels]), "cls.b") };
}

/** Label logits (B, numLabels) of ids (B, S) under a 0/1 mask; an Rng turns dropout on. */
export function classificationLogits(weights: Weights, config: SupernetConfig, arch: Arch, ids: tf.Tensor2D, mask: tf.Tensor2D, rng: Rng | null): tf.Tensor2D {
  if (arch.decoder !== undefined) throw new Error("classificationLogits needs an encoder-only (BERT) arch; this one has a decoder");
  const ctx = forwardContext(rng, undefined, config.moe);
  const states = encode(weights, config.space, arch, ids, mask, config, ctx).states;
  const last = states[states.length - 1];
  const d = arch.encoder.embedDim;
  const cls = tf.reshape(tf.slice(last, [0, 0, 0], [-1, 1, d]), [-1, d]);
  const numLabels = weights["cls.b"].shape[0];
  return slicedLinear(weights, "cls", cls, d, numLabels) as tf.Tensor2D;
}
