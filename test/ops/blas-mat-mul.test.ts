import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { blasAddonPath, blasStatus, disableBlas, initBlas } from "../../src/backend/blas";
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
  assert.ok(fs.existsSync(blasAddonPath), `${blasAddonPath} must exist after npm run setup`);
});
