/**
 * Dropout with tf.dropout's own mask. tf.dropout draws its uniform numbers in JavaScript
 * (seedrandom's Alea, one call per element), copies them to the backend, and runs four kernels
 * over them (add, floor, div, mul) and one more backward; a Transformer step drops tens of
 * millions of activations. Where the native addon is loaded on wasm, one kernel
 * (native/blas/step-kernels.c) reproduces Alea's stream and tfjs's float32 arithmetic bit for
 * bit, writing the output and a byte mask, and one kernel applies the mask backward. A seeded run
 * therefore drops the same activations with or without the addon and on every backend; the tests
 * hold the two routes to bitwise equality, forward and backward.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset, WasmBackendInternals } from "../backend/wasm-internals";

/** Kernel: { x } -> [y, mask] with the mask's bytes floor(u + keep) in a bool-typed tensor; attrs { keep, seed }. */
export const dropoutKernel = "SupernetDropout";
/** Kernel: { dy, mask } -> dx = dy · mask / keep; attrs { keep }. */
export const dropoutGradKernel = "SupernetDropoutGrad";

const at = (wasm: WasmBackendInternals, t: tf.TensorInfo) => heapOffset(wasm, t);

let registered = false;

/** Registers the two dropout kernels for wasm (idempotent). */
export function registerDropoutKernels(): void {
  if (registered) return;
  if (!tf.getKernel(dropoutKernel, "wasm")) {
    tf.registerKernel({
      kernelName: dropoutKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x } = inputs as unknown as { x: tf.TensorInfo };
        const { keep, seed } = attrs as unknown as { keep: number; seed: string };
        const { wasm, addon } = nativeKernelContext(backend, dropoutKernel);
        // Allocate first: allocating can grow the heap and move it to a new buffer object.
        const y = wasm.makeOutput([...x.shape], "float32");
        const mask = wasm.makeOutput([...x.shape], "bool");
        const n = x.shape.reduce((a, b) => a * b, 1);
        addon.dropout(heapByteView(wasm), n, at(wasm, x), at(wasm, y), at(wasm, mask), keep, seed);
        return [y, mask];
      },
    });
  }
  if (!tf.getKernel(dropoutGradKernel, "wasm")) {
    tf.registerKernel({
      kernelName: dropoutGradKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, mask } = inputs as unknown as { dy: tf.TensorInfo; mask: tf.TensorInfo };
        const { keep } = attrs as unknown as { keep: number };
        const { wasm, addon } = nativeKernelContext(backend, dropoutGradKernel);
        const dx = wasm.makeOutput([...dy.shape], "float32");
        const n = dy.shape.reduce((a, b) => a * b, 1);
        addon.dropoutGrad(heapByteView(wasm), n, at(wasm, dy), at(wasm, mask), at(wasm, dx), keep);
        return dx;
      },
    });
  }
  registered = true;
}

/** True when the native kernels can serve: the addon is loaded and the backend is wasm. */
export function nativeDropoutAvailable(): boolean {
  return nativeKernelsAvailable();
}

/** The native route, with its gradient. */
function nativeDropout(x: tf.Tensor, keep: number, seed: string): tf.Tensor {
  registerDropoutKernels();
  const f = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const [y, mask] = tf.engine().runKernel(dropoutKernel, { x: xs as tf.Tensor }, { keep, seed } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    (save as tf.GradSaveFunc)([mask]);
    const gradFunc = (dy: tf.Tensor, [savedMask]: tf.Tensor[]) =>
      tf.engine().runKernel(dropoutGradKernel, { dy, mask: savedMask }, { keep } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return { value: y, gradFunc };
  });
  return f(x);
}

/** tf.dropout(x, rate, undefined, seed), the same values and gradient, on native kernels where they serve; x itself when rate is 0. */
export function dropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1); got ${rate}`);
  if (!Number.isFinite(seed)) throw new Error(`dropout: seed must be a finite number; got ${seed}`);
  if (rate === 0) return x;
  if (!(nativeDropoutAvailable() && x.dtype === "float32" && x.size > 0)) return tf.dropout(x, rate, undefined, seed);
  // tfjs seeds Alea with seed.toString() and keeps with probability 1 - rate (in double, then float32).
  return tf.tidy(() => nativeDropout(x, 1 - rate, String(seed)));
}
