import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { labelSmoothedLoss } from "../../src/supernet/loss";
import { useBackend } from "../helpers/backend";

useBackend();

test("label-smoothed loss equals a hand computation, ignores padding, and has the one-hot gradient", () => {
  // Two rows, three tokens each (the third is padding), vocabulary 4.
  const logitsArr = [[[1, 2, 3, 4], [0, 0, 0, 0], [5, 1, 1, 1]], [[2, 1, 0, -1], [1, 3, 1, 1], [0, 0, 9, 0]]];
  const targetsArr = [[3, 0, 2], [0, 1, 2]];
  const maskArr = [[1, 1, 0], [1, 1, 0]];
  const eps = 0.1;
  let expected = 0;
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < 2; t++) {
      const row = logitsArr[b][t];
      const lse = Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
      const lp = row.map((x) => x - lse);
      expected += (1 - eps) * -lp[targetsArr[b][t]] + eps * -(lp.reduce((s, x) => s + x, 0) / 4);
    }
  }
  expected /= 4;
  const logits = tf.tensor3d(logitsArr);
  const targets = tf.tensor2d(targetsArr, undefined, "int32");
  const mask = tf.tensor2d(maskArr);
  const loss = labelSmoothedLoss(logits, targets, mask, eps).dataSync()[0];
  assert.ok(Math.abs(loss - expected) < 1e-5, `${loss} vs ${expected}`);
  // Gradient against the one-hot formulation (independent oracle).
  const oneHotLoss = (x: tf.Tensor) => {
    const lp = tf.logSoftmax(x);
    const per = tf.add(tf.mul(tf.neg(tf.sum(tf.mul(lp, tf.oneHot(targets, 4)), -1)), 1 - eps), tf.mul(tf.neg(tf.mean(lp, -1)), eps));
    return tf.div(tf.sum(tf.mul(per, mask)), tf.sum(mask)) as tf.Scalar;
  };
  const g1 = tf.grad((x: tf.Tensor) => labelSmoothedLoss(x as tf.Tensor3D, targets, mask, eps))(logits).dataSync();
  const g2 = tf.grad(oneHotLoss)(logits).dataSync();
  for (let i = 0; i < g1.length; i++) assert.ok(Math.abs(g1[i] - g2[i]) < 1e-6, `grad ${i}`);
  assert.throws(() => labelSmoothedLoss(logits, targets, mask, 1), /labelSmoothing must be in \[0, 1\); got 1/);
  tf.dispose([logits, targets, mask]);
});
