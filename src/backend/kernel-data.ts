/**
 * Input and output values for JS kernels on the cpu and wasm backends, without copies: on cpu a
 * tensor's values array is used as is, on wasm a view of the heap. A kernel body writes every
 * element of its output (wasm outputs are not zeroed).
 */
import * as tf from "@tensorflow/tfjs";
import { asWasmInternals, heapView } from "./wasm-internals";

/** The backends our JS kernels are registered for. */
export type JsKernelBackend = "cpu" | "wasm";

/** The backends our JS kernels are registered for, as a list. */
export const jsKernelBackends: readonly JsKernelBackend[] = ["cpu", "wasm"];

interface CpuBackendLike {
  readSync(dataId: object): tf.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
}

function newTypedArray(dtype: tf.DataType, size: number): tf.TypedArray {
  if (dtype === "float32") return new Float32Array(size);
  if (dtype === "int32") return new Int32Array(size);
  if (dtype === "bool") return new Uint8Array(size);
  throw new Error(`JS kernel: dtype must be float32, int32 or bool; got ${dtype}`);
}

/** Allocates an output of `shape`, then runs `body` on it and on views of the inputs. */
export function computeOutput(
  kind: JsKernelBackend,
  backend: tf.KernelBackend,
  inputs: readonly tf.TensorInfo[],
  shape: number[],
  dtype: tf.DataType,
  body: (out: tf.TypedArray, ins: tf.TypedArray[]) => void,
): tf.TensorInfo {
  if (kind === "wasm") {
    const wasm = asWasmInternals(backend);
    if (wasm === null) throw new Error("JS kernel: the wasm backend does not have tfjs-backend-wasm 4.22's layout");
    // Allocate first: allocation can grow (and, single-threaded, detach) the heap under earlier views.
    const out = wasm.makeOutput(shape, dtype);
    body(heapView(wasm, out), inputs.map((t) => heapView(wasm, t)));
    return out;
  }
  const cpu = backend as unknown as CpuBackendLike;
  const values = newTypedArray(dtype, tf.util.sizeFromShape(shape));
  body(values, inputs.map((t) => cpu.readSync(t.dataId) as tf.TypedArray));
  return cpu.makeTensorInfo(shape, dtype, values);
}
