/**
 * A batched matmul for the wasm backend that runs each batch item on XNNPACK. tfjs-wasm 4.22
 * sends every batched product (attention's (B*H, T, hd) x (B*H, hd, T)) to a scalar loop, about
 * 3 GFLOP/s; only a batch of one goes to XNNPACK (30-40 GFLOP/s a thread). Here each item of
 * a, b and the output is registered with the C++ side as its own tensor, a view at an offset into
 * the batched tensor's memory (no copy), and multiplied by tfjs's own BatchMatMul entry point,
 * which takes the XNNPACK path for it. Views are unregistered right after, which also frees the
 * XNNPACK operator cached on them. Pinned to 4.22 internals through `asWasmInternals`.
 * Small products (up to `batchMatMulTuning.simdMaxRows` rows an item) skip XNNPACK for the
 * SIMD kernel of simd-gemm.ts, which avoids the per-item packing and thread dispatch.
 */
import * as tf from "@tensorflow/tfjs";
import { asWasmInternals, heapOffset, WasmBackendInternals } from "../backend/wasm-internals";
import { simdGemm, simdGemmFits } from "./simd-gemm";

/**
 * Tuning: products with at most this many rows per item (M) run on the single-threaded SIMD
 * kernel of simd-gemm.ts instead of XNNPACK; 0 sends everything to XNNPACK. Measured on 2 cores
 * (attention of the `small` preset, 264 items, T 24-62, head size 64-128, other load present):
 * at M 24 the SIMD kernel is ~1.4x faster than XNNPACK's two threads on a quiet machine and
 * several times faster when the cores are shared; at M 62 they are on par, so XNNPACK keeps the
 * larger products where its second thread should pay.
 */
export const batchMatMulTuning = { simdMaxRows: 64 };

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

/** The raw export and heap allocator, when the module has them (4.22 does). */
interface RawEntry {
  run: (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: number, transposeB: number, outId: number) => void;
  malloc: (bytes: number) => number;
  free: (pointer: number) => void;
}

function rawEntry(backend: WasmBackendInternals): RawEntry | null {
  const m = backend.wasm as unknown as Record<string, unknown>;
  const ok = typeof m._BatchMatMul === "function" && typeof m._malloc === "function" && typeof m._free === "function" && m.wasmMemory != null;
  return ok ? { run: m._BatchMatMul as RawEntry["run"], malloc: m._malloc as RawEntry["malloc"], free: m._free as RawEntry["free"] } : null;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/** Registers views of item i of a, b and out as fresh tensor ids, calls `run`, unregisters them. */
function forEachItem(backend: WasmBackendInternals, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo, run: (aId: number, bId: number, outId: number) => void): void {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const { registerTensor, disposeData } = backend.wasm.tfjs;
  const aOffset = heapOffset(backend, a);
  const bOffset = heapOffset(backend, b);
  const outOffset = heapOffset(backend, out);
  for (let i = 0; i < batch; i++) {
    const aId = backend.dataIdNextNumber++;
    registerTensor(aId, m * k, aOffset + 4 * i * m * k);
    const bId = backend.dataIdNextNumber++;
    registerTensor(bId, k * n, bOffset + 4 * i * k * n);
    const outId = backend.dataIdNextNumber++;
    registerTensor(outId, m * n, outOffset + 4 * i * m * n);
    try {
      run(aId, bId, outId);
    } finally {
      // Fresh ids per item matter: tfjs caches the XNNPACK operator (packed b) on b's id.
      disposeData(aId);
      disposeData(bId);
      disposeData(outId);
    }
  }
}

function xnnBatchMatMul(backend: WasmBackendInternals, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const out = backend.makeOutput([batch, m, n], "float32");
  const gemm = m <= batchMatMulTuning.simdMaxRows && simdGemmFits(m, k, n) ? simdGemm(backend.wasm.wasmMemory) : null;
  if (gemm !== null) {
    const aOffset = heapOffset(backend, a);
    const bOffset = heapOffset(backend, b);
    const outOffset = heapOffset(backend, out);
    for (let i = 0; i < batch; i++) gemm(aOffset + 4 * i * m * k, bOffset + 4 * i * k * n, outOffset + 4 * i * m * n, m, k, n);
    return out;
  }
  const raw = rawEntry(backend);
  if (raw !== null) {
    // The export itself, with both shapes written once into a small heap buffer: cwrap's "array"
    // arguments copy them onto the wasm stack for every item (about 2 us an item, 5-10% here).
    const shapes = raw.malloc(24) >>> 0; // unsigned: the heap may pass 2 GiB
    try {
      const buffer = (backend.wasm.wasmMemory as { buffer: ArrayBufferLike }).buffer;
      new Int32Array(buffer, shapes, 6).set([1, m, k, 1, k, n]);
      forEachItem(backend, a, b, out, (aId, bId, outId) => raw.run(aId, shapes, 3, bId, shapes + 12, 3, 0, 0, outId));
    } finally {
      raw.free(shapes);
    }
    return out;
  }
  const run = entryPoint(backend);
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  forEachItem(backend, a, b, out, (aId, bId, outId) => run(aId, aShape, 3, bId, bShape, 3, false, false, outId));
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
