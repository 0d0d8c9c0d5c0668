/**
 * Gradients of named weights: one arch's loss at a time, summed over the archs of an update
 * (sandwich rule and gradient accumulation), and clipped by their global norm.
 */
import * as tf from "@tensorflow/tfjs";

/** Named gradients; weights an arch did not use are absent. */
export type Gradients = Record<string, tf.Tensor>;

/** The loss and gradients of `loss` with respect to `params` (names as in `params`). */
export function gradientsOf(params: Record<string, tf.Variable>, loss: () => tf.Scalar): { value: number; grads: Gradients } {
  const byVarName = new Map<string, string>();
  for (const [key, v] of Object.entries(params)) byVarName.set(v.name, key);
  const { value, grads } = tf.variableGrads(loss, Object.values(params));
  const out: Gradients = {};
  for (const [varName, g] of Object.entries(grads)) out[byVarName.get(varName) ?? varName] = g;
  const loss0 = value.dataSync()[0];
  value.dispose();
  return { value: loss0, grads: out };
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

/** The global L2 norm of all gradients. */
export function globalNorm(grads: Gradients): number {
  const list = Object.values(grads);
  if (list.length === 0) return 0;
  return tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))).dataSync()[0]);
}

/** Scales gradients so their global norm is at most `maxNorm` (0 = no clipping); returns the norm before. */
export function clipByGlobalNorm(grads: Gradients, maxNorm: number): number {
  const norm = globalNorm(grads);
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const name of Object.keys(grads)) {
      const old = grads[name];
      grads[name] = tf.mul(old, scale);
      old.dispose();
    }
  }
  return norm;
}

/** Disposes every gradient. */
export function disposeGradients(grads: Gradients): void {
  for (const g of Object.values(grads)) g.dispose();
}
