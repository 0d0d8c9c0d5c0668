/**
 * The shared weights of a SuperTransformer: one max-size tensor per operator, stored flat by
 * name ("enc.0.selfAttn.q.w", ...) so that optimizers, checkpoints and gradient probes treat
 * them uniformly. Linear weights are laid out [in, out], so a subnet's weight is the block of
 * the first `in` rows and first `out` columns (HAT's first-k slicing).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../util/rng";
import { largestArch } from "../space/named-archs";
import type { Arch } from "../space/types";
import type { SupernetConfig } from "./config";

/** Named shared weights. */
export type SupernetParams = Record<string, tf.Variable>;

/** Shapes of the weights an encoder-decoder of `arch`'s sizes has, by name (one definition for supernet and subnet). */
export function archWeightShapes(vocabSize: number, qkvDim: number, arch: Arch): Record<string, number[]> {
  const dE = arch.encoder.embedDim;
  const dD = arch.decoder.embedDim;
  const shapes: Record<string, number[]> = { embed: [vocabSize, Math.max(dE, dD)] };
  const linear = (name: string, inDim: number, outDim: number) => {
    shapes[`${name}.w`] = [inDim, outDim];
    shapes[`${name}.b`] = [outDim];
  };
  const norm = (name: string, dim: number) => {
    shapes[`${name}.g`] = [dim];
    shapes[`${name}.b`] = [dim];
  };
  const attention = (name: string, qIn: number, kvIn: number, outDim: number) => {
    linear(`${name}.q`, qIn, qkvDim);
    linear(`${name}.k`, kvIn, qkvDim);
    linear(`${name}.v`, kvIn, qkvDim);
    linear(`${name}.o`, qkvDim, outDim);
  };
  for (let l = 0; l < arch.encoder.numLayers; l++) {
    norm(`enc.${l}.ln1`, dE);
    attention(`enc.${l}.selfAttn`, dE, dE, dE);
    norm(`enc.${l}.ln2`, dE);
    linear(`enc.${l}.fc1`, dE, arch.encoder.ffnDim[l]);
    linear(`enc.${l}.fc2`, arch.encoder.ffnDim[l], dE);
  }
  norm("enc.ln", dE);
  for (let l = 0; l < arch.decoder.numLayers; l++) {
    norm(`dec.${l}.ln1`, dD);
    attention(`dec.${l}.selfAttn`, dD, dD, dD);
    norm(`dec.${l}.ln2`, dD);
    attention(`dec.${l}.crossAttn`, dD, dE, dD);
    norm(`dec.${l}.ln3`, dD);
    linear(`dec.${l}.fc1`, dD, arch.decoder.ffnDim[l]);
    linear(`dec.${l}.fc2`, arch.decoder.ffnDim[l], dD);
  }
  norm("dec.ln", dD);
  return shapes;
}

/** Shapes of every shared weight, by name: those of the space's largest arch (derived, never kept by hand). */
export function paramShapes(config: SupernetConfig): Record<string, number[]> {
  return archWeightShapes(config.vocabSize, config.space.qkvDim, largestArch(config.space));
}

function initValues(name: string, shape: number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (name === "embed") {
    // fairseq: N(0, d^-1/2) so that embeddings scaled by sqrt(d) have unit variance.
    const std = shape[1] ** -0.5;
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  } else if (name.endsWith(".g")) {
    values.fill(1);
  } else if (name.endsWith(".w")) {
    // Xavier-uniform over the max-size weight, as HAT initialises its super weights.
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
  }
  return values; // biases and LayerNorm shifts start at zero
}

// tfjs variable names are process-global; two supernets from the same seed must not collide.
let variableCount = 0;

/** A process-unique tfjs variable name for a weight. */
export function uniqueVariableName(name: string): string {
  return `${name}#${++variableCount}`;
}

/**
 * A trainable variable made from `initial`, which is disposed: a variable shares the tensor's
 * data but does not own the tensor, so keeping it would hold the memory after the variable goes.
 */
export function variableFrom(initial: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(initial, true, uniqueVariableName(name));
  initial.dispose();
  return v;
}

/** Fresh shared weights, deterministic in the seed of `rng`. */
export function initSupernetParams(config: SupernetConfig, rng: Rng): SupernetParams {
  const params: SupernetParams = {};
  for (const [name, shape] of Object.entries(paramShapes(config))) {
    params[name] = variableFrom(tf.tensor(initValues(name, shape, rng), shape, "float32"), name);
  }
  return params;
}

/** Total number of shared weights (the supernet's size, not a subnet's). */
export function countParams(params: SupernetParams): number {
  return Object.values(params).reduce((n, v) => n + v.size, 0);
}

/** Disposes every weight. */
export function disposeParams(params: SupernetParams): void {
  for (const v of Object.values(params)) v.dispose();
}
