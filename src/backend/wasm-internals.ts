/**
 * The few internals of tfjs-backend-wasm 4.22's `BackendWasm` that our JS kernels use: tensor
 * memory offsets on the wasm heap, tensor ids, and the Emscripten module. tfjs's own public path
 * to a tensor's values (`readSync`) copies the whole tensor out of the heap, which is what makes
 * `tf.slice` of a weight block slow on wasm; reading a view of the heap instead costs nothing.
 * Every access goes through `asWasmInternals`, which returns null when the shape differs, so a
 * caller can fall back to the public API instead of misbehaving on another tfjs version.
 */
import * as tf from "@tensorflow/tfjs";

/** The Emscripten module of the wasm backend, as far as we use it. */
export interface WasmModuleInternals {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
  HEAPU8: Uint8Array;
  /** Present in the threaded build, whose heap is a SharedArrayBuffer that other threads may grow. */
  wasmMemory?: { readonly buffer: ArrayBufferLike };
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/** The wasm backend, as far as we use it. */
export interface WasmBackendInternals {
  wasm: WasmModuleInternals;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** The backend's internals, or null if it is not a wasm backend shaped like 4.22's. */
export function asWasmInternals(backend: unknown): WasmBackendInternals | null {
  const b = backend as Partial<WasmBackendInternals> | null;
  const ok =
    b != null &&
    typeof b.makeOutput === "function" &&
    typeof b.dataIdNextNumber === "number" &&
    typeof b.dataIdMap?.get === "function" &&
    typeof b.wasm?.cwrap === "function" &&
    b.wasm?.HEAPU8 instanceof Uint8Array &&
    typeof b.wasm?.tfjs?.registerTensor === "function" &&
    typeof b.wasm?.tfjs?.disposeData === "function";
  return ok ? (b as WasmBackendInternals) : null;
}

/** Byte offset of a tensor's values on the wasm heap. */
export function heapOffset(backend: WasmBackendInternals, info: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(info.dataId);
  if (entry == null) throw new Error(`wasm backend: tensor data ${String(info.dataId)} is not on this backend`);
  return entry.memoryOffset;
}

/** A live view of a tensor's values on the wasm heap (valid until the next allocation). */
export function heapView(backend: WasmBackendInternals, info: tf.TensorInfo): tf.TypedArray {
  // wasmMemory.buffer is always current; HEAPU8 can be stale after another thread grew the heap.
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
  const offset = heapOffset(backend, info);
  const size = tf.util.sizeFromShape(info.shape);
  switch (info.dtype) {
    case "float32":
      return new Float32Array(buffer, offset, size);
    case "int32":
      return new Int32Array(buffer, offset, size);
    case "bool":
      return new Uint8Array(buffer, offset, size);
    default:
      throw new Error(`wasm backend: dtype must be float32, int32 or bool; got ${info.dtype}`);
  }
}

const byteViews = new WeakMap<ArrayBufferLike, Uint8Array>();

/** A byte view over the whole current heap (what the native addon takes), cached per heap buffer. */
export function heapByteView(backend: WasmBackendInternals): Uint8Array {
  // wasmMemory.buffer is always current; a grown heap is a new buffer object, hence the cache key.
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
  let view = byteViews.get(buffer);
  if (view === undefined) {
    view = new Uint8Array(buffer);
    byteViews.set(buffer, view);
  }
  return view;
}
