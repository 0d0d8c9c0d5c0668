import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { disableBlas, initBlas } from "../../src/backend/blas";
import { registerWasmKernels } from "../../src/backend/index";
import { adamUpdate, createAdamState, disposeAdamState } from "../../src/train/adam";
import type { AdamConfig } from "../../src/train/adam";
import { adamKernel, fusedAdamAvailable, registerAdamKernel } from "../../src/train/adam-kernel";
import { Rng } from "../../src/util/rng";
import { assertAllClose, recordKernelCalls } from "../ops/grad-check";

before(async () => {
  await tf.setBackend("wasm");
  registerWasmKernels();
  registerAdamKernel();
});

let runs = 0;

const shapes: Record<string, number[]> = { w: [7, 5], b: [5], g: [33] };

/** Three updates of three weights on fixed gradients; the weights and moments after each, and how many fused kernels ran. */
async function train(native: boolean, config: AdamConfig): Promise<{ after: Record<string, Float32Array>[]; fusedCalls: number; multiplies: number }> {
  if (native) assert.ok(initBlas(2, {}).used, "the native addon must load after npm run setup");
  else disableBlas("the tfjs composition under test");
  try {
    assert.equal(fusedAdamAvailable(), native);
    const rng = new Rng(71);
    const params: Record<string, tf.Variable> = {};
    for (const [name, shape] of Object.entries(shapes)) params[name] = tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape), true, `adam-test-${runs++}-${name}`);
    const state = createAdamState();
    const before = tf.memory().numTensors;
    const after: Record<string, Float32Array>[] = [];
    let fusedCalls = 0;
    let multiplies = 0;
    for (let step = 0; step < 3; step++) {
      // The third update leaves `b` out, as an update whose archs never use a weight does.
      const grads: Record<string, tf.Tensor> = {};
      for (const [name, shape] of Object.entries(shapes)) {
        if (step === 2 && name === "b") continue;
        grads[name] = tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 10 ** rng.int(3)), shape);
      }
      const held = tf.clone(params.w);
      const heldValues = held.dataSync().slice();
      multiplies += recordKernelCalls("Multiply", "wasm", () => {
        fusedCalls += native ? recordKernelCalls(adamKernel, "wasm", () => adamUpdate(params, grads, state, 1e-2, config)).length : (adamUpdate(params, grads, state, 1e-2, config), 0);
      }).length;
      assert.deepEqual(held.dataSync(), heldValues, "a tensor sharing the old weight's data keeps its values");
      held.dispose();
      tf.dispose(Object.values(grads));
      const snapshot: Record<string, Float32Array> = {};
      for (const name of Object.keys(shapes)) {
        snapshot[name] = params[name].dataSync().slice() as Float32Array;
        snapshot[`m.${name}`] = state.m.get(name)!.dataSync().slice() as Float32Array;
        snapshot[`v.${name}`] = state.v.get(name)!.dataSync().slice() as Float32Array;
      }
      after.push(snapshot);
    }
    assert.equal(tf.memory().numTensors, before + 2 * 3, "only the moments of the three weights are new");
    assert.deepEqual([...state.steps.entries()], [["w", 3], ["b", 2], ["g", 3]]);
    disposeAdamState(state);
    tf.dispose(Object.values(params));
    return { after, fusedCalls, multiplies };
  } finally {
    disableBlas("test finished");
  }
}

for (const weightDecay of [0, 0.01]) {
  test(`the fused Adam kernel (weight decay ${weightDecay}) updates weights and moments as the tfjs composition does, in one call per weight`, async () => {
    const config: AdamConfig = { beta1: 0.9, beta2: 0.98, epsilon: 1e-9, weightDecay };
    const composed = await train(false, config);
    const fused = await train(true, config);
    assert.equal(fused.fusedCalls, 3 + 3 + 2, "one kernel per weight with a gradient, per update");
    assert.equal(fused.multiplies, 0, "no element-wise tfjs kernels on the fused route");
    assert.ok(composed.multiplies > 0);
    fused.after.forEach((snapshot, step) => {
      for (const key of Object.keys(snapshot)) assertAllClose(snapshot[key], composed.after[step][key], 1e-5, `update ${step + 1}, ${key}`);
    });
  });
}

test("the fused Adam update refuses a gradient of another shape or dtype, naming both", async () => {
  assert.ok(initBlas(2, {}).used);
  try {
    const params = { w: tf.variable(tf.zeros([3, 2]), true, "adam-test-shape") };
    const state = createAdamState();
    const [wrongShape, wrongType] = [tf.zeros([2, 3]), tf.zeros([3, 2], "int32")];
    assert.throws(() => adamUpdate(params, { w: wrongShape }, state, 1e-3), /gradient shape \[2,3\] differs from its weight's \[3,2\]/);
    assert.throws(() => adamUpdate(params, { w: wrongType }, state, 1e-3), /weights and gradients must be float32; got float32 and int32/);
    assert.equal(state.m.size, 0, "a refused update leaves no moments");
    disposeAdamState(state);
    tf.dispose([params.w, wrongShape, wrongType]);
  } finally {
    disableBlas("test finished");
  }
});
