/**
 * Oracles for the op tests: seeded random inputs, gradients of a random projection of an op's
 * output (so every output element matters) from tfjs and from central differences accumulated in
 * float64, and a closeness check that names the first element out of tolerance.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/util/rng";

/** A float32 tensor of standard normal samples. */
export function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return tf.tensor(values, shape);
}

type Op = (...xs: tf.Tensor[]) => tf.Tensor;

/** Projection weights for an op's output, one per output element. */
export function projection(rng: Rng, f: Op, xs: tf.Tensor[]): Float32Array {
  const size = tf.tidy(() => f(...xs).size);
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Gradients of sum(f(xs) * r) from tfjs's autodiff. */
export function autodiffGradients(f: Op, xs: tf.Tensor[], r: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const weights = tf.tensor1d(r);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(tf.reshape(f(...args), [-1]), weights)))(xs);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

/** Gradients of sum(f(xs) * r) by central differences, with the loss summed in float64. */
export function numericGradients(f: Op, xs: tf.Tensor[], r: Float32Array, eps = 1e-2): Float64Array[] {
  const loss = (inputs: tf.Tensor[]): number =>
    tf.tidy(() => {
      const y = f(...inputs).dataSync();
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * r[i];
      return s;
    });
  return xs.map((x, i) => {
    const base = x.dataSync() as Float32Array;
    const grad = new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number): [number, number] => {
        const values = base.slice();
        values[j] = base[j] + delta;
        const moved = tf.tensor(values, x.shape);
        const inputs = xs.map((other, k) => (k === i ? moved : other));
        const value = loss(inputs);
        moved.dispose();
        return [value, values[j]];
      };
      const [up, xUp] = at(eps);
      const [down, xDown] = at(-eps);
      // Divide by the float32 step actually taken, not the nominal 2 eps.
      grad[j] = (up - down) / (xUp - xDown);
    }
    return grad;
  });
}

/** Asserts |actual - expected| <= rtol * max(|expected|, max|expected|/10, 1e-3) elementwise. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.max(Math.abs(expected[i]), scale / 10, 1e-3);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${tol.toExponential(2)})`);
    }
  }
}

/** Runs `body` and asserts it left no tensors behind. */
export function assertNoLeak<T>(label: string, body: () => T): T {
  const before = tf.memory().numTensors;
  const out = body();
  assert.equal(tf.memory().numTensors, before, `${label}: tensors leaked`);
  return out;
}

/** Records the attrs and input shapes of every call of one kernel on one backend while `body` runs. */
export function recordKernelCalls(kernelName: string, backendName: string, body: () => void): { attrs: tf.NamedAttrMap; shapes: number[][] }[] {
  const config = tf.getKernel(kernelName, backendName);
  if (!config) throw new Error(`recordKernelCalls: no ${kernelName} kernel on ${backendName}`);
  const original = config.kernelFunc;
  const calls: { attrs: tf.NamedAttrMap; shapes: number[][] }[] = [];
  (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
    calls.push({ attrs: { ...(args.attrs ?? {}) }, shapes: Object.values(args.inputs).map((t) => (t as tf.TensorInfo).shape) });
    return original(args);
  };
  try {
    body();
  } finally {
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = original;
  }
  return calls;
}

/** Asserts `ours` equals the tfjs oracle `theirs` forward, and its gradients match the oracle's and central differences. */
export function assertMatchesOracle(ours: Op, theirs: Op, xs: tf.Tensor[], rng: Rng): void {
  assertNoLeak("forward and gradients", () => {
    assertAllClose(tf.tidy(() => ours(...xs).dataSync()), tf.tidy(() => theirs(...xs).dataSync()), 1e-5, "forward");
    const r = projection(rng, ours, xs);
    const grads = autodiffGradients(ours, xs, r);
    const reference = autodiffGradients(theirs, xs, r);
    const numeric = numericGradients(ours, xs, r);
    grads.forEach((g, i) => {
      assertAllClose(g, reference[i], 1e-5, `grad ${i} vs tf`);
      assertAllClose(g, numeric[i], 1e-3, `grad ${i} vs central differences`);
    });
  });
}
