import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { sliceBlock, sliceVector } from "../../src/ops/index";
import { padBlockKernel, runBlockKernel } from "../../src/ops/block-kernels";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertNoLeak, autodiffGradients, numericGradients, projection, randomTensor, recordKernelCalls } from "./grad-check";

const blocks: [number, number][] = [
  [2, 3], // rows and columns cut
  [3, 5], // first rows only: one contiguous copy
  [4, 2], // columns only
  [4, 5], // the whole weight
  [0, 5], // empty
];

for (const backend of ["cpu", "wasm"]) {
  test(`sliceBlock equals tf.slice, with a zero-padded gradient, on ${backend}`, async () => {
    await tf.setBackend(backend);
    const rng = new Rng(21);
    const w = randomTensor(rng, [4, 5]);
    for (const [rows, cols] of blocks) {
      const ours = (x: tf.Tensor) => sliceBlock(x, rows, cols);
      const theirs = (x: tf.Tensor) => tf.slice(x, [0, 0], [rows, cols]);
      assertNoLeak(`block ${rows}x${cols}`, () => {
        const y = ours(w);
        const [shape, values] = [y.shape, y.dataSync()];
        if (y !== w) y.dispose(); // the full block is w itself
        assert.deepEqual(shape, [rows, cols]);
        assertAllClose(values, tf.tidy(() => theirs(w).dataSync()), 0, `forward ${rows}x${cols}`);
        if (rows * cols === 0) return;
        const r = projection(rng, ours, [w]);
        const [grad] = autodiffGradients(ours, [w], r);
        assertAllClose(grad, autodiffGradients(theirs, [w], r)[0], 0, `grad ${rows}x${cols} vs tf`);
        assertAllClose(grad, numericGradients(ours, [w], r)[0], 1e-3, `grad ${rows}x${cols} vs central differences`);
      });
    }
    w.dispose();
  });

  test(`sliceVector equals tf.slice, with a zero-padded gradient, on ${backend}`, async () => {
    await tf.setBackend(backend);
    const rng = new Rng(22);
    const v = randomTensor(rng, [6]);
    for (const k of [0, 1, 4, 6]) {
      assertNoLeak(`k=${k}`, () => {
        assertAllClose(tf.tidy(() => sliceVector(v, k).dataSync()), tf.tidy(() => tf.slice(v, [0], [k]).dataSync()), 0, `forward k=${k}`);
        if (k === 0) return;
        const ours = (x: tf.Tensor) => sliceVector(x, k);
        const r = projection(rng, ours, [v]);
        const [grad] = autodiffGradients(ours, [v], r);
        assert.deepEqual(Array.from(grad), [...Array.from(r), ...new Array(6 - k).fill(0)]);
        assertAllClose(grad, numericGradients(ours, [v], r)[0], 1e-3, `grad k=${k} vs central differences`);
      });
    }
    v.dispose();
  });

  test(`the pad kernel (sliceBlock's gradient) zero-fills and has the slice as its own gradient on ${backend}`, async () => {
    await tf.setBackend(backend);
    const rng = new Rng(23);
    const x = randomTensor(rng, [2, 3]);
    assertNoLeak("pad", () => {
      const pad = (t: tf.Tensor) => runBlockKernel(padBlockKernel, t, [2, 3], [4, 5]);
      assertAllClose(tf.tidy(() => pad(x).dataSync()), tf.tidy(() => tf.pad(x, [[0, 2], [0, 2]]).dataSync()), 0, "forward");
      const r = projection(rng, pad, [x]);
      assertAllClose(autodiffGradients(pad, [x], r)[0], numericGradients(pad, [x], r)[0], 1e-3, "grad vs central differences");
    });
    x.dispose();
  });

  test(`sliceBlock keeps int32 values exact on ${backend}`, async () => {
    await tf.setBackend(backend);
    const ids = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
    const block = sliceBlock(ids, 2, 2);
    assert.equal(block.dtype, "int32");
    assert.deepEqual(block.arraySync(), [[1, 2], [4, 5]]);
    tf.dispose([ids, block]);
  });
}

test("on wasm sliceBlock never calls tfjs's Slice kernel (which copies the whole weight off the heap)", async () => {
  await tf.setBackend("wasm");
  const w = tf.ones([64, 32]);
  const calls = recordKernelCalls("Slice", "wasm", () => {
    tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(sliceBlock(x, 10, 7)))(w));
  });
  assert.equal(calls.length, 0);
  w.dispose();
});

test("sliceBlock and sliceVector name the argument and the value", async () => {
  await tf.setBackend("cpu");
  tf.tidy(() => {
    const w = tf.zeros([4, 5]);
    assert.throws(() => sliceBlock(w, 5, 2), /sliceBlock: rows must be an integer in \[0, 4\]; got 5/);
    assert.throws(() => sliceBlock(w, 2, 1.5), /sliceBlock: cols must be an integer in \[0, 5\]; got 1.5/);
    assert.throws(() => sliceBlock(tf.zeros([4]), 1, 1), /sliceBlock: w must be 2-D; got shape \[4\]/);
    assert.throws(() => sliceVector(w, 1), /sliceVector: v must be 1-D; got shape \[4,5\]/);
    assert.throws(() => sliceVector(tf.zeros([3]), -1), /sliceVector: k must be an integer in \[0, 3\]; got -1/);
  });
});
