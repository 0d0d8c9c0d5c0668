import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmKernels, unsortedSegmentSumValues } from "../../src/backend/index";
import { Rng } from "../../src/util/rng";

/** Runs `f` on a backend and returns its values as nested arrays. */
async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

function table(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => rng.normal()), [rows, cols]);
}

test("without the kernel tfjs-wasm cannot differentiate gather; with it, embedding gradients match cpu", async () => {
  await tf.setBackend("cpu");
  const rng = new Rng(41);
  const embed = table(rng, 7, 4);
  const weights = table(rng, 6, 4);
  const ids = tf.tensor1d([3, 0, 3, 6, 1, 3], "int32");
  const grad = () =>
    tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(embed).arraySync() as number[][]);
  const onCpu = await on("cpu", grad);
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) {
    await tf.setBackend("wasm");
    assert.throws(grad, /UnsortedSegmentSum/);
  }
  registerWasmKernels();
  registerWasmKernels();
  const before = tf.memory().numTensors;
  const onWasm = await on("wasm", grad);
  assert.equal(tf.memory().numTensors, before, "no tensors leaked");
  assert.deepEqual(onWasm, onCpu);
  assert.deepEqual(onCpu[2], [0, 0, 0, 0], "an id never looked up gets no gradient");
  tf.dispose([embed, weights, ids]);
});

test("gather along axis 1 and unsortedSegmentSum itself agree with cpu on wasm", async () => {
  registerWasmKernels();
  await tf.setBackend("cpu");
  const rng = new Rng(42);
  const x = table(rng, 5, 6);
  const cols = tf.tensor1d([5, 0, 5, 2], "int32");
  const segments = tf.tensor1d([2, 0, 2, 1, 0], "int32");
  const run = () =>
    tf.tidy(() => ({
      gatherGrad: tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, cols, 1))))(x).arraySync(),
      segmentSum: tf.unsortedSegmentSum(x, segments, 4).arraySync(),
      intSegmentSum: tf.unsortedSegmentSum(tf.cast(x, "int32"), segments, 3).arraySync(),
    }));
  const onCpu = await on("cpu", run);
  const onWasm = await on("wasm", run);
  assert.deepEqual(onWasm.segmentSum, onCpu.segmentSum);
  assert.deepEqual(onWasm.intSegmentSum, onCpu.intSegmentSum);
  const a = (onWasm.gatherGrad as number[][]).flat();
  (onCpu.gatherGrad as number[][]).flat().forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `element ${i}`));
  tf.dispose([x, cols, segments]);
});

test("unsortedSegmentSumValues sums rows by id and drops ids outside [0, numSegments)", () => {
  assert.deepEqual(Array.from(unsortedSegmentSumValues([1, 2, 3, 4, 5, 6], [3, 2], [1, 1, -1], 2)), [0, 0, 4, 6]);
  assert.deepEqual(Array.from(unsortedSegmentSumValues([1, 2, 3], [3], [0, 2, 0], 3)), [4, 0, 2]);
});
