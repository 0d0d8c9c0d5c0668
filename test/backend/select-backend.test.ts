import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { blasCoreName, coreTypeFromFlags, describeBackend, selectBackend } from "../../src/backend/index";
import type { ImportModule } from "../../src/backend/index";
import { readCpuFlags } from "../../src/report/machine";

/** OPENBLAS_CORETYPE before anything here loaded OpenBLAS (the library sets it when unset). */
const coreTypeAtStart = process.env.OPENBLAS_CORETYPE;

// Every selection here asks for 2 wasm threads and stands in for Dawn, so the result depends
// neither on the core count nor on the machine's Vulkan driver.
const env = { SUPERNET_THREADS: "2" };

/** Dawn not installed. */
const noDawn: ImportModule = async (name) => {
  if (name === "webgpu") throw Object.assign(new Error(`Cannot find package '${name}'`), { code: "ERR_MODULE_NOT_FOUND" });
  return import(name);
};

/** A stand-in for Dawn offering one adapter; tfjs-backend-webgpu registers the cpu backend under "webgpu". */
function dawnWith(adapter: object | null): ImportModule {
  return async (name) => {
    if (name === "webgpu") return { globals: {}, create: () => ({ requestAdapter: async () => adapter }) };
    if (name === "@tensorflow/tfjs-backend-webgpu") {
      tf.registerBackend("webgpu", tf.findBackendFactory("cpu") as () => tf.KernelBackend, 0);
      return {};
    }
    return import(name);
  };
}
const lavapipe = { info: { vendor: "mesa", architecture: "software", device: "llvmpipe-llvm-15-0-6-256-bits-", description: "llvmpipe: Mesa 25.0.7", isFallbackAdapter: true } };
const hardware = { info: { vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H200", isFallbackAdapter: false } };

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
  const report = await selectBackend({ force: true, env, requireModule: missing, importModule: noDawn });
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
      ["webgpu", "skipped"],
      ["tensorflow", "skipped"],
      ["wasm", "chosen"],
    ],
  );
  // The kernels depend on the machine: a core type set before the run is kept; unset, the CPU's
  // flags choose it, and OpenBLAS's own config must then name that core (the choice reached it).
  const fromFlags = coreTypeFromFlags(readCpuFlags() ?? new Set());
  const [core, source] =
    coreTypeAtStart !== undefined ? [coreTypeAtStart, "from OPENBLAS_CORETYPE"] : fromFlags !== null ? [fromFlags, "chosen from the CPU flags"] : [blasCoreName(report.blas?.config), "OpenBLAS's own choice"];
  assert.match(report.blas?.config ?? "", new RegExp(`\\b${core}\\b`, "i"), "OpenBLAS runs other kernels than the line names");
  assert.equal(
    describeBackend(report),
    `backend: wasm (2 threads, SIMD, matmul on OpenBLAS (${core} kernels, ${source})); skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed; skipped webgpu: the optional package webgpu failed to load: Cannot find package 'webgpu'; skipped tensorflow: @tensorflow/tfjs-node is not installed`,
  );
});

test("a native module that is only an alias of @tensorflow/tfjs is skipped as such", async () => {
  const alias = (name: string) => (name.startsWith("@tensorflow/tfjs-node") ? require("@tensorflow/tfjs") : require(name));
  const report = await selectBackend({ force: true, env, requireModule: alias, importModule: noDawn });
  assert.equal(report.name, "wasm");
  assert.match(describeBackend(report), /skipped tensorflow: @tensorflow\/tfjs-node is an alias of @tensorflow\/tfjs, registers no native backend/);
});

test("a module that loads but fails, and one that loads but registers nothing, are told apart", async () => {
  const broken = (name: string) => {
    if (name === "@tensorflow/tfjs-node-gpu") throw new Error("libtensorflow.so.2: cannot open shared object file");
    if (name === "@tensorflow/tfjs-node") return {};
    return require(name);
  };
  const report = await selectBackend({ force: true, env, requireModule: broken, importModule: noDawn });
  assert.match(describeBackend(report), /skipped tensorflow-gpu: @tensorflow\/tfjs-node-gpu failed to load: libtensorflow\.so\.2: cannot open shared object file/);
  assert.match(describeBackend(report), /skipped tensorflow: @tensorflow\/tfjs-node loaded but registered no "tensorflow" backend/);
});

test("a native module that registers the tensorflow backend is chosen first", async () => {
  try {
    const report = await selectBackend({ force: true, env, requireModule: registering("@tensorflow/tfjs-node"), importModule: noDawn });
    assert.equal(report.name, "tensorflow");
    assert.equal(report.tfBackend, "tensorflow");
    assert.equal(tf.getBackend(), "tensorflow");
    assert.match(describeBackend(report), /^backend: tensorflow \(\d+ threads?\); skipped tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed; skipped webgpu: the optional package webgpu failed to load: Cannot find package 'webgpu'$/);
  } finally {
    tf.removeBackend("tensorflow");
  }
});

