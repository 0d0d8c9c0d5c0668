/**
 * Kernels the tfjs wasm backend (4.22) lacks. `UnsortedSegmentSum` is the gradient of `gather`,
 * i.e. of every embedding lookup: without it a training step on wasm throws, and tfjs has no
 * automatic fallback to another backend for a single kernel. The JS version reads the inputs as
 * views of the wasm heap and sums rows into segments directly in the output.
 */
import * as tf from "@tensorflow/tfjs";
import { computeOutput } from "./kernel-data";

/**
 * Sums rows of x into `numSegments` segments by segment id into `out` (TF semantics: a row is
 * x's trailing block after the ids' dims; ids outside [0, numSegments) are dropped).
 */
export function unsortedSegmentSumInto(out: tf.TypedArray, x: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number): void {
  const rowSize = ids.length === 0 ? 0 : x.length / ids.length;
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j] += x[src + j];
  }
}

/** Sums rows of x (shape xShape) into `numSegments` segments by id, as a new Float32Array. */
export function unsortedSegmentSumValues(x: ArrayLike<number>, xShape: readonly number[], ids: ArrayLike<number>, numSegments: number): Float32Array {
  const rowSize = xShape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(numSegments * rowSize);
  unsortedSegmentSumInto(out, x, ids, numSegments);
  return out;
}

const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: "UnsortedSegmentSum",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
    const idsRank = segmentIds.shape.length;
    if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
      throw new Error(`UnsortedSegmentSum (wasm): segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
    }
    const outShape = [numSegments, ...x.shape.slice(idsRank)];
    return computeOutput("wasm", backend as tf.KernelBackend, [x, segmentIds], outShape, x.dtype, (out, [xs, ids]) => unsortedSegmentSumInto(out, xs, ids, numSegments));
  },
};

/** Registers the kernels the wasm backend lacks (idempotent). */
export function registerWasmKernels(): void {
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) tf.registerKernel(unsortedSegmentSumConfig);
}
