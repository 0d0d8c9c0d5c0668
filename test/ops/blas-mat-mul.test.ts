import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { blasAddon, blasAddonPath, blasStatus, disableBlas, gemmLayout, initBlas } from "../../src/backend/blas";
import { batchMatMul, matMul } from "../../src/ops/index";
import { blasMatMulKernel, registerBlasMatMul } from "../../src/ops/blas-mat-mul-kernel";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertNoLeak, autodiffGradients, numericGradients, projection, randomTensor, recordKernelCalls } from "./grad-check";

// The set-up builds the addon; a missing one is a failed install, not a reason to skip.
const flagCases: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

async function withBlas<T>(body: () => T): Promise<T> {
  await tf.setBackend("wasm");
  registerBlasMatMul();
  const status = initBlas(2, {});
  assert.ok(status.used, `the OpenBLAS addon must load after npm run setup: ${status.why}`);
  try {
    return body();
  } finally {
    disableBlas("test finished");
  }
}

for (const [transposeA, transposeB] of flagCases) {
  test(`on OpenBLAS, matMul(transposeA=${transposeA}, transposeB=${transposeB}) equals tf.matMul and the numeric gradient, copying no operand`, async () => {
    await tf.setBackend("wasm");
    const rng = new Rng(41);
    // Odd sizes, so a wrong leading dimension or a swapped M/N cannot pass.
    const a = randomTensor(rng, transposeA ? [7, 5] : [5, 7]) as tf.Tensor2D;
    const b = randomTensor(rng, transposeB ? [3, 7] : [7, 3]) as tf.Tensor2D;
    const ours = (x: tf.Tensor, y: tf.Tensor) => matMul(x as tf.Tensor2D, y as tf.Tensor2D, transposeA, transposeB);
    const theirs = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
    const r = projection(rng, theirs, [a, b]);
    const expectedForward = tf.tidy(() => theirs(a, b).dataSync());
    const expectedGrads = autodiffGradients(theirs, [a, b], r);
    await withBlas(() =>
      assertNoLeak("blas matMul", () => {
        let forward: tf.TypedArray = new Float32Array(0);
        let grads: Float32Array[] = [];
        const transposes = recordKernelCalls("Transpose", "wasm", () => {
          const calls = recordKernelCalls(blasMatMulKernel, "wasm", () => {
            forward = tf.tidy(() => ours(a, b).dataSync());
            grads = autodiffGradients(ours, [a, b], r);
          });
          assert.equal(calls.length, 4, "one product forward (twice: value and gradient pass) is 2, plus two in backward");
        });
        assert.equal(transposes.length, 0, "sgemm's flags replace every explicit transpose");
        assertAllClose(forward, expectedForward, 1e-5, "forward");
        grads.forEach((g, i) => assertAllClose(g, expectedGrads[i], 1e-5, `grad ${i} vs tf`));
        numericGradients(ours, [a, b], r).forEach((g, i) => assertAllClose(grads[i], g, 2e-2, `grad ${i} vs numeric`));
      }),
    );
    tf.dispose([a, b]);
  });

  test(`on OpenBLAS, batchMatMul(transposeA=${transposeA}, transposeB=${transposeB}) equals tf.matMul forward and backward`, async () => {
    await tf.setBackend("wasm");
    const rng = new Rng(42);
    const a = randomTensor(rng, transposeA ? [3, 6, 5] : [3, 5, 6]) as tf.Tensor3D;
    const b = randomTensor(rng, transposeB ? [3, 9, 6] : [3, 6, 9]) as tf.Tensor3D;
    const ours = (x: tf.Tensor, y: tf.Tensor) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D, transposeA, transposeB);
    const theirs = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
    const r = projection(rng, theirs, [a, b]);
    const expectedForward = tf.tidy(() => theirs(a, b).dataSync());
    const expectedGrads = autodiffGradients(theirs, [a, b], r);
    await withBlas(() =>
      assertNoLeak("blas batchMatMul", () => {
        let forward: tf.TypedArray = new Float32Array(0);
        let grads: Float32Array[] = [];
        const calls = recordKernelCalls(blasMatMulKernel, "wasm", () => {
          forward = tf.tidy(() => ours(a, b).dataSync());
          grads = autodiffGradients(ours, [a, b], r);
        });
        assert.ok(calls.length >= 3, `products go to OpenBLAS; got ${calls.length} calls`);
        assertAllClose(forward, expectedForward, 1e-5, "forward");
        grads.forEach((g, i) => assertAllClose(g, expectedGrads[i], 1e-5, `grad ${i} vs tf`));
      }),
    );
    tf.dispose([a, b]);
  });
}

test("on OpenBLAS, a 256x384x320 product agrees with wasm's own kernel, and empty inner dimensions give zeros", async () => {
  const rng = new Rng(43);
  await tf.setBackend("wasm");
  const a = randomTensor(rng, [256, 384]) as tf.Tensor2D;
  const b = randomTensor(rng, [384, 320]) as tf.Tensor2D;
  const expected = tf.tidy(() => tf.matMul(a, b).dataSync());
  await withBlas(() => {
    assertAllClose(tf.tidy(() => matMul(a, b).dataSync()), expected, 1e-4, "256x384x320");
    const empty = tf.tidy(() => matMul(tf.zeros([4, 0]) as tf.Tensor2D, tf.zeros([0, 3]) as tf.Tensor2D).dataSync());
    assert.deepEqual(Array.from(empty), new Array(12).fill(0));
  });
  tf.dispose([a, b]);
});

