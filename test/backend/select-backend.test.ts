import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend, unsortedSegmentSumValues } from "../../src/backend/index";

const missing = (name: string) => {
  if (name.startsWith("@tensorflow/tfjs-node")) throw new Error(`Cannot find module '${name}'`);
  return require(name);
};

after(async () => {
  await selectBackend({ force: true, env: {} });
});

test("a missing native module falls back to wasm and says why", async () => {
  const report = await selectBackend({ force: true, env: {}, requireModule: missing });
  assert.equal(report.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.match(describeBackend(report), /skipped tensorflow-gpu \(@tensorflow\/tfjs-node-gpu is not installed\); tensorflow \(@tensorflow\/tfjs-node is not installed\)/);
});

test("a native module that is only an alias of @tensorflow/tfjs is skipped as such", async () => {
  const alias = (name: string) => (name.startsWith("@tensorflow/tfjs-node") ? { version: { "tfjs-core": "4.22.0", tfjs: "4.22.0" } } : require(name));
  const report = await selectBackend({ force: true, env: {}, requireModule: alias });
  assert.equal(report.name, "wasm");
  assert.match(describeBackend(report), /@tensorflow\/tfjs-node is an alias of @tensorflow\/tfjs and registers no native backend/);
});

test("a native module that registers the tensorflow backend is chosen first", async () => {
  const fake = (name: string) => {
    if (name === "@tensorflow/tfjs-node-gpu") throw new Error(`Cannot find module '${name}'`);
    if (name === "@tensorflow/tfjs-node") {
      // Stand-in for libtensorflow: a backend registered under the native name.
      const cpuFactory = tf.findBackendFactory("cpu") as () => tf.KernelBackend;
      tf.registerBackend("tensorflow", cpuFactory, 0);
      return { version: { "tfjs-node": "4.22.0" } };
    }
    return require(name);
  };
  try {
    const report = await selectBackend({ force: true, env: {}, requireModule: fake });
    assert.equal(report.name, "tensorflow");
    assert.match(describeBackend(report), /^backend: tensorflow .*skipped tensorflow-gpu \(@tensorflow\/tfjs-node-gpu is not installed\)/);
  } finally {
    tf.removeBackend("tensorflow");
  }
});

test("SUPERNET_BACKEND forces one backend, and a bad value names the variable and the allowed values", async () => {
  const report = await selectBackend({ force: true, env: { SUPERNET_BACKEND: "cpu" } });
  assert.equal(report.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_BACKEND: "gpu" } }), /SUPERNET_BACKEND must be one of tensorflow-gpu, tensorflow, wasm, cpu; got "gpu"/);
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_BACKEND: "tensorflow" }, requireModule: missing }), /SUPERNET_BACKEND=tensorflow cannot be used: @tensorflow\/tfjs-node is not installed/);
});

test("embedding gradients (UnsortedSegmentSum) work on wasm and match the cpu backend", async () => {
  const grad = () => tf.tidy(() => {
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 0, 2], "int32")), tf.tensor2d([[1, 2], [3, 4], [5, 6]]))))(table).arraySync();
  });
  await selectBackend({ force: true, env: { SUPERNET_BACKEND: "cpu" } });
  const onCpu = grad();
  await selectBackend({ force: true, env: {} });
  assert.equal(tf.getBackend(), "wasm");
  assert.deepEqual(grad(), onCpu);
  assert.deepEqual(onCpu, [[3, 4], [0, 0], [6, 8]]);
  assert.deepEqual(Array.from(unsortedSegmentSumValues([1, 2, 3, 4, 5, 6], [3, 2], [1, 1, -1], 2)), [0, 0, 4, 6]);
});
