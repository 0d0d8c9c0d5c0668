import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { IGNORE_LABEL, maskedLmLoss } from "../../../src/data/bert/index";
import { useBackend } from "../../helpers/backend";

useBackend();

// Two rows of three positions, vocabulary 4; positions (0,1) and (1,2) are the masked ones.
const logitsArr = [[[1, 2, 3, 4], [0.5, -1, 2, 0], [5, 1, 1, 1]], [[2, 1, 0, -1], [1, 3, 1, 1], [0, 0, 9, 0]]];
const labelsArr = [[IGNORE_LABEL, 2, IGNORE_LABEL], [IGNORE_LABEL, IGNORE_LABEL, 1]];
const maskArr = [[0, 1, 0], [0, 0, 1]];

const logSoftmax = (row: number[]) => {
  const lse = Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
  return row.map((x) => x - lse);
};

test("the masked-LM loss is the mean NLL over masked positions, by hand", () => {
  const expected = (-logSoftmax(logitsArr[0][1])[2] - logSoftmax(logitsArr[1][2])[1]) / 2;
  const before = tf.memory().numTensors;
  const [logits, labels, mask] = [tf.tensor3d(logitsArr), tf.tensor2d(labelsArr, undefined, "int32"), tf.tensor2d(maskArr)];
  const loss = maskedLmLoss(logits, labels, mask);
  assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-5, `${loss.dataSync()[0]} vs ${expected}`);
  tf.dispose([logits, labels, mask, loss]);
  assert.equal(tf.memory().numTensors, before);
});

test("logits at unmasked positions change neither the loss nor get a gradient", () => {
  const [labels, mask] = [tf.tensor2d(labelsArr, undefined, "int32"), tf.tensor2d(maskArr)];
  const logits = tf.tensor3d(logitsArr);
  const changed = tf.tensor3d(logitsArr.map((row, b) => row.map((v, t) => (maskArr[b][t] ? v : v.map((x) => x * 7 - 3)))));
  const a = maskedLmLoss(logits, labels, mask);
  const b = maskedLmLoss(changed, labels, mask);
  assert.equal(a.dataSync()[0], b.dataSync()[0]);
  const grad = tf.grad((x: tf.Tensor) => maskedLmLoss(x as tf.Tensor3D, labels, mask))(logits);
  const g = grad.arraySync() as number[][][];
  for (let r = 0; r < 2; r++) {
    for (let t = 0; t < 3; t++) {
      // Oracle: (softmax - one-hot) / number of masked positions, and exactly 0 where unmasked.
      const p = logSoftmax(logitsArr[r][t]).map(Math.exp);
      for (let v = 0; v < 4; v++) {
        const want = maskArr[r][t] ? (p[v] - (v === labelsArr[r][t] ? 1 : 0)) / 2 : 0;
        if (maskArr[r][t]) assert.ok(Math.abs(g[r][t][v] - want) < 1e-6, `grad ${r},${t},${v}`);
        else assert.equal(g[r][t][v], 0);
      }
    }
  }
  const short = tf.zeros([2, 2], "int32") as tf.Tensor2D;
  assert.throws(() => maskedLmLoss(logits, short, mask), /labels must have shape \[2, 3\] like logits \[B, T, V\] = \[2,3,4\], got \[2,2\]/);
  tf.dispose([labels, mask, logits, changed, a, b, grad, short]);
});
