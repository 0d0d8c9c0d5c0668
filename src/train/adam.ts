/**
 * Adam (Kingma & Ba 2015) over named weights, with optional decoupled weight decay (AdamW).
 * The state is plain named tensors so checkpoints can save and restore it exactly. Weights
 * without a gradient in an update (a decoder layer no sampled arch used) are left untouched,
 * as PyTorch leaves parameters whose .grad is None. Where the native addon serves (wasm), each
 * weight's update is one fused kernel (./adam-kernel) instead of a dozen tfjs ops.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedAdamAvailable, fusedAdamUpdate } from "./adam-kernel";

/** Adam hyper-parameters. */
export interface AdamConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Decoupled weight decay (0 = plain Adam). */
  readonly weightDecay: number;
}

/** fairseq's Transformer defaults. */
export const adamDefaults: AdamConfig = Object.freeze({ beta1: 0.9, beta2: 0.98, epsilon: 1e-9, weightDecay: 0 });

/** Moments and update counts per weight. */
export interface AdamState {
  readonly m: Map<string, tf.Tensor>;
  readonly v: Map<string, tf.Tensor>;
  readonly steps: Map<string, number>;
}

/** An empty Adam state. */
export function createAdamState(): AdamState {
  return { m: new Map(), v: new Map(), steps: new Map() };
}

/** Applies one Adam update with learning rate `lr` to the weights that have gradients. */
export function adamUpdate(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>, state: AdamState, lr: number, config: AdamConfig = adamDefaults): void {
  for (const [name, grad] of Object.entries(grads)) {
    const param = params[name];
    if (!param) throw new Error(`adamUpdate: gradient for unknown weight "${name}"`);
    const step = (state.steps.get(name) ?? 0) + 1;
    const oldM = state.m.get(name);
    const oldV = state.v.get(name);
    const stepSize = (lr * Math.sqrt(1 - config.beta2 ** step)) / (1 - config.beta1 ** step);
    const [m, v] = fusedAdamAvailable() ? fusedStep(param, grad, oldM, oldV, stepSize, lr, config) : composedStep(param, grad, oldM, oldV, stepSize, lr, config);
    oldM?.dispose();
    oldV?.dispose();
    state.m.set(name, m);
    state.v.set(name, v);
    state.steps.set(name, step);
  }
}

/** The update from tfjs ops (any backend): assigns the weight, returns the new moments. */
function composedStep(param: tf.Variable, grad: tf.Tensor, oldM: tf.Tensor | undefined, oldV: tf.Tensor | undefined, stepSize: number, lr: number, config: AdamConfig): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const m = oldM ? tf.add(tf.mul(oldM, config.beta1), tf.mul(grad, 1 - config.beta1)) : tf.mul(grad, 1 - config.beta1);
    const v = oldV ? tf.add(tf.mul(oldV, config.beta2), tf.mul(tf.square(grad), 1 - config.beta2)) : tf.mul(tf.square(grad), 1 - config.beta2);
    let next = tf.sub(param, tf.mul(tf.div(m, tf.add(tf.sqrt(v), config.epsilon)), stepSize));
    if (config.weightDecay > 0) next = tf.sub(next, tf.mul(param, lr * config.weightDecay));
    param.assign(next);
    return [m, v];
  });
}

/** The same update as one native kernel: assigns the weight, returns the new moments. */
function fusedStep(param: tf.Variable, grad: tf.Tensor, oldM: tf.Tensor | undefined, oldV: tf.Tensor | undefined, stepSize: number, lr: number, config: AdamConfig): [tf.Tensor, tf.Tensor] {
  const fresh = oldM === undefined || oldV === undefined;
  const [next, m, v] = fusedAdamUpdate(param, grad, fresh ? null : oldM, fresh ? null : oldV, {
    fresh,
    beta1: config.beta1,
    beta2: config.beta2,
    epsilon: config.epsilon,
    stepSize,
    decay: lr * config.weightDecay,
  });
  param.assign(next);
  next.dispose();
  return [m, v];
}

/** Disposes the state's tensors. */
export function disposeAdamState(state: AdamState): void {
  for (const t of state.m.values()) t.dispose();
  for (const t of state.v.values()) t.dispose();
  state.m.clear();
  state.v.clear();
  state.steps.clear();
}
