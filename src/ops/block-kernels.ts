/**
 * Kernels that cut the leading block of a weight (the first k rows / columns, as HAT's elastic
 * weights do) and pad a block back to the full shape with zeros, registered for the cpu and wasm
 * backends with each one as the other's gradient. tf.slice is slow here for reasons that have
 * nothing to do with the copy: on wasm its kernel first copies the whole tensor out of the heap
 * (`readSync`), on cpu it falls into a per-element index loop. These kernels copy just the block,
 * row by row, between views of the backends' own memory. Padding on wasm is the exception: the
 * C++ PadV2 kernel is already fast (about 3x a JS row loop), so the wasm pad kernel calls it.
 */
import * as tf from "@tensorflow/tfjs";
import { computeOutput, JsKernelBackend, jsKernelBackends } from "../backend/kernel-data";

/** Kernel name: leading block of x; attrs { size (block shape), shape (x's shape) }. */
export const sliceBlockKernel = "SupernetSliceBlock";
/** Kernel name: x padded with zeros after its end to `shape`; attrs { size (x's shape), shape }. */
export const padBlockKernel = "SupernetPadBlock";

interface BlockAttrs {
  size: number[];
  shape: number[];
}

/** [rows, cols] of a rank-1 or rank-2 shape (a vector is one row). */
function asMatrix(shape: readonly number[]): [number, number] {
  return shape.length === 1 ? [1, shape[0]] : [shape[0], shape[1]];
}

function copyBlock(out: tf.TypedArray, x: tf.TypedArray, size: number[], shape: number[]): void {
  const [rows, cols] = asMatrix(size);
  const fullCols = asMatrix(shape)[1];
  if (cols === fullCols) {
    out.set(x.subarray(0, rows * cols));
    return;
  }
  for (let i = 0; i < rows; i++) out.set(x.subarray(i * fullCols, i * fullCols + cols), i * cols);
}

function padBlock(out: tf.TypedArray, x: tf.TypedArray, size: number[], shape: number[]): void {
  const [rows, cols] = asMatrix(size);
  const [fullRows, fullCols] = asMatrix(shape);
  // Every element is written exactly once: wasm outputs start uninitialised.
  if (cols === fullCols) out.set(x.subarray(0, rows * cols));
  else {
    for (let i = 0; i < rows; i++) {
      out.set(x.subarray(i * cols, (i + 1) * cols), i * fullCols);
      out.fill(0, i * fullCols + cols, (i + 1) * fullCols);
    }
  }
  out.fill(0, rows * fullCols, fullRows * fullCols);
}

/** Zero-padding by the wasm backend's own PadV2 kernel, which runs in C++. */
function wasmPad(x: tf.TensorInfo, shape: number[], backend: tf.KernelBackend): tf.TensorInfo {
  const padV2 = tf.getKernel("PadV2", "wasm");
  if (!padV2) throw new Error(`${padBlockKernel}: the wasm backend has no PadV2 kernel`);
  const paddings = shape.map((d, i) => [0, d - x.shape[i]]);
  const attrs = { paddings, constantValue: 0 } as unknown as tf.NamedAttrMap;
  return padV2.kernelFunc({ inputs: { x }, backend, attrs }) as tf.TensorInfo;
}

function blockKernel(kernelName: string, backendName: JsKernelBackend): tf.KernelConfig {
  const slicing = kernelName === sliceBlockKernel;
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const { size, shape } = attrs as unknown as BlockAttrs;
      if (!slicing && backendName === "wasm") return wasmPad(x, shape, backend as tf.KernelBackend);
      return computeOutput(backendName, backend as tf.KernelBackend, [x], slicing ? size : shape, x.dtype, (out, [xs]) =>
        slicing ? copyBlock(out, xs, size, shape) : padBlock(out, xs, size, shape),
      );
    },
  };
}

/** Runs one of the block kernels on the current backend. */
export function runBlockKernel(kernelName: string, x: tf.Tensor, size: number[], shape: number[]): tf.Tensor {
  const attrs: BlockAttrs = { size, shape };
  return tf.engine().runKernel(kernelName, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

let registered = false;

/** Registers the block kernels and their gradients (idempotent). */
export function registerBlockKernels(): void {
  if (registered) return;
  for (const backendName of jsKernelBackends) {
    for (const kernelName of [sliceBlockKernel, padBlockKernel]) {
      if (!tf.getKernel(kernelName, backendName)) tf.registerKernel(blockKernel(kernelName, backendName));
    }
  }
  if (!tf.getGradient(sliceBlockKernel)) {
    tf.registerGradient({
      kernelName: sliceBlockKernel,
      gradFunc: (dy, _saved, attrs) => {
        const { size, shape } = attrs as unknown as BlockAttrs;
        return { x: () => runBlockKernel(padBlockKernel, dy as tf.Tensor, size, shape) };
      },
    });
  }
  if (!tf.getGradient(padBlockKernel)) {
    tf.registerGradient({
      kernelName: padBlockKernel,
      gradFunc: (dy, _saved, attrs) => {
        const { size, shape } = attrs as unknown as BlockAttrs;
        return { x: () => runBlockKernel(sliceBlockKernel, dy as tf.Tensor, size, shape) };
      },
    });
  }
  registered = true;
}

/** True when the block kernels run on the current backend (else callers use tf.slice / tf.pad). */
export function blockKernelsAvailable(): boolean {
  registerBlockKernels();
  return tf.getKernel(sliceBlockKernel, tf.getBackend()) != null;
}
