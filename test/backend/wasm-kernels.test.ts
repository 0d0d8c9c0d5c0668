import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmKernels, unsortedSegmentSumValues } from "../../src/backend/index";
import { blasAddon, disableBlas, initBlas } from "../../src/backend/blas";
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

/** The wasm backend's count of live data buffers (what a leak would raise). */
function wasmDataIds(): number {
  return (tf.engine().findBackend("wasm") as unknown as { numDataIds(): number }).numDataIds();
}

/** Counts the native addon's sum calls while `body` runs (the addon must be loaded). */
async function countNativeSums(body: () => Promise<void>): Promise<{ rows: number; cols: number }> {
  const addon = blasAddon();
  assert.ok(addon !== null, "the native addon must be loaded");
  const counts = { rows: 0, cols: 0 };
  const { sumRows, sumCols } = addon;
  addon.sumRows = (...args) => (counts.rows++, sumRows(...args));
  addon.sumCols = (...args) => (counts.cols++, sumCols(...args));
  try {
    await body();
  } finally {
    Object.assign(addon, { sumRows, sumCols });
  }
  return counts;
}

for (const native of [false, true]) {
  test(`Sum over leading axes${native ? " and trailing axes on the native addon" : " in JS"} matches cpu, keeps dims when asked, and accumulates in double precision; other sums defer to tfjs`, async () => {
    registerWasmKernels();
    await tf.setBackend("wasm");
    const status = native ? initBlas(2, {}) : null;
    if (native) assert.ok(status?.used, `the native addon must load after npm run setup: ${status?.why}`);
    else disableBlas("JS kernels under test");
    try {
      const counts = native ? await countNativeSums(() => sumCases(true)) : null;
      if (counts) {
        assert.equal(counts.rows, 2 * 5 + 1, "axis0, axes01, negative, the precision case and the empty one, on each of two wasm runs, and one shape check");
        assert.equal(counts.cols, 2 * 4 + 1, "last, the [1, 2] pair, the keepDims one and the precision case, on each of two wasm runs, and one shape check");
      } else {
        await sumCases(false);
      }
    } finally {
      disableBlas("test finished");
    }
  });
}

async function sumCases(native: boolean): Promise<void> {
  const rng = new Rng(43);
  const x3 = tf.tensor3d(Float32Array.from({ length: 3 * 4 * 5 }, () => rng.normal()), [3, 4, 5]);
  const ints = tf.tensor2d([[1, 2], [3, 4], [5, 7]], [3, 2], "int32");
  const run = () =>
    tf.tidy(() => ({
      axis0: tf.sum(x3, 0).arraySync(),
      axes01: tf.sum(x3, [1, 0]).arraySync(),
      negative: tf.sum(x3, [-3, -2], true).arraySync(),
      middle: tf.sum(x3, 1).arraySync(),
      last: tf.sum(x3, -1).arraySync(),
      trailingPair: tf.sum(x3, [2, 1]).arraySync(),
      trailingKept: tf.sum(x3, -1, true).arraySync(),
      all: tf.sum(x3).arraySync(),
      ints: tf.sum(ints, 0).arraySync(),
      precision: tf.sum(tf.tensor2d([[1e8, 1], [1, 1e8], [-1e8, -1e8]]), 0).arraySync(),
      trailingPrecision: tf.sum(tf.tensor2d([[1e8, 1, -1e8]]), 1).arraySync(),
      empty: tf.sum(tf.zeros([0, 3]), 0).arraySync(),
    }));
  const onCpu = await on("cpu", run);
  await on("wasm", run); // moves x3 and ints to wasm
  const before = wasmDataIds();
  const onWasm = await on("wasm", run);
  assert.equal(wasmDataIds(), before, "no buffers left behind");
  for (const key of Object.keys(onCpu) as (keyof typeof onCpu)[]) {
    const a = [onWasm[key]].flat(3) as number[];
    const b = [onCpu[key]].flat(3) as number[];
    assert.equal(a.length, b.length, key);
    if (key === "precision" || key === "trailingPrecision") continue;
    b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) <= 1e-5 * Math.max(1, Math.abs(v)), `${key} element ${i}: ${a[i]} vs ${v}`));
  }
  assert.deepEqual(tf.tidy(() => tf.sum(x3, [0, 1], true).shape), [1, 1, 5]);
  assert.deepEqual(tf.tidy(() => tf.sum(x3, -1, true).shape), [3, 4, 1]);
  // 1e8 + 1 rounds back to 1e8 in float32; summed in double the 1 survives the cancellation.
  assert.deepEqual(onWasm.precision, [1, 1]);
  // tfjs's own kernel sums trailing axes in float32; the native one in double.
  assert.deepEqual(onWasm.trailingPrecision, [native ? 1 : 0]);
  tf.dispose([x3, ints]);
}