test("the addon's gemm runs two batch levels at free leading dimensions, scaled, and refuses layouts that leave the heap", () => {
  initBlas(2, {});
  const addon = blasAddon();
  assert.ok(addon, "the addon must load after npm run setup");
  try {
    // x [2, 5, 3·4] holds 3 heads of size 4 per item; scores[o, i] = 0.5 · x_oi x_oi^T over each head i.
    const [outer, inner, rows, size] = [2, 3, 5, 4];
    const width = inner * size;
    const heap = new Float32Array(outer * rows * width + outer * inner * rows * rows);
    const bytes = new Uint8Array(heap.buffer);
    const rng = new Rng(44);
    for (let i = 0; i < outer * rows * width; i++) heap[i] = rng.normal();
    const cOffset = 4 * outer * rows * width;
    const x = { offset: 0, ld: width, outerStride: 4 * rows * width, innerStride: 4 * size };
    const c = { offset: cOffset, ld: rows, outerStride: 4 * inner * rows * rows, innerStride: 4 * rows * rows };
    addon.gemm(bytes, false, true, 0.5, gemmLayout(rows, rows, size, outer, inner, x, x, c));
    for (let o = 0; o < outer; o++)
      for (let h = 0; h < inner; h++)
        for (let r = 0; r < rows; r++)
          for (let q = 0; q < rows; q++) {
            let dot = 0;
            for (let j = 0; j < size; j++) dot += heap[o * rows * width + r * width + h * size + j] * heap[o * rows * width + q * width + h * size + j];
            const got = heap[cOffset / 4 + ((o * inner + h) * rows + r) * rows + q];
            assert.ok(Math.abs(got - 0.5 * dot) < 1e-5, `item ${o}, head ${h}, [${r}, ${q}]: ${got} vs ${0.5 * dot}`);
          }
    const pastEnd = { ...c, offset: cOffset + 4 };
    assert.throws(() => addon.gemm(bytes, false, true, 1, gemmLayout(rows, rows, size, outer, inner, x, x, pastEnd)), /an operand reaches past the end of the heap/);
    assert.throws(() => addon.gemm(bytes, false, true, 1, gemmLayout(rows, rows, size, outer, inner, { ...x, ld: size - 1 }, x, c)), /leading dimension is shorter than a row/);
    assert.throws(() => addon.gemm(bytes, false, true, 1, new Float64Array(16)), /layout must be a Float64Array of 17 numbers/);
    assert.throws(() => addon.gemm(bytes, false, true, 1, gemmLayout(rows, rows, size, outer, inner, { ...x, offset: -4 }, x, c)), /non-negative integers/);
  } finally {
    disableBlas("test finished");
  }
});

test("without the addon the wasm kernels serve and the status says why; SUPERNET_BLAS is checked", async () => {
  await tf.setBackend("wasm");
  registerBlasMatMul();
  const nowhere = path.join(os.tmpdir(), "no-such-dir", "supernet_blas.node");
  const status = initBlas(2, {}, nowhere);
  assert.equal(status.used, false);
  assert.match(status.why, /not built .*no-such-dir.*npm run setup/);
  assert.equal(blasStatus().used, false);
  const calls = recordKernelCalls(blasMatMulKernel, "wasm", () => tf.tidy(() => matMul(tf.ones([2, 3]) as tf.Tensor2D, tf.ones([3, 2]) as tf.Tensor2D).dataSync()));
  assert.equal(calls.length, 0, "no product reaches OpenBLAS");
  assert.throws(() => initBlas(2, { SUPERNET_BLAS: "on" }, nowhere), /SUPERNET_BLAS=on but the OpenBLAS addon is not built/);
  assert.throws(() => initBlas(2, { SUPERNET_BLAS: "maybe" }), /SUPERNET_BLAS must be one of on, off, auto .*got "maybe"/);
  assert.deepEqual(initBlas(2, { SUPERNET_BLAS: "off" }), { used: false, why: "SUPERNET_BLAS=off" });
  const corrupt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "blas-")), "supernet_blas.node");
  fs.writeFileSync(corrupt, "not a shared object");
  assert.match(initBlas(2, {}, corrupt).why, /failed to load/);
  // A build from older sources with every function but an older interface (say, gemm's old arguments).
  const stale = path.join(path.dirname(corrupt), "stale-addon.js");
  const functions = ["gemm", "threads", "config", "sumRows", "sumCols", "xentStats", "xentGrad", "adamUpdate", "layerNorm", "layerNormGrad", "dropout", "dropoutGrad"];
  fs.writeFileSync(stale, functions.map((f) => `exports.${f} = () => 1;`).join("\n"));
  assert.match(initBlas(2, {}, stale).why, /built from older sources \(interface 1, this library needs \d+\); bash scripts\/setup.sh rebuilds it/);
  assert.ok(fs.existsSync(blasAddonPath), `${blasAddonPath} must exist after npm run setup`);
});
