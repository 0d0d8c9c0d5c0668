import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { disableBlas, initBlas } from "../../src/backend/blas";
import { registerWasmKernels } from "../../src/backend/index";
import { fusedLayerNormAvailable, layerNorm, layerNormGradKernel, layerNormKernel, registerLayerNormKernels } from "../../src/ops/layer-norm";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertMatchesOracle, autodiffGradients, randomTensor, recordKernelCalls } from "./grad-check";

before(async () => {
  await tf.setBackend("wasm");
  registerWasmKernels();
  registerLayerNormKernels();
});

/** PyTorch's nn.LayerNorm from tfjs ops: the oracle. */
function oracle(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

async function withNative<T>(body: () => T): Promise<T> {
  assert.ok(initBlas(2, {}).used, "the native addon must load after npm run setup");
  try {
    assert.ok(fusedLayerNormAvailable());
    return body();
  } finally {
    disableBlas("test finished");
  }
}

// Widths below, at and above the 16 vector lanes, not multiples of them; a 3-D input as the layers pass.
for (const shape of [[5, 3], [2, 3, 37], [4, 16]]) {
  test(`fused layer norm on [${shape}] equals the tfjs composition forward and in all three gradients, and central differences`, async () => {
    const rng = new Rng(81);
    const d = shape[shape.length - 1];
    const x = tf.add(tf.mul(randomTensor(rng, shape), 3), 1.5);
    const g = randomTensor(rng, [d]);
    const b = randomTensor(rng, [d]);
    await withNative(() => {
      const ours = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) => layerNorm(xs, gs as tf.Tensor1D, bs as tf.Tensor1D);
      const forward = recordKernelCalls(layerNormKernel, "wasm", () => {
        const backward = recordKernelCalls(layerNormGradKernel, "wasm", () => assertMatchesOracle(ours, oracle, [x, g, b], rng));
        assert.equal(backward.length, 1, "the fused gradient ran once, for the one autodiff pass");
      });
      assert.ok(forward.length >= 2, "the fused forward ran");
    });
    tf.dispose([x, g, b]);
  });
}

test("a constant row normalises to the bias with a finite gradient; without the addon the composition serves", async () => {
  const x = tf.tensor2d([[2, 2, 2, 2], [1, -1, 3, 0.5]]);
  const g = tf.tensor1d([1, 2, 3, 4]);
  const b = tf.tensor1d([0.5, -0.5, 0, 1]);
  const r = Float32Array.from({ length: 8 }, (_, i) => i - 3.5);
  const f = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) => layerNorm(xs, gs as tf.Tensor1D, bs as tf.Tensor1D);
  const fused = await withNative(() => ({ y: tf.tidy(() => f(x, g, b).dataSync()), grads: autodiffGradients(f, [x, g, b], r) }));
  assert.deepEqual(Array.from(fused.y.slice(0, 4)), [0.5, -0.5, 0, 1]);
  assert.ok(fused.grads.every((gr) => gr.every(Number.isFinite)));
  disableBlas("the tfjs composition under test");
  assert.equal(fusedLayerNormAvailable(), false);
  const calls = recordKernelCalls(layerNormKernel, "wasm", () => {
    const composed = autodiffGradients(f, [x, g, b], r);
    composed.forEach((gr, i) => assertAllClose(fused.grads[i], gr, 1e-4, `grad ${i}`));
  });
  assert.equal(calls.length, 0);
  assert.throws(() => layerNorm(x, tf.tensor1d([1, 2, 3]), b), /gain and bias must have shape \[4\] \(the last axis of x \[2,4\]\); got \[3\] and \[4\]/);
  tf.dispose([x, g, b]);
});
