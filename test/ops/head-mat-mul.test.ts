import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { disableBlas, initBlas } from "../../src/backend/blas";
import { registerWasmKernels } from "../../src/backend/index";
import { headContext, headMatMulKernel, headScores, nativeHeadMatMulAvailable, registerHeadMatMul } from "../../src/ops/head-mat-mul";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertMatchesOracle, autodiffGradients, projection, randomTensor, recordKernelCalls } from "./grad-check";

before(async () => {
  await tf.setBackend("wasm");
  registerWasmKernels();
  registerHeadMatMul();
});

async function withNative<T>(body: () => T): Promise<T> {
  assert.ok(initBlas(2, {}).used, "the native addon must load after npm run setup");
  try {
    assert.ok(nativeHeadMatMulAvailable());
    return body();
  } finally {
    disableBlas("test finished");
  }
}

/** [B, T, H·s] -> [B, H, T, s]. */
const split = (x: tf.Tensor, heads: number) => {
  const [b, t, w] = x.shape as number[];
  return tf.transpose(tf.reshape(x, [b, t, heads, w / heads]), [0, 2, 1, 3]);
};
/** [B, H, T, s] -> [B, T, H·s]. */
const merge = (x: tf.Tensor) => {
  const [b, h, t, s] = x.shape as number[];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, h * s]);
};

// Odd sizes, Tq != Tk and one or several heads, so that a wrong leading dimension, head stride or swapped length cannot pass.
const cases = [
  { batch: 2, tq: 3, tk: 5, heads: 3, size: 4 },
  { batch: 1, tq: 4, tk: 4, heads: 1, size: 7 },
  { batch: 3, tq: 1, tk: 6, heads: 2, size: 5 },
];

for (const { batch, tq, tk, heads, size } of cases) {
  const label = `B ${batch}, Tq ${tq}, Tk ${tk}, ${heads} heads of ${size}`;

  test(`native headScores (${label}) equals per-head q k^T, scaled, forward and in both gradients, and central differences`, async () => {
    const rng = new Rng(91);
    const q = randomTensor(rng, [batch, tq, heads * size]);
    const k = randomTensor(rng, [batch, tk, heads * size]);
    const alpha = 1 / Math.sqrt(size);
    const oracle = (qs: tf.Tensor, ks: tf.Tensor) => tf.mul(tf.matMul(split(qs, heads), split(ks, heads), false, true), alpha);
    await withNative(() => {
      const ours = (qs: tf.Tensor, ks: tf.Tensor) => headScores(qs as tf.Tensor3D, ks as tf.Tensor3D, heads, alpha);
      let transposes = 0;
      const calls = recordKernelCalls(headMatMulKernel, "wasm", () => {
        transposes = recordKernelCalls("Transpose", "wasm", () => tf.tidy(() => ours(q, k).dataSync())).length;
        assertMatchesOracle(ours, oracle, [q, k], rng);
      });
      assert.equal(transposes, 0, "no head is copied out");
      assert.ok(calls.some((c) => c.attrs.transposeA === true), "the key gradient ran natively");
    });
    tf.dispose([q, k]);
  });

  test(`native headContext (${label}) equals per-head p v with heads merged, forward and in both gradients, and central differences`, async () => {
    const rng = new Rng(92);
    const p = randomTensor(rng, [batch, heads, tq, tk]);
    const v = randomTensor(rng, [batch, tk, heads * size]);
    const oracle = (ps: tf.Tensor, vs: tf.Tensor) => merge(tf.matMul(ps, split(vs, heads)));
    await withNative(() => {
      const ours = (ps: tf.Tensor, vs: tf.Tensor) => headContext(ps as tf.Tensor4D, vs as tf.Tensor3D, heads);
      const transposes = recordKernelCalls("Transpose", "wasm", () => tf.tidy(() => ours(p, v).dataSync()));
      assert.equal(transposes.length, 0, "the context is written into its heads' columns in place");
      assertMatchesOracle(ours, oracle, [p, v], rng);
    });
    tf.dispose([p, v]);
  });
}

test("headScores(x, x), a relation as MiniLM distils it, takes both halves of its gradient", async () => {
  const rng = new Rng(94);
  const x = randomTensor(rng, [2, 4, 6]);
  const oracle = (xs: tf.Tensor) => tf.mul(tf.matMul(split(xs, 2), split(xs, 2), false, true), 0.25);
  await withNative(() => assertMatchesOracle((xs: tf.Tensor) => headScores(xs as tf.Tensor3D, xs as tf.Tensor3D, 2, 0.25), oracle, [x], rng));
  x.dispose();
});

test("attention through both products: native and composed routes agree in value and in the gradients of q, k and v", async () => {
  const rng = new Rng(93);
  const [batch, tq, tk, heads, size] = [2, 5, 3, 4, 3];
  const q = randomTensor(rng, [batch, tq, heads * size]);
  const k = randomTensor(rng, [batch, tk, heads * size]);
  const v = randomTensor(rng, [batch, tk, heads * size]);
  const attend = (qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor) =>
    headContext(tf.softmax(headScores(qs as tf.Tensor3D, ks as tf.Tensor3D, heads, 0.5)) as tf.Tensor4D, vs as tf.Tensor3D, heads);
  const r = projection(rng, attend, [q, k, v]);
  const native = await withNative(() => ({ y: tf.tidy(() => attend(q, k, v).dataSync()), grads: autodiffGradients(attend, [q, k, v], r) }));
  assert.equal(nativeHeadMatMulAvailable(), false);
  const calls = recordKernelCalls(headMatMulKernel, "wasm", () => {
    assertAllClose(tf.tidy(() => attend(q, k, v).dataSync()), native.y, 1e-5, "forward");
    autodiffGradients(attend, [q, k, v], r).forEach((g, i) => assertAllClose(native.grads[i], g, 1e-5, `grad ${"qkv"[i]}`));
  });
  assert.equal(calls.length, 0, "without the addon the composition serves");
  tf.dispose([q, k, v]);
});

test("heads that do not divide the width, and probabilities of the wrong shape, are refused by name", () => {
  const x = tf.zeros([2, 3, 6]) as tf.Tensor3D;
  assert.throws(() => headScores(x, x, 4), /headScores: heads must be a positive integer dividing q's width 6; got 4/);
  assert.throws(() => headScores(x, tf.zeros([2, 3, 8]) as tf.Tensor3D, 2), /headScores: q \[2,3,6\] and k \[2,3,8\] must agree in batch and width/);
  assert.throws(() => headContext(tf.zeros([2, 3, 3, 4]) as tf.Tensor4D, x, 3), /headContext: p must be \[2, 3, lengthQ, 3\] for v \[2,3,6\] with 3 heads; got \[2,3,3,4\]/);
  tf.dispose(x);
});
