import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { mixExperts, mixExpertsReference } from "../../src/ops/index";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertNoLeak, autodiffGradients, numericGradients, projection, randomTensor } from "./grad-check";

/** W[r][c] = sum_i alpha[c or 0][i] * E_i[r][c], as loops over rows, columns and experts. */
function loopMix(experts: number[][][], alpha: number[][]): number[] {
  const out: number[] = [];
  for (let r = 0; r < experts[0].length; r++) {
    for (let c = 0; c < experts[0][0].length; c++) {
      out.push(experts.reduce((s, e, i) => s + (alpha.length === 1 ? alpha[0][i] : alpha[c][i]) * e[r][c], 0));
    }
  }
  return out;
}

for (const backend of ["cpu", "wasm"]) {
  for (const [granularity, alphaRows] of [["layer-wise", 1], ["neuron-wise", 5]] as const) {
    test(`mixExperts (${granularity}, 3 experts) equals a loop and tf ops forward, and autodiff and central differences backward, on ${backend}`, async () => {
      await tf.setBackend(backend);
      const rng = new Rng(alphaRows);
      const experts = [0, 1, 2].map(() => randomTensor(rng, [4, 5]));
      const alpha = tf.softmax(randomTensor(rng, [alphaRows, 3])) as tf.Tensor2D;
      const f = (a: tf.Tensor, ...es: tf.Tensor[]) => mixExperts(es, a as tf.Tensor2D);
      const ref = (a: tf.Tensor, ...es: tf.Tensor[]) => mixExpertsReference(es, a as tf.Tensor2D);
      assertNoLeak("mixExperts", () => {
        const loop = loopMix(experts.map((e) => e.arraySync() as number[][]), alpha.arraySync());
        assertAllClose(tf.tidy(() => mixExperts(experts, alpha).dataSync()), Float32Array.from(loop), 1e-5, "forward vs loop");
        const r = projection(rng, f, [alpha, ...experts]);
        const grads = autodiffGradients(f, [alpha, ...experts], r);
        const expected = autodiffGradients(ref, [alpha, ...experts], r);
        const numeric = numericGradients(f, [alpha, ...experts], r);
        ["alpha", "e0", "e1", "e2"].forEach((name, i) => {
          assertAllClose(grads[i], expected[i], 1e-4, `d${name} vs tf`);
          assertAllClose(grads[i], numeric[i], 2e-3, `d${name} vs central differences`);
        });
        // Vectors (biases) mix the same way.
        const biases = [0, 1, 2].map(() => randomTensor(rng, [5]));
        assertAllClose(tf.tidy(() => mixExperts(biases, alpha).dataSync()), tf.tidy(() => mixExpertsReference(biases, alpha).dataSync()), 1e-5, "vector forward");
        tf.dispose(biases);
      });
      tf.dispose([...experts, alpha]);
    });
  }
}

test("mixExperts names the argument and its shape when they do not fit", async () => {
  await tf.setBackend("cpu");
  const e = [tf.zeros([2, 3]), tf.zeros([2, 3])];
  assert.throws(() => mixExperts(e, tf.zeros([1, 3]) as tf.Tensor2D), /alpha must be \(1 or out, 2\) for 2 experts; got shape \[1,3\]/);
  assert.throws(() => mixExperts(e, tf.zeros([2, 2]) as tf.Tensor2D), /alpha has 2 rows; expected 1 or 3/);
  assert.throws(() => mixExperts([e[0], tf.zeros([3, 2])], tf.zeros([1, 2]) as tf.Tensor2D), /experts must share one shape/);
  assert.throws(() => mixExperts([], tf.zeros([1, 0]) as tf.Tensor2D), /experts is empty/);
});
