/**
 * Gradients of named weights: one arch's loss at a time, summed over the archs of an update
 * (sandwich rule and gradient accumulation), and clipped by their global norm. Losses and norms
 * stay tensors: the clip scale is computed on the device, so an update never waits for a read
 * (on a GPU a read stalls the queue); callers read the numbers once per update.
 */
import * as tf from "@tensorflow/tfjs";
import { addMany } from "../ops/add-many";
import { syncReadsUnavailable } from "../backend/webgpu";

/** Named gradients; weights an arch did not use are absent. */
export type Gradients = Record<string, tf.Tensor>;

/** The loss (a scalar tensor the caller disposes) and gradients of `loss` with respect to `params` (names as in `params`). */
export function gradientsOf(params: Record<string, tf.Variable>, loss: () => tf.Scalar): { value: tf.Scalar; grads: Gradients } {
  const byVarName = new Map<string, string>();
  for (const [key, v] of Object.entries(params)) byVarName.set(v.name, key);
  const { value, grads } = tf.variableGrads(loss, Object.values(params));
  const out: Gradients = {};
  for (const [varName, g] of Object.entries(grads)) out[byVarName.get(varName) ?? varName] = g;
  return { value, grads: out };
}

/** Adds `more` into `into` (disposing the replaced tensors and `more`). */
export function addGradients(into: Gradients, more: Gradients): void {
  for (const [name, g] of Object.entries(more)) {
    const old = into[name];
    if (old) {
      into[name] = tf.add(old, g);
      old.dispose();
      g.dispose();
    } else {
      into[name] = g;
    }
  }
}

/** The global L2 norm of all gradients, as a scalar tensor. */
export function globalNorm(grads: Gradients): tf.Scalar {
  const list = Object.values(grads);
  if (list.length === 0) return tf.scalar(0);
  return tf.tidy(() => tf.sqrt(addMany(list.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** Scales gradients so their global norm is at most `maxNorm` (0 = no clipping); returns the norm before, as a tensor. */
export function clipByGlobalNorm(grads: Gradients, maxNorm: number): tf.Scalar {
  const norm = globalNorm(grads);
  if (maxNorm <= 0) return norm;
  let scale: tf.Scalar | number;
  if (syncReadsUnavailable()) {
    // On the GPU the scale stays on the device: maxNorm / (norm + 1e-6) where norm > maxNorm, else exactly 1.
    scale = tf.tidy(() => tf.where(tf.greater(norm, maxNorm), tf.div(maxNorm, tf.add(norm, 1e-6)), tf.onesLike(norm)) as tf.Scalar);
  } else {
    // Where reads are free, clip only when needed and leave unclipped gradients untouched.
    const value = norm.dataSync()[0];
    if (value <= maxNorm) return norm;
    scale = maxNorm / (value + 1e-6);
  }
  for (const name of Object.keys(grads)) {
    const old = grads[name];
    grads[name] = tf.mul(old, scale);
    old.dispose();
  }
  if (typeof scale !== "number") scale.dispose();
  return norm;
}

/** Disposes every gradient. */
export function disposeGradients(grads: Gradients): void {
  for (const g of Object.values(grads)) g.dispose();
}
