import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matMul } from "../../src/ops/index";
import { Rng } from "../../src/util/rng";
import { assertMatchesOracle, assertNoLeak, randomTensor, recordKernelCalls } from "./grad-check";

const flagCases: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

for (const backend of ["cpu", "wasm"]) {
  for (const [transposeA, transposeB] of flagCases) {
    test(`matMul(transposeA=${transposeA}, transposeB=${transposeB}) equals tf.matMul forward and backward on ${backend}`, async () => {
      await tf.setBackend(backend);
      const rng = new Rng(11);
      const a = randomTensor(rng, transposeA ? [4, 3] : [3, 4]);
      const b = randomTensor(rng, transposeB ? [5, 4] : [4, 5]);
      const ours = (x: tf.Tensor, y: tf.Tensor) => matMul(x as tf.Tensor2D, y as tf.Tensor2D, transposeA, transposeB);
      const theirs = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
      assertMatchesOracle(ours, theirs, [a, b], rng);
      tf.dispose([a, b]);
    });
  }
}

test("every product of matMul, forward and backward, is a plain non-transposed 2-D matmul", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(3);
  const a = randomTensor(rng, [6, 8]);
  const b = randomTensor(rng, [5, 8]);
  const calls = recordKernelCalls("BatchMatMul", "wasm", () =>
    tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true)))([a, b])),
  );
  assert.equal(calls.length, 3, "one forward and two backward products");
  for (const call of calls) {
    assert.equal(call.attrs.transposeA, false);
    assert.equal(call.attrs.transposeB, false);
    assert.ok(call.shapes.every((s) => s.length === 2), `2-D inputs, got ${JSON.stringify(call.shapes)}`);
  }
  tf.dispose([a, b]);
});

test("matMul names the argument and the value when shapes are wrong", async () => {
  await tf.setBackend("cpu");
  assertNoLeak("failed calls", () =>
    tf.tidy(() => {
      const a = tf.zeros([2, 3]) as tf.Tensor2D;
      const b = tf.zeros([4, 5]) as tf.Tensor2D;
      assert.throws(() => matMul(a, b), /matMul: inner dimensions of a \[2,3\] \(transposeA=false\) and b \[4,5\] \(transposeB=false\) must match; got 3 and 4/);
      assert.throws(() => matMul(tf.zeros([2, 3, 1]) as unknown as tf.Tensor2D, b), /matMul: a must be 2-D; got shape \[2,3,1\]/);
      assert.throws(() => matMul(tf.zeros([4, 4], "int32") as tf.Tensor2D, b), /matMul: a must be float32; got int32/);
    }),
  );
});
