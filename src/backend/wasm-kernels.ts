/**
 * Kernels the tfjs wasm backend (4.22) lacks, and five it has but runs slowly on a training step.
 * `UnsortedSegmentSum` is the gradient of `gather`, i.e. of every embedding lookup: without it a
 * training step on wasm throws, and tfjs has no automatic fallback to another backend for a single
 * kernel. The JS version reads the inputs as views of the wasm heap and sums rows into segments
 * directly in the output.
 *
 * The replaced ones, each deferring to tfjs's own kernel outside the case it speeds up:
 * - `Identity` and same-dtype `Cast` copy the tensor on wasm, where the cpu backend shares its
 *   data. tfjs clones every tensor a gradient keeps for the backward pass, and casts to float32 in
 *   the gradients of Mul and others, so a step of the largest `small` subnet made ~1,100 copies
 *   (about a tenth of its kernel time). Tensors are immutable, as wasm's own `Reshape` already
 *   relies on when it shares data, so sharing (a reference count) is safe.
 * - `GatherV2` along axis 0 (every embedding lookup) computes each element's address in a
 *   loop; copying whole rows is ~20x faster.
 * - `Sum` over leading axes (every bias gradient, [tokens, dim] -> [dim], and layer-norm weight
 *   gradients) transposes the whole input first on wasm, then sums: about a fifth of that step's
 *   kernel time. Summing rows straight into the output reads the input once. Where the native
 *   addon is loaded (./blas), sums over leading or trailing axes (the latter: layer-norm
 *   gradients) run there, vectorised: tfjs-wasm's and our JS loops take ~6 ns per element, the
 *   addon well under 1.
 * - `SplitV` (the gradient of every concat, e.g. of the encoder states a decoder layer attends
 *   to) slices each piece with a generic strided loop: 6 ms for a [66, 62, 256] block. Each piece
 *   is `outer` contiguous runs of the input, so copying runs is enough.
 */
import * as tf from "@tensorflow/tfjs";
import { blasAddon } from "./blas";
import { computeOutput } from "./kernel-data";
import { asWasmInternals, heapByteView, heapOffset } from "./wasm-internals";

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

/**
 * Sums `rows` consecutive rows of `cols` values of x into out (length cols), accumulating in
 * double precision: the reduction of x [..., cols] over all its leading axes.
 */
function sumRowsInto(out: tf.TypedArray, x: ArrayLike<number>, rows: number, cols: number): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += x[base + c];
  }
  out.set(acc);
}

/** The reduction axes of a Sum when they are exactly the leading axes 0..k-1 of x (0 < k < rank), else null. */
function leadingReductionAxes(axis: number | number[], shape: readonly number[]): number | null {
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  const k = axes.length;
  if (k === 0 || k >= shape.length || axes.some((a, i) => a !== i)) return null;
  return k;
}

/** The number of reduced axes when a Sum's axes are exactly the trailing ones of x (0 < k < rank), else null. */
function trailingReductionAxes(axis: number | number[], shape: readonly number[]): number | null {
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  const k = axes.length;
  const first = shape.length - k;
  if (k === 0 || k >= shape.length || axes.some((a, i) => a !== first + i)) return null;
  return k;
}

/**
 * A float32 Sum of x [rows, cols] (its leading axes flattened into rows, the rest into cols) over
 * the rows (`over` "rows") or the columns, on the native addon; null when the addon is not loaded.
 */
function nativeSum(backend: unknown, x: tf.TensorInfo, rows: number, cols: number, over: "rows" | "cols", outShape: number[]): tf.TensorInfo | null {
  const addon = blasAddon();
  const wasm = asWasmInternals(backend);
  if (addon === null || wasm === null) return null;
  // Allocate first: allocating can grow the heap and move it to a new buffer object.
  const out = wasm.makeOutput(outShape, "float32");
  const sum = over === "rows" ? addon.sumRows : addon.sumCols;
  sum(heapByteView(wasm), rows, cols, heapOffset(wasm, x), heapOffset(wasm, out));
  return out;
}