test("Identity and same-dtype Cast share the tensor's data on wasm; each copy outlives the original", async () => {
  registerWasmKernels();
  await tf.setBackend("wasm");
  const before = wasmDataIds();
  const x = tf.tensor2d([[1.5, -2.25], [3, 4.75]]);
  const clone = tf.clone(x);
  const same = tf.cast(x, "float32");
  const ints = tf.cast(x, "int32");
  const id = (t: tf.Tensor) => (t as unknown as { dataId: object }).dataId;
  assert.equal(id(clone), id(x));
  assert.equal(id(same), id(x));
  assert.notEqual(id(ints), id(x));
  assert.equal(wasmDataIds(), before + 2, "one buffer for x and its two views, one for the int32 cast");
  x.dispose();
  assert.deepEqual(clone.arraySync(), [[1.5, -2.25], [3, 4.75]]);
  assert.deepEqual(same.arraySync(), [[1.5, -2.25], [3, 4.75]]);
  assert.deepEqual(ints.arraySync(), [[1, -2], [3, 4]]);
  clone.dispose();
  assert.equal(wasmDataIds(), before + 2, "the buffer lives while a view holds it");
  tf.dispose([same, ints]);
  assert.equal(wasmDataIds(), before, "and is freed with the last one");
});

test("gather along axis 0 copies rows as cpu does, for any shape of ids; an id out of range throws and leaves nothing behind", async () => {
  registerWasmKernels();
  const rng = new Rng(44);
  const x = table(rng, 7, 4);
  const ids = tf.tensor2d([[3, 0], [6, 6], [1, 3]], [3, 2], "int32");
  const intTable = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32");
  const run = () =>
    tf.tidy(() => ({
      rows: tf.gather(x, ids).arraySync(),
      flat: tf.gather(tf.reshape(x, [28]), tf.tensor1d([27, 0, 5], "int32")).arraySync(),
      ints: tf.gather(intTable, tf.tensor1d([2, 2, 0], "int32")).arraySync(),
    }));
  const onCpu = await on("cpu", run);
  const onWasm = await on("wasm", run);
  assert.deepEqual(onWasm, onCpu);
  const before = wasmDataIds();
  const bad = tf.tensor1d([2, 7], "int32");
  assert.throws(() => tf.gather(x, bad), /GatherV2: the index value 7 is not in \[0, 6\]/);
  bad.dispose();
  assert.equal(wasmDataIds(), before);
  tf.dispose([x, ids, intTable]);
});

test("SplitV copies contiguous runs as cpu splits, along every axis, with uneven sizes and int32; concat's gradient matches", async () => {
  registerWasmKernels();
  const rng = new Rng(45);
  const x = tf.tensor3d(Float32Array.from({ length: 4 * 6 * 5 }, () => rng.normal()), [4, 6, 5]);
  const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
  const w = tf.tensor3d(Float32Array.from({ length: 4 * 9 * 5 }, () => rng.normal()), [4, 9, 5]);
  const run = () =>
    tf.tidy(() => ({
      axis0: tf.split(x, [1, 3], 0).map((t) => t.arraySync()),
      axis1: tf.split(x, [2, 1, 3], 1).map((t) => t.arraySync()),
      axis2: tf.split(x, [4, 1], -1).map((t) => t.arraySync()),
      even: tf.split(x, 3, 1).map((t) => t.arraySync()),
      ints: tf.split(ints, [2, 1], 1).map((t) => t.arraySync()),
      concatGrad: tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.concat([a, b], 1), w)))([x, tf.slice(x, [0, 0, 0], [4, 3, 5])]).map((t) => t.arraySync()),
    }));
  const onCpu = await on("cpu", run);
  await on("wasm", run); // moves the inputs to wasm
  const before = wasmDataIds();
  const installed = tf.getKernel("SplitV", "wasm")?.kernelFunc as unknown as Record<symbol, boolean>;
  assert.equal(installed[Symbol.for("supernet-lab.replaced-wasm-kernel")], true, "the replacement serves SplitV");
  const onWasm = await on("wasm", run);
  assert.equal(wasmDataIds(), before, "no buffers left behind");
  assert.deepEqual(onWasm, onCpu);
  tf.dispose([x, ints, w]);
});
