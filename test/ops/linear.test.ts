import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { linear } from "../../src/ops/index";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertNoLeak, autodiffGradients, numericGradients, projection, randomTensor } from "./grad-check";

/** The plain tfjs oracle: y = x W + b with W [in, out]. */
function reference(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = w.shape[0];
  const flat = tf.matMul(tf.reshape(x, [-1, inDim]), w);
  return tf.reshape(b ? tf.add(flat, b) : flat, [...x.shape.slice(0, -1), w.shape[1] as number]);
}

for (const backend of ["cpu", "wasm"]) {
  test(`linear with bias on (2, 3, 4) inputs equals x W + b forward and backward on ${backend}`, async () => {
    await tf.setBackend(backend);
    const rng = new Rng(5);
    const x = randomTensor(rng, [2, 3, 4]);
    const w = randomTensor(rng, [4, 5]);
    const b = randomTensor(rng, [5]);
    assertNoLeak("linear", () => {
      const shape = tf.tidy(() => linear(x, w, b).shape);
      assert.deepEqual(shape, [2, 3, 5]);
      assertAllClose(tf.tidy(() => linear(x, w, b).dataSync()), tf.tidy(() => reference(x, w, b).dataSync()), 1e-5, "forward");
      const r = projection(rng, linear, [x, w, b]);
      const grads = autodiffGradients(linear, [x, w, b], r);
      const expected = autodiffGradients(reference, [x, w, b], r);
      const numeric = numericGradients(linear, [x, w, b], r);
      ["x", "weight", "bias"].forEach((name, i) => {
        assertAllClose(grads[i], expected[i], 1e-5, `d${name} vs tf`);
        assertAllClose(grads[i], numeric[i], 1e-3, `d${name} vs central differences`);
      });
    });
    tf.dispose([x, w, b]);
  });

  test(`linear without bias on a vector and on a matrix matches x W on ${backend}`, async () => {
    await tf.setBackend(backend);
    const rng = new Rng(6);
    const w = randomTensor(rng, [3, 2]);
    for (const shape of [[3], [4, 3]]) {
      const x = randomTensor(rng, shape);
      assertNoLeak("linear", () => {
        assertAllClose(tf.tidy(() => linear(x, w).dataSync()), tf.tidy(() => reference(x, w).dataSync()), 1e-5, `forward ${shape}`);
        const r = projection(rng, (a, b) => linear(a, b), [x, w]);
        const grads = autodiffGradients((a, b) => linear(a, b), [x, w], r);
        const numeric = numericGradients((a, b) => linear(a, b), [x, w], r);
        grads.forEach((g, i) => assertAllClose(g, numeric[i], 1e-3, `grad ${i} of ${shape}`));
      });
      x.dispose();
    }
    w.dispose();
  });
}

test("linear names the mismatched argument and its shape", async () => {
  await tf.setBackend("cpu");
  tf.tidy(() => {
    const x = tf.zeros([2, 4]);
    assert.throws(() => linear(x, tf.zeros([3, 5])), /linear: last dim of x \[2,4\] and rows of weight \[3,5\] must match; got 4 and 3/);
    assert.throws(() => linear(x, tf.zeros([4, 5]), tf.zeros([6])), /linear: bias \[6\] and columns of weight \[4,5\] must match; got 6 and 5/);
    assert.throws(() => linear(x, tf.zeros([4])), /linear: weight must be 2-D; got shape \[4\]/);
  });
});