/** Throws, as tfjs's own kernel does, when an id is outside [0, rowCount). */
function checkGatherIds(ids: ArrayLike<number>, rowCount: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 0 && id <= rowCount - 1)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rowCount - 1}]`);
  }
}

/** Copies row ids[i] of x (rows of `rowSize` values) to row i of out; ids must be in range. */
function gatherRowsInto(out: tf.TypedArray, x: tf.TypedArray, ids: ArrayLike<number>, rowSize: number): void {
  for (let i = 0; i < ids.length; i++) out.set(x.subarray(ids[i] * rowSize, (ids[i] + 1) * rowSize), i * rowSize);
}

interface RefCountingBackend {
  incRef(dataId: object): void;
}

function canShare(backend: unknown): backend is RefCountingBackend {
  return typeof (backend as Partial<RefCountingBackend>)?.incRef === "function";
}

/** The output of a kernel that shares x's data (as wasm's Reshape does): no copy. */
function share(backend: RefCountingBackend, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Copies piece `offset .. offset + size` along the split axis: `outer` runs of size·inner values, one per index before the axis. */
function copyPieceInto(out: tf.TypedArray, x: tf.TypedArray, outer: number, axisLength: number, inner: number, offset: number, size: number): void {
  const run = size * inner;
  for (let o = 0; o < outer; o++) {
    const from = (o * axisLength + offset) * inner;
    out.set(x.subarray(from, from + run), o * run);
  }
}

const replacements: Record<string, (original: tf.KernelFunc) => tf.KernelFunc> = {
  Identity: (original) => (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    return x.dtype !== "string" && canShare(args.backend) ? share(args.backend, x) : original(args);
  },
  Cast: (original) => (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    return dtype === x.dtype && x.dtype !== "string" && canShare(args.backend) ? share(args.backend, x) : original(args);
  },
  GatherV2: (original) => (args: KernelArgs) => {
    const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    if (tf.util.parseAxisParam(axis, [...x.shape])[0] !== 0 || (batchDims ?? 0) !== 0 || x.dtype === "string" || x.shape.length === 0) return original(args);
    const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
    const outShape = [...indices.shape, ...x.shape.slice(1)];
    // Read and checked before the output is allocated, so a bad id leaves nothing behind on the heap.
    const ids = (args.backend as unknown as { readSync(d: object): tf.TypedArray }).readSync(indices.dataId);
    checkGatherIds(ids, x.shape[0]);
    return computeOutput("wasm", args.backend as tf.KernelBackend, [x], outShape, x.dtype, (out, [xs]) => gatherRowsInto(out, xs, ids, rowSize));
  },
  SplitV: (original) => (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    if (x.dtype === "string" || x.shape.length === 0) return original(args);
    const ax = tf.util.parseAxisParam(axis, [...x.shape])[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, ax));
    const inner = tf.util.sizeFromShape(x.shape.slice(ax + 1));
    let offset = 0;
    return sizes.map((size) => {
      const shape = [...x.shape];
      shape[ax] = size;
      const start = offset;
      offset += size;
      return computeOutput("wasm", args.backend as tf.KernelBackend, [x], shape, x.dtype, (out, [xs]) => copyPieceInto(out, xs, outer, x.shape[ax], inner, start, size));
    });
  },
  Sum: (original) => (args: KernelArgs) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== "float32") return original(args);
    const k = leadingReductionAxes(axis, x.shape);
    if (k === null) {
      const t = trailingReductionAxes(axis, x.shape);
      if (t === null) return original(args);
      const kept = x.shape.slice(0, x.shape.length - t);
      const outShape = keepDims ? [...kept, ...new Array<number>(t).fill(1)] : kept;
      return nativeSum(args.backend, x, tf.util.sizeFromShape(kept), tf.util.sizeFromShape(x.shape.slice(kept.length)), "cols", outShape) ?? original(args);
    }
    const kept = x.shape.slice(k);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const cols = tf.util.sizeFromShape(kept);
    const outShape = keepDims ? [...new Array<number>(k).fill(1), ...kept] : kept;
    return (
      nativeSum(args.backend, x, rows, cols, "rows", outShape) ??
      computeOutput("wasm", args.backend as tf.KernelBackend, [x], outShape, "float32", (out, [xs]) => sumRowsInto(out, xs, rows, cols))
    );
  },
};

/** Set on the kernel functions we installed, so registering again does not wrap them twice. */
const replacedMark = Symbol.for("supernet-lab.replaced-wasm-kernel");

/** Registers the kernels the wasm backend lacks and the faster replacements above (idempotent). */
export function registerWasmKernels(): void {
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) tf.registerKernel(unsortedSegmentSumConfig);
  for (const [name, replace] of Object.entries(replacements)) {
    const config = tf.getKernel(name, "wasm");
    if (!config || (config.kernelFunc as unknown as Record<symbol, boolean>)[replacedMark]) continue;
    const kernelFunc = replace(config.kernelFunc);
    (kernelFunc as unknown as Record<symbol, boolean>)[replacedMark] = true;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...config, kernelFunc });
  }
}
