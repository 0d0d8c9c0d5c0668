/**
 * Kernels the tfjs wasm backend (4.22) lacks. `UnsortedSegmentSum` is the gradient of `gather`,
 * i.e. of every embedding lookup: without it a training step on wasm throws, and tfjs has no
 * automatic fallback to another backend for a single kernel. The JS version reads the inputs
 * from the wasm heap, sums rows into segments, and hands the result back to the backend.
 */
import * as tf from "@tensorflow/tfjs";

interface WasmBackendLike {
  readSync(dataId: unknown): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: ArrayLike<number>): tf.TensorInfo;
}

/** Sums rows of x (n, ...rest) into `numSegments` segments by segment id (ids outside [0, numSegments) are dropped, as in TF). */
export function unsortedSegmentSumValues(x: ArrayLike<number>, xShape: readonly number[], ids: ArrayLike<number>, numSegments: number): Float32Array {
  const rowSize = xShape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(numSegments * rowSize);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j] += x[src + j];
  }
  return out;
}

let registered = false;

/** Registers the missing wasm kernels (idempotent). */
export function registerWasmKernels(): void {
  if (registered || tf.getKernel("UnsortedSegmentSum", "wasm")) return;
  tf.registerKernel({
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const b = backend as unknown as WasmBackendLike;
      if (segmentIds.shape.length !== 1) throw new Error(`UnsortedSegmentSum (wasm): segmentIds must be 1-D; got shape [${segmentIds.shape}]`);
      const values = unsortedSegmentSumValues(b.readSync(x.dataId), x.shape, b.readSync(segmentIds.dataId), numSegments);
      return b.makeOutput([numSegments, ...x.shape.slice(1)], "float32", undefined, values);
    },
  });
  registered = true;
}
