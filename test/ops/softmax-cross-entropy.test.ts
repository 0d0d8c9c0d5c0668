import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { disableBlas, initBlas } from "../../src/backend/blas";
import { registerWasmKernels } from "../../src/backend/index";
import { fusedCrossEntropyAvailable, registerXentKernels, softmaxCrossEntropyRows, xentGradKernel, xentStatsKernel } from "../../src/ops/softmax-cross-entropy";
import { Rng } from "../../src/util/rng";
import { assertAllClose, assertNoLeak, autodiffGradients, numericGradients, recordKernelCalls } from "./grad-check";

before(async () => {
  await tf.setBackend("wasm");
});

// The set-up builds the addon; a missing one is a failed install, not a reason to skip.
async function route<T>(native: boolean, body: () => T): Promise<T> {
  await tf.setBackend("wasm");
  registerWasmKernels();
  registerXentKernels();
  if (native) {
    const status = initBlas(2, {});
    assert.ok(status.used, `the native addon must load after npm run setup: ${status.why}`);
  } else {
    disableBlas("the tfjs composition under test");
  }
  try {
    assert.equal(fusedCrossEntropyAvailable(), native);
    return body();
  } finally {
    disableBlas("test finished");
  }
}

function logitsOf(rng: Rng, rows: number, vocab: number, scale: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: rows * vocab }, () => scale * rng.normal()), [rows, vocab]);
}

function targetsOf(rng: Rng, rows: number, vocab: number): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from({ length: rows }, () => rng.int(vocab)), "int32");
}

/** Loss and gradient of the weighted sum of per-row losses, in float64 from the definition. */
function reference(x: Float32Array, targets: Int32Array, w: Float32Array, vocab: number, s: number): { loss: Float64Array; grad: Float64Array } {
  const rows = targets.length;
  const loss = new Float64Array(rows);
  const grad = new Float64Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * vocab, (r + 1) * vocab);
    const m = Math.max(...row);
    let sum = 0;
    let mean = 0;
    for (const v of row) {
      sum += Math.exp(v - m);
      mean += v / vocab;
    }
    const lse = m + Math.log(sum);
    loss[r] = (1 - s) * (lse - row[targets[r]]) + s * (lse - mean);
    for (let c = 0; c < vocab; c++) grad[r * vocab + c] = w[r] * (Math.exp(row[c] - lse) - s / vocab - (c === targets[r] ? 1 - s : 0));
  }
  return { loss, grad };
}

for (const smoothing of [0, 0.1]) {
  test(`fused cross entropy (smoothing ${smoothing}) equals the tfjs composition and float64, loss and gradient, with zero-weight rows exactly zero`, async () => {
    const rng = new Rng(61);
    // Odd sizes, a vocabulary that is not a multiple of the 16 vector lanes, and a few ignored rows.
    const [rows, vocab] = [23, 37];
    const x = logitsOf(rng, rows, vocab, 4);
    const targets = targetsOf(rng, rows, vocab);
    const w = Float32Array.from({ length: rows }, (_, r) => (r % 5 === 2 ? 0 : rng.normal()));
    const f = (t: tf.Tensor) => softmaxCrossEntropyRows(t as tf.Tensor2D, targets, smoothing);
    const run = () =>
      assertNoLeak("cross entropy", () => {
        const loss = tf.tidy(() => f(x).dataSync() as Float32Array);
        const [grad] = autodiffGradients(f, [x], w);
        return { loss, grad };
      });
    const composed = await route(false, run);
    let fused = { loss: new Float32Array(0), grad: new Float32Array(0) };
    await route(true, () => {
      const exps = recordKernelCalls("Exp", "wasm", () => {
        const stats = recordKernelCalls(xentStatsKernel, "wasm", () => {
          const grads = recordKernelCalls(xentGradKernel, "wasm", () => (fused = run()));
          assert.equal(grads.length, 1, "one fused gradient kernel");
        });
        assert.equal(stats.length, 2, "the statistics kernel, once for the value and once in the gradient pass");
      });
      assert.equal(exps.length, 0, "no tfjs exp on the fused route");
    });
    const want = reference(x.dataSync() as Float32Array, targets.dataSync() as Int32Array, w, vocab, smoothing);
    assertAllClose(fused.loss, composed.loss, 1e-5, "loss: fused vs tfjs");
    assertAllClose(fused.loss, want.loss, 1e-5, "loss: fused vs float64");
    assertAllClose(fused.grad, composed.grad, 1e-5, "grad: fused vs tfjs");
    assertAllClose(fused.grad, want.grad, 1e-5, "grad: fused vs float64");
    for (let r = 2; r < rows; r += 5) assert.ok(fused.grad.subarray(r * vocab, (r + 1) * vocab).every((g) => g === 0), `row ${r} has weight 0`);
    tf.dispose([x, targets]);
  });
}

test("fused cross entropy matches central differences and stays finite for extreme logits", async () => {
  const rng = new Rng(62);
  const targets = tf.tensor1d([4, 0, 2], "int32");
  const x = logitsOf(rng, 3, 5, 1);
  const f = (t: tf.Tensor) => softmaxCrossEntropyRows(t as tf.Tensor2D, targets, 0.1);
  const r = Float32Array.from([0.7, -1.3, 2.1]);
  await route(true, () => {
    const [grad] = autodiffGradients(f, [x], r);
    assertAllClose(grad, numericGradients(f, [x], r)[0], 1e-3, "grad vs central differences");
  });
  // Rows far outside exp's range: a shifted logit of -1e4 must give probability 0, not NaN or Inf,
  // and a row of equal huge logits is uniform.
  const extreme = tf.tensor2d([
    [1e4, 0, -1e4, 50, -50],
    [3e3, 3e3, 3e3, 3e3, 3e3],
    [-88, -87.5, -87, 0, -200],
  ]);
  const ones = new Float32Array([1, 1, 1]);
  const got = await route(true, () => ({ loss: tf.tidy(() => f(extreme).dataSync() as Float32Array), grad: autodiffGradients(f, [extreme], ones)[0] }));
  const want = reference(extreme.dataSync() as Float32Array, targets.dataSync() as Int32Array, ones, 5, 0.1);
  assert.ok(got.loss.every(Number.isFinite) && got.grad.every(Number.isFinite), "finite");
  assertAllClose(got.loss, want.loss, 1e-5, "extreme loss");
  assertAllClose(got.grad, want.grad, 1e-5, "extreme grad");
  tf.dispose([targets, x, extreme]);
});

test("a target outside the vocabulary is an error naming the row and the range, and leaves nothing behind", async () => {
  const x = tf.zeros([3, 5]) as tf.Tensor2D;
  const bad = tf.tensor1d([1, 5, 0], "int32");
  await route(true, () => {
    const before = tf.memory().numTensors;
    assert.throws(() => softmaxCrossEntropyRows(x, bad, 0), /target 5 of row 1 is outside the vocabulary \[0, 5\)/);
    assert.equal(tf.memory().numTensors, before);
  });
  assert.throws(() => softmaxCrossEntropyRows(x, tf.tensor1d([1, 2], "int32"), 0), /targets must have shape \[3\]/);
  assert.throws(() => softmaxCrossEntropyRows(x, tf.tensor1d([1, 2, 3], "float32"), 0), /targets must be int32/);
  assert.throws(() => softmaxCrossEntropyRows(x, bad, 1), /smoothing must be in \[0, 1\); got 1/);
  tf.dispose([x, bad]);
});
