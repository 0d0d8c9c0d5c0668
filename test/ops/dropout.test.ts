import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { blasAddon, disableBlas, initBlas } from "../../src/backend/blas";
import { registerWasmKernels } from "../../src/backend/index";
import { dropout, dropoutGradKernel, dropoutKernel, nativeDropoutAvailable, registerDropoutKernels } from "../../src/ops/dropout";
import { Rng } from "../../src/util/rng";
import { randomTensor, recordKernelCalls } from "./grad-check";

before(async () => {
  await tf.setBackend("wasm");
  registerWasmKernels();
  registerDropoutKernels();
});

async function withNative<T>(body: () => T): Promise<T> {
  assert.ok(initBlas(2, {}).used, "the native addon must load after npm run setup");
  try {
    assert.ok(nativeDropoutAvailable());
    return body();
  } finally {
    disableBlas("test finished");
  }
}

/** Element i of a and b are the same float32, -0 and NaN included. */
function assertBitwiseEqual(a: Float32Array, b: Float32Array, label: string): void {
  assert.equal(a.length, b.length, `${label}: lengths`);
  const [ua, ub] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  for (let i = 0; i < a.length; i++) assert.equal(ua[i], ub[i], `${label}: element ${i}: ${a[i]} vs ${b[i]}`);
}

/** Output and gradient (for a fixed upstream gradient r) of `f` at x. */
function valueAndGradient(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, r: tf.Tensor): { y: Float32Array; dx: Float32Array } {
  return tf.tidy(() => {
    const y = f(x).dataSync() as Float32Array;
    const dx = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(f(xs), r)))(x).dataSync() as Float32Array;
    return { y: y.slice(), dx: dx.slice() };
  });
}

// Sizes around the vector lanes, rates and seeds as training uses them (integers up to 2^31 and beyond).
const cases = [
  { shape: [3, 5], rate: 0.1, seed: 0 },
  { shape: [2, 7, 33], rate: 0.3, seed: 123456789 },
  { shape: [64, 40], rate: 0.5, seed: 2 ** 31 + 5 },
  { shape: [17], rate: 0.9, seed: 42 },
];

for (const { shape, rate, seed } of cases) {
  test(`native dropout on [${shape}] at rate ${rate}, seed ${seed}, is tf.dropout bit for bit, forward and backward`, async () => {
    const rng = new Rng(95);
    const x = randomTensor(rng, shape);
    const r = randomTensor(rng, shape);
    const theirs = valueAndGradient((xs) => tf.dropout(xs, rate, undefined, seed), x, r);
    await withNative(() => {
      let ours = { y: new Float32Array(0), dx: new Float32Array(0) };
      const floors = recordKernelCalls("Floor", "wasm", () => {
        const forward = recordKernelCalls(dropoutKernel, "wasm", () => {
          const backward = recordKernelCalls(dropoutGradKernel, "wasm", () => (ours = valueAndGradient((xs) => dropout(xs, rate, seed), x, r)));
          assert.equal(backward.length, 1, "one native gradient");
        });
        assert.equal(forward.length, 2, "the native forward, for the value and for the gradient pass");
      });
      assert.equal(floors.length, 0, "none of tf.dropout's own kernels run");
      assertBitwiseEqual(ours.y, theirs.y, "forward");
      assertBitwiseEqual(ours.dx, theirs.dx, "gradient");
      const dropped = ours.y.filter((v) => v === 0).length / ours.y.length;
      if (ours.y.length >= 1000) assert.ok(Math.abs(dropped - rate) < 0.05, `dropped share ${dropped} near ${rate}`);
    });
    tf.dispose([x, r]);
  });
}

test("dropout keeps x at rate 0, gives another mask for another seed, and checks its rate and seed", async () => {
  const x = tf.ones([50, 20]);
  await withNative(() => {
    assert.equal(dropout(x, 0, 1), x);
    const a = tf.tidy(() => dropout(x, 0.5, 1).dataSync());
    const b = tf.tidy(() => dropout(x, 0.5, 2).dataSync());
    assert.ok(a.some((v, i) => v !== b[i]), "seeds 1 and 2 drop different elements");
    assert.ok(a.every((v) => v === 0 || v === 2), "kept elements are scaled by 1 / keep");
    const addon = blasAddon();
    assert.ok(addon);
    const heap = new Uint8Array(64);
    assert.throws(() => addon.dropout(heap, 4, 0, 16, 32, 1, "1"), /supernet_blas.dropout: keep must be a number in \(0, 1\)/);
    assert.throws(() => addon.dropout(heap, 40, 0, 16, 32, 0.5, "1"), /x reaches past the end of the heap/);
    assert.throws(() => addon.dropoutGrad(heap, 4, 0, 16, 32, 0), /supernet_blas.dropoutGrad: keep must be a number in \(0, 1\)/);
  });
  assert.throws(() => dropout(x, 1, 1), /dropout: rate must be in \[0, 1\); got 1/);
  assert.throws(() => dropout(x, 0.1, Number.NaN), /dropout: seed must be a finite number; got NaN/);
  x.dispose();
});
