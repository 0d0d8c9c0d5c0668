import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { batchMatMul } from "../../src/ops/index";
import { batchMatMulTuning } from "../../src/ops/batch-mat-mul-kernel";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertMatchesOracle, assertNoLeak, autodiffGradients, projection, randomTensor, recordKernelCalls } from "./grad-check";

const flagCases: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

for (const backend of ["cpu", "wasm"]) {
  for (const [transposeA, transposeB] of flagCases) {
    test(`batchMatMul(transposeA=${transposeA}, transposeB=${transposeB}) equals tf.matMul forward and backward on ${backend}`, async () => {
      await tf.setBackend(backend);
      const rng = new Rng(31);
      const a = randomTensor(rng, transposeA ? [3, 4, 2] : [3, 2, 4]);
      const b = randomTensor(rng, transposeB ? [3, 5, 4] : [3, 4, 5]);
      const ours = (x: tf.Tensor, y: tf.Tensor) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, transposeA, transposeB);
      const theirs = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
      assertMatchesOracle(ours, theirs, [a, b], rng);
      tf.dispose([a, b]);
    });
  }
}

test("on wasm, attention-shaped batchMatMul matches tf.matMul and never runs tfjs's scalar batched loop", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(32);
  const q = randomTensor(rng, [16, 24, 16]) as tf.Tensor3D;
  const k = randomTensor(rng, [16, 24, 16]) as tf.Tensor3D;
  const v = randomTensor(rng, [16, 24, 16]) as tf.Tensor3D;
  const attend = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mm: (a: tf.Tensor3D, b: tf.Tensor3D, tA: boolean, tB: boolean) => tf.Tensor3D) =>
    mm(tf.softmax(mm(q as tf.Tensor3D, k as tf.Tensor3D, false, true)) as tf.Tensor3D, v as tf.Tensor3D, false, false);
  const ours = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => attend(a, b, c, batchMatMul);
  const theirs = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => attend(a, b, c, (x, y, tA, tB) => tf.matMul(x, y, tA, tB));
  assertNoLeak("attention", () => {
    const r = projection(rng, ours, [q, k, v]);
    let grads: Float32Array[] = [];
    let forward: tf.TypedArray = new Float32Array(0);
    const calls = recordKernelCalls("BatchMatMul", "wasm", () => {
      forward = tf.tidy(() => ours(q, k, v).dataSync());
      grads = autodiffGradients(ours, [q, k, v], r);
    });
    assert.equal(calls.length, 0, `no tf.matMul kernel calls; got ${JSON.stringify(calls)}`);
    assertAllClose(forward, tf.tidy(() => theirs(q, k, v).dataSync()), 1e-4, "forward");
    autodiffGradients(theirs, [q, k, v], r).forEach((g, i) => assertAllClose(grads[i], g, 1e-4, `grad ${i} vs tf`));
  });
  tf.dispose([q, k, v]);
});

test("on wasm, the SIMD and XNNPACK routes agree with tf.matMul on odd and edge shapes", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(33);
  const saved = batchMatMulTuning.simdMaxRows;
  try {
    // [batch, M, K, N]: edge blocks that overlap in both directions, the smallest block, K = 1.
    for (const [batch, m, k, n] of [[3, 7, 5, 13], [2, 4, 3, 8], [2, 9, 1, 17]]) {
      const a = randomTensor(rng, [batch, m, k]) as tf.Tensor3D;
      const b = randomTensor(rng, [batch, k, n]) as tf.Tensor3D;
      for (const rows of [0, 64]) {
        batchMatMulTuning.simdMaxRows = rows;
        const ours = (x: tf.Tensor, y: tf.Tensor) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D);
        const theirs = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y);
        assertNoLeak(`[${batch},${m},${k}]x[${k},${n}] simdMaxRows ${rows}`, () => {
          assertAllClose(tf.tidy(() => ours(a, b).dataSync()), tf.tidy(() => theirs(a, b).dataSync()), 1e-5, "forward");
          const r = projection(rng, ours, [a, b]);
          const reference = autodiffGradients(theirs, [a, b], r);
          autodiffGradients(ours, [a, b], r).forEach((g, i) => assertAllClose(g, reference[i], 1e-5, `grad ${i} vs tf`));
        });
      }
      tf.dispose([a, b]);
    }
  } finally {
    batchMatMulTuning.simdMaxRows = saved;
  }
});

test("batchMatMul names the argument and the value when shapes are wrong", async () => {
  await tf.setBackend("cpu");
  tf.tidy(() => {
    const a = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    assert.throws(() => batchMatMul(a, tf.zeros([3, 4, 5]) as tf.Tensor3D), /batchMatMul: batch sizes of a \[2,3,4\] and b \[3,4,5\] must match; got 2 and 3/);
    assert.throws(() => batchMatMul(a, tf.zeros([2, 5, 4]) as tf.Tensor3D), /batchMatMul: inner dimensions of a \[2,3,4\] \(transposeA=false\) and b \[2,5,4\] \(transposeB=false\) must match; got 4 and 5/);
    assert.throws(() => batchMatMul(tf.zeros([3, 4]) as unknown as tf.Tensor3D, a), /batchMatMul: a must be 3-D; got shape \[3,4\]/);
  });
});