test("the GPU path is the environment variable alone: SUPERNET_BACKEND=tensorflow-gpu loads tfjs-node-gpu", async () => {
  try {
    const report = await selectBackend({ force: true, env: { ...env, SUPERNET_BACKEND: "tensorflow-gpu" }, requireModule: registering("@tensorflow/tfjs-node-gpu"), importModule: noDawn });
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
  assert.match(describeBackend(report), /^backend: cpu \(1 thread\); skipped tensorflow-gpu: SUPERNET_BACKEND=cpu; skipped webgpu: SUPERNET_BACKEND=cpu; skipped tensorflow: SUPERNET_BACKEND=cpu; skipped wasm: SUPERNET_BACKEND=cpu$/);
  assert.equal((await selectBackend({ force: true, env: { SUPERNET_BACKEND: "cpu" }, prefer: "wasm" })).name, "wasm");
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_BACKEND: "gpu" } }), /SUPERNET_BACKEND must be one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu; got "gpu"/);
  await assert.rejects(selectBackend({ force: true, env: { SUPERNET_THREADS: "two" } }), /SUPERNET_THREADS must be a positive integer; got "two"/);
  await assert.rejects(
    selectBackend({ force: true, env: { SUPERNET_BACKEND: "tensorflow" }, requireModule: missing, importModule: noDawn }),
    /SUPERNET_BACKEND=tensorflow cannot be used: @tensorflow\/tfjs-node is not installed/,
  );
});

test("selection is made once: later calls return the cached report and restore its backend", async () => {
  const first = await selectBackend({ force: true, env, requireModule: missing, importModule: noDawn });
  const [a, b] = await Promise.all([selectBackend(), selectBackend({ env: { SUPERNET_BACKEND: "cpu" } })]);
  assert.equal(a, first);
  assert.equal(b, first);
  await tf.setBackend("cpu");
  assert.equal(await selectBackend(), first);
  assert.equal(tf.getBackend(), "wasm");
  const again = await selectBackend({ force: true, env, requireModule: missing, importModule: noDawn });
  assert.notEqual(again, first);
  assert.deepEqual(again, first);
});

test("webgpu on a hardware adapter is chosen before tensorflow and wasm, and the report names the adapter", async () => {
  try {
    const report = await selectBackend({ force: true, env, requireModule: missing, importModule: dawnWith(hardware) });
    assert.equal(report.name, "webgpu");
    assert.equal(tf.getBackend(), "webgpu");
    assert.equal(report.adapter?.software, false);
    assert.equal(describeBackend(report), "backend: webgpu (nvidia hopper: NVIDIA H200); skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed");
  } finally {
    tf.removeBackend("webgpu");
  }
});

test("a software adapter (lavapipe) is skipped unless webgpu is forced; no adapter and no package are told apart", async () => {
  try {
    const skipped = await selectBackend({ force: true, env, requireModule: missing, importModule: dawnWith(lavapipe) });
    assert.equal(skipped.name, "wasm");
    assert.equal(skipped.adapter?.software, true, "the report names the adapter it skipped");
    assert.match(describeBackend(skipped), /skipped webgpu: only a software adapter \(mesa llvmpipe-llvm-15-0-6-256-bits \(software\): llvmpipe: Mesa 25\.0\.7\), slower than wasm; used only when forced with SUPERNET_BACKEND=webgpu/);
    const forced = await selectBackend({ force: true, env: { ...env, SUPERNET_BACKEND: "webgpu" }, requireModule: missing, importModule: dawnWith(lavapipe) });
    assert.equal(forced.name, "webgpu");
    assert.match(describeBackend(forced), /^backend: webgpu \(mesa llvmpipe-llvm-15-0-6-256-bits \(software\): llvmpipe: Mesa 25\.0\.7\); skipped tensorflow-gpu: SUPERNET_BACKEND=webgpu$/);
  } finally {
    tf.removeBackend("webgpu");
  }
  const none = await selectBackend({ force: true, env, requireModule: missing, importModule: dawnWith(null) });
  assert.match(describeBackend(none), /skipped webgpu: Dawn found no adapter \(is a Vulkan driver installed\?/);
  await assert.rejects(
    selectBackend({ force: true, env: { ...env, SUPERNET_BACKEND: "webgpu" }, requireModule: missing, importModule: noDawn }),
    /SUPERNET_BACKEND=webgpu cannot be used: the optional package webgpu failed to load: Cannot find package 'webgpu'/,
  );
});

test("the OpenBLAS core type follows the CPU's flags: AVX-512 kernels, AVX2 kernels, or OpenBLAS's own choice", () => {
  assert.equal(coreTypeFromFlags(new Set(["sse3", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"])), "SkylakeX");
  // AVX-512 without BW/VL (Knights Landing) has no SkylakeX kernels; its AVX2 ones still run.
  assert.equal(coreTypeFromFlags(new Set(["avx2", "fma", "avx512f", "avx512cd"])), "Haswell");
  assert.equal(coreTypeFromFlags(new Set(["avx", "avx2"])), null);
  assert.equal(coreTypeFromFlags(new Set(["sse3", "ssse3", "sse4_2"])), null);
});
