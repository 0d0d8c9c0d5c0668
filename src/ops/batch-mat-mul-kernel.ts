/**
 * A batched matmul for the wasm backend that runs each batch item on XNNPACK. tfjs-wasm 4.22
 * sends every batched product (attention's (B*H, T, hd) x (B*H, hd, T)) to a scalar loop, about
 * 3 GFLOP/s; only a batch of one goes to XNNPACK (30-40 GFLOP/s a thread). Here each item of
 * a, b and the output is registered with the C++ side as its own tensor, a view at an offset into
 * the batched tensor's memory (no copy), and multiplied by tfjs's own BatchMatMul entry point,
 * which takes the XNNPACK path for it. Views are unregistered right after, which also frees the
 * XNNPACK operator cached on them. Pinned to 4.22 internals through `asWasmInternals`.
 */
import * as tf from "@tensorflow/tfjs";
import { asWasmInternals, heapOffset, WasmBackendInternals } from "../backend/wasm-internals";

/** Kernel name: a [B, M, K] x b [B, K, N] -> [B, M, N], neither transposed. */
export const xnnBatchMatMulKernel = "SupernetXnnBatchMatMul";

type BatchMatMulEntry = (...args: unknown[]) => unknown;
const entries = new WeakMap<object, BatchMatMulEntry>();

function entryPoint(backend: WasmBackendInternals): BatchMatMulEntry {
  let entry = entries.get(backend.wasm);
  if (entry === undefined) {
    // Same signature tfjs-wasm 4.22's BatchMatMul kernel binds.
    entry = backend.wasm.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]);
    entries.set(backend.wasm, entry);
  }
  return entry;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

function xnnBatchMatMul(backend: WasmBackendInternals, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const out = backend.makeOutput([batch, m, n], "float32");
  const run = entryPoint(backend);
  const { registerTensor, disposeData } = backend.wasm.tfjs;
  const offsets = [heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out)];
  const sizes = [m * k, k * n, m * n];
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  for (let i = 0; i < batch; i++) {
    const ids = sizes.map((size, j) => {
      const id = backend.dataIdNextNumber++;
      registerTensor(id, size, offsets[j] + 4 * i * size);
      return id;
    });
    try {
      run(ids[0], aShape, 3, ids[1], bShape, 3, false, false, ids[2]);
    } finally {
      for (const id of ids) disposeData(id);
    }
  }
  return out;
}

let registered = false;

/** Registers the wasm XNNPACK batched matmul kernel (idempotent). */
export function registerXnnBatchMatMul(): void {
  if (registered) return;
  if (!tf.getKernel(xnnBatchMatMulKernel, "wasm")) {
    tf.registerKernel({
      kernelName: xnnBatchMatMulKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
        const wasm = asWasmInternals(backend);
        if (wasm === null) throw new Error(`${xnnBatchMatMulKernel}: the wasm backend does not have tfjs-backend-wasm 4.22's layout`);
        return xnnBatchMatMul(wasm, a, b);
      },
    });
  }
  registered = true;
}

/** True when the current backend can run the XNNPACK batched kernel. */
export function xnnBatchMatMulAvailable(): boolean {
  if (tf.getBackend() !== "wasm") return false;
  registerXnnBatchMatMul();
  return asWasmInternals(tf.backend()) !== null;
}
