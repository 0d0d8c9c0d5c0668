import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "../../src/backend/index";

// Every selection here asks for 2 wasm threads, so the result does not depend on the core count.
const env = { SUPERNET_THREADS: "2" };

const missing = (name: string) => {
  if (name.startsWith("@tensorflow/tfjs-node")) throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
  return require(name);
};

/** A stand-in for libtensorflow: `module` registers a backend under the native name when required. */
function registering(module: string) {
  return (name: string) => {
    if (name === module) {
      const cpuFactory = tf.findBackendFactory("cpu") as () => tf.KernelBackend;
      tf.registerBackend("tensorflow", cpuFactory, 0);
      return { version: { "tfjs-node": "4.22.0" } };
    }
    return missing(name);
  };
}

test("a missing native module falls back to wasm with 2 threads and SIMD, and says why", async () => {
  const report = await selectBackend({ force: true, env, requireModule: missing });
  assert.equal(report.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(report.threads, 2, `threads: ${report.threadsNote}`);
  assert.equal(report.threadsNote, undefined);
  assert.equal(report.simd, true);
  assert.equal(report.blas?.used, true, `the set-up builds the OpenBLAS addon: ${report.blas?.why}`);
  assert.equal(report.tfjsVersion, "4.22.0");
  assert.deepEqual(
    report.reasons.map((r) => [r.candidate, r.outcome]),
    [
      ["tensorflow-gpu", "skipped"],
      ["tensorflow", "skipped"],
      ["wasm", "chosen"],
    ],
  );
  assert.equal(
    describeBackend(report),
    "backend: wasm (2 threads, SIMD, matmul on OpenBLAS); skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed; skipped tensorflow: @tensorflow/tfjs-node is not installed",
  );
});

test("a native module that is only an alias of @tensorflow/tfjs is skipped as such", async () => {
  const alias = (name: string) => (name.startsWith("@tensorflow/tfjs-node") ? require("@tensorflow/tfjs") : require(name));
  const report = await selectBackend({ force: true, env, requireModule: alias });
  assert.equal(report.name, "wasm");
  assert.match(describeBackend(report), /skipped tensorflow: @tensorflow\/tfjs-node is an alias of @tensorflow\/tfjs, registers no native backend/);
});

test("a module that loads but fails, and one that loads but registers nothing, are told apart", async () => {
  const broken = (name: string) => {
    if (name === "@tensorflow/tfjs-node-gpu") throw new Error("libtensorflow.so.2: cannot open shared object file");
    if (name === "@tensorflow/tfjs-node") return {};
    return require(name);
  };
  const report = await selectBackend({ force: true, env, requireModule: broken });
  assert.match(describeBackend(report), /skipped tensorflow-gpu: @tensorflow\/tfjs-node-gpu failed to load: libtensorflow\.so\.2: cannot open shared object file/);
  assert.match(describeBackend(report), /skipped tensorflow: @tensorflow\/tfjs-node loaded but registered no "tensorflow" backend/);
});

test("a native module that registers the tensorflow backend is chosen first", async () => {
  try {
    const report = await selectBackend({ force: true, env, requireModule: registering("@tensorflow/tfjs-node") });
    assert.equal(report.name, "tensorflow");
    assert.equal(report.tfBackend, "tensorflow");
    assert.equal(tf.getBackend(), "tensorflow");
    assert.match(describeBackend(report), /^backend: tensorflow \(\d+ threads?\); skipped tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed$/);
  } finally {
    tf.removeBackend("tensorflow");
  }
});

test("the GPU path is the environment variable alone: SUPERNET_BACKEND=tensorflow-gpu loads tfjs-node-gpu", async () => {
  try {
    const report = await selectBackend({ force: true, env: { ...env, SUPERNET_BACKEND: "tensorflow-gpu" }, requireModule: registering("@tensorflow/tfjs-node-gpu") });
    assert.equal(report.name, "tensorflow-gpu");
    assert.equal(tf.getBackend(), "tensorflow");
    assert.deepEqual(report.reasons, [{ candidate: "tensorflow-gpu", outcome: "chosen", why: "forced by SUPERNET_BACKEND" }]);
  } finally {
    tf.removeBackend("tensorflow");
  }
});

test("SUPERNET_BACKEND and options.prefer force one backend; bad values name the variable and the allowed values", async () => {
  const report = await selectBackend({ force: true, env: { ...env, SUPERNET_BACKEND: "cpu" } });
  assert.equal(report.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(report.threads, 1);
  assert.match(describeBackend(report), /^backend: cpu \(1 thread\); skipped tensorflow-gpu: SUPERNET_BACKEND=cpu; skipped tensorflow: SUPERNET_BACKEND=cpu; skipped wasm: SUPERNET_BACKEND=cpu$/);
  assert.equal((await selectBackend({ force: true, env: { SUPERNET_BACKEND: "cpu" }, prefer: "wasm" })).name, "wasm");
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_BACKEND: "gpu" } }), /SUPERNET_BACKEND must be one of tensorflow-gpu, tensorflow, wasm, cpu; got "gpu"/);
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_THREADS: "two" } }), /SUPERNET_THREADS must be a positive integer; got "two"/);
  await assert.rejects(
    selectBackend({ force: true, env: { SUPERNET_BACKEND: "tensorflow" }, requireModule: missing }),
    /SUPERNET_BACKEND=tensorflow cannot be used: @tensorflow\/tfjs-node is not installed/,
  );
});

test("selection is made once: later calls return the cached report and restore its backend", async () => {
  const first = await selectBackend({ force: true, env, requireModule: missing });
  const [a, b] = await Promise.all([selectBackend(), selectBackend({ env: { SUPERNET_BACKEND: "cpu" } })]);
  assert.equal(a, first);
  assert.equal(b, first);
  await tf.setBackend("cpu");
  assert.equal(await selectBackend(), first);
  assert.equal(tf.getBackend(), "wasm");
  const again = await selectBackend({ force: true, env, requireModule: missing });
  assert.notEqual(again, first);
  assert.deepEqual(again, first);
});
