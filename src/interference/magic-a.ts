/**
 * MAGIC-A (Xu et al., ICML 2022): align a sampled child's hidden states with an anchor child's,
 * so that shared operators see similar inputs and outputs (Observation 2) and interfere less.
 * The anchor is the best child seen on dev: each offered child and the current anchor are scored
 * with the current weights on the same dev batches, so the comparison is fair even though both
 * losses drift as the supernet trains, and the better one is the anchor from then on. Every offer
 * is recorded (see anchor-history.ts). The anchor's states are computed once per update in
 * evaluation mode and enter the loss as constants (stop-gradient). The paper's exact loss is not
 * public; our choice, documented here: per-token cosine distance (1 - cos) between the layer
 * outputs of every layer both children have, over the first min(d_child, d_anchor) channels
 * (first-k slicing aligns channel j of both), masked to real tokens, averaged over layers, and
 * weighted by `weight`. "mse" over the same channels is the alternative distance.
 */
import * as tf from "@tensorflow/tfjs";
import { addMany } from "../ops/add-many";
import type { TranslationBatch } from "../data/batching";
import { evaluateLoss } from "../eval/validation-loss";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import type { BatchTensors } from "../supernet/forward";
import type { WeightSharingModel } from "../supernet/supernet";
import type { LossHook } from "../train/trainer";
import type { AnchorRecord } from "./anchor-history";

/** MAGIC-A options. */
export interface MagicAOptions {
  /** Weight of the alignment loss added to the task loss. */
  readonly weight: number;
  readonly distance: "cosine" | "mse";
}

/** Our defaults (see the file comment): cosine distance, weight 0.5. */
export const magicADefaults: MagicAOptions = Object.freeze({ weight: 0.5, distance: "cosine" });

/** Layer-output names both archs have, with the mask side they live on. */
export function alignedLayers(a: Arch, b: Arch): { name: string; side: "src" | "tgt" }[] {
  const enc = Math.min(a.encoder.numLayers, b.encoder.numLayers);
  const dec = Math.min(a.decoder?.numLayers ?? 0, b.decoder?.numLayers ?? 0);
  return [
    ...Array.from({ length: enc }, (_, l) => ({ name: `enc.${l}.out`, side: "src" as const })),
    ...Array.from({ length: dec }, (_, l) => ({ name: `dec.${l}.out`, side: "tgt" as const })),
  ];
}

/** Masked distance between (B, T, d1) and (B, T, d2) over their first min(d1, d2) channels. */
export function hiddenDistance(x: tf.Tensor, y: tf.Tensor, mask: tf.Tensor2D, distance: MagicAOptions["distance"]): tf.Scalar {
  const k = Math.min(x.shape[2] as number, y.shape[2] as number);
  const a = tf.slice(x, [0, 0, 0], [-1, -1, k]);
  const b = tf.slice(y, [0, 0, 0], [-1, -1, k]);
  const perToken =
    distance === "mse"
      ? tf.mean(tf.square(tf.sub(a, b)), -1)
      : tf.sub(1, tf.div(tf.sum(tf.mul(a, b), -1), tf.add(tf.mul(tf.norm(a, 2, -1), tf.norm(b, 2, -1)), 1e-6)));
  return tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/** The alignment hook plus its anchor bookkeeping. */
export interface MagicA extends LossHook {
  readonly options: MagicAOptions;
  anchor(): Arch;
  /** Scores `candidate` and the anchor with the current weights on the same dev batches; a strictly lower loss (or any finite one against a diverged anchor) replaces it. Returns true on replacement. */
  offerAnchor(model: WeightSharingModel, candidate: Arch, validBatches: readonly TranslationBatch[], step: number): Promise<boolean>;
  /** The initial anchor (step 0), then one row per offer, replaced or not. */
  readonly history: readonly AnchorRecord[];
}

/** A MAGIC-A hook starting from `initialAnchor` (the largest arch, as before training nothing is known to be better). */
export function magicA(initialAnchor: Arch, options: Partial<MagicAOptions> = {}): MagicA {
  const o: MagicAOptions = { ...magicADefaults, ...options };
  if (!(o.weight >= 0)) throw new Error(`magicA: weight must be >= 0; got ${o.weight}`);
  if (o.distance !== "cosine" && o.distance !== "mse") throw new Error(`magicA: distance must be "cosine" or "mse"; got "${o.distance}"`);
  let anchor = initialAnchor;
  let anchorStates: Map<string, tf.Tensor> | null = null;
  const history: AnchorRecord[] = [{ step: 0, kind: "initial", candidate: archKey(anchor), candidateLoss: NaN, anchor: archKey(anchor), anchorLoss: NaN, changed: false, arch: archKey(anchor) }];
  return {
    options: o,
    history,
    anchor: () => anchor,
    prepare(model: WeightSharingModel, batch: BatchTensors) {
      const trace = new Map<string, tf.Tensor>();
      const names = alignedLayers(anchor, anchor).map((l) => l.name);
      // Computed outside any gradient scope: the states are constants (stop-gradient).
      const kept = tf.tidy(() => {
        model.logits(anchor, batch, null, trace);
        return names.map((n) => trace.get(n) as tf.Tensor);
      });
      anchorStates = new Map(names.map((n, i) => [n, kept[i]]));
    },
    extraLoss(_model, arch, batch, trace) {
      if (!anchorStates || o.weight === 0) return null;
      const layers = alignedLayers(arch, anchor);
      if (layers.length === 0) return null;
      const terms = layers.map((l) => hiddenDistance(trace.get(l.name) as tf.Tensor, anchorStates?.get(l.name) as tf.Tensor, l.side === "src" ? batch.srcMask : batch.tgtMask, o.distance));
      return tf.mul(addMany(terms), o.weight / terms.length) as tf.Scalar;
    },
    release() {
      if (anchorStates) for (const t of anchorStates.values()) t.dispose();
      anchorStates = null;
    },
    async offerAnchor(model, candidate, validBatches, step) {
      const candidateKey = archKey(candidate);
      const current = anchor;
      const anchorKey = archKey(current);
      const candidateLoss = (await evaluateLoss(model, candidate, validBatches)).loss;
      // The anchor offered to itself needs no second evaluation: same weights, same batches.
      const anchorLoss = candidateKey === anchorKey ? candidateLoss : (await evaluateLoss(model, current, validBatches)).loss;
      // A diverged (NaN) anchor loses to any finite candidate; a NaN candidate never wins.
      const changed = candidateLoss < anchorLoss || (Number.isNaN(anchorLoss) && Number.isFinite(candidateLoss));
      if (changed) anchor = candidate;
      history.push({ step, kind: "offer", candidate: candidateKey, candidateLoss, anchor: anchorKey, anchorLoss, changed, arch: changed ? candidateKey : anchorKey });
      return changed;
    },
  };
}
