/**
 * Layer norm over the last axis (Ba et al. 2016): y = (x - mean) / sqrt(var + eps) · g + b, with
 * the population variance, as PyTorch's nn.LayerNorm. Composed from tfjs ops it is ~10 kernels
 * forward and ~25 backward, each a pass over the activations with a fresh allocation, and a
 * Transformer layer has two or three of them. Where the native addon is loaded on wasm it is one
 * custom-gradient op over two fused kernels (native/blas/step-kernels.c): the forward pass keeps
 * each row's mean and 1/std, the backward pass writes dx and accumulates the gain's and bias's
 * gradients in double in one sweep. Elsewhere the tfjs composition runs; the tests hold the two
 * routes to each other and to central differences.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset, WasmBackendInternals } from "../backend/wasm-internals";

/** Kernel: { x [N, D], gain [D], bias [D] } -> [y [N, D], stats [N, 2] = (mean, 1/std)]; attrs { epsilon }. */
export const layerNormKernel = "SupernetLayerNorm";
/** Kernel: { dy, x, stats, gain } -> [dx [N, D], dgain [D], dbias [D]]. */
export const layerNormGradKernel = "SupernetLayerNormGrad";

const at = (wasm: WasmBackendInternals, t: tf.TensorInfo) => heapOffset(wasm, t);

let registered = false;

/** Registers the two fused kernels for wasm (idempotent). */
export function registerLayerNormKernels(): void {
  if (registered) return;
  if (!tf.getKernel(layerNormKernel, "wasm")) {
    tf.registerKernel({
      kernelName: layerNormKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, gain, bias } = inputs as unknown as Record<"x" | "gain" | "bias", tf.TensorInfo>;
        const { epsilon } = attrs as unknown as { epsilon: number };
        const { wasm, addon } = nativeKernelContext(backend, layerNormKernel);
        const [rows, cols] = x.shape;
        // Allocate first: allocating can grow the heap and move it to a new buffer object.
        const y = wasm.makeOutput([rows, cols], "float32");
        const stats = wasm.makeOutput([rows, 2], "float32");
        addon.layerNorm(heapByteView(wasm), rows, cols, at(wasm, x), at(wasm, gain), at(wasm, bias), at(wasm, y), at(wasm, stats), epsilon);
        return [y, stats];
      },
    });
  }
  if (!tf.getKernel(layerNormGradKernel, "wasm")) {
    tf.registerKernel({
      kernelName: layerNormGradKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const { dy, x, stats, gain } = inputs as unknown as Record<"dy" | "x" | "stats" | "gain", tf.TensorInfo>;
        const { wasm, addon } = nativeKernelContext(backend, layerNormGradKernel);
        const [rows, cols] = x.shape;
        const dx = wasm.makeOutput([rows, cols], "float32");
        const dgain = wasm.makeOutput([cols], "float32");
        const dbias = wasm.makeOutput([cols], "float32");
        addon.layerNormGrad(heapByteView(wasm), rows, cols, at(wasm, dy), at(wasm, x), at(wasm, stats), at(wasm, gain), at(wasm, dx), at(wasm, dgain), at(wasm, dbias));
        return [dx, dgain, dbias];
      },
    });
  }
  registered = true;
}

/** True when the fused kernels can serve: the native addon is loaded and the backend is wasm. */
export function fusedLayerNormAvailable(): boolean {
  return nativeKernelsAvailable();
}

/** The tfjs composition (any backend), differentiated by tfjs. */
function composed(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
  return tf.add(tf.mul(normed, gain), bias);
}

/** The same on the two fused kernels, with their gradient. */
function fused(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D, epsilon: number): tf.Tensor {
  registerLayerNormKernels();
  const shape = x.shape;
  const cols = shape[shape.length - 1];
  const rows = x.size / Math.max(cols, 1);
  const f = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc, g: tf.Tensor | tf.GradSaveFunc, b: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const x2 = tf.reshape(xs as tf.Tensor, [rows, cols]);
    const [y, stats] = tf.engine().runKernel(layerNormKernel, { x: x2, gain: g as tf.Tensor, bias: b as tf.Tensor }, { epsilon } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    (save as tf.GradSaveFunc)([x2, stats, g as tf.Tensor]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedStats, savedGain] = saved;
      const [dx, dgain, dbias] = tf.engine().runKernel(layerNormGradKernel, { dy: tf.reshape(dy, [rows, cols]), x: savedX, stats: savedStats, gain: savedGain }) as tf.Tensor[];
      return [tf.reshape(dx, shape), dgain, dbias];
    };
    return { value: tf.reshape(y, shape), gradFunc };
  });
  return f(x, gain, bias);
}

/** Layer norm of x [..., D] with gain and bias [D]: fused native kernels where they serve, else tfjs ops. */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D, epsilon = 1e-5): tf.Tensor {
  const d = x.shape[x.rank - 1];
  if (x.rank < 1 || gain.rank !== 1 || bias.rank !== 1 || gain.shape[0] !== d || bias.shape[0] !== d) {
    throw new Error(`layerNorm: gain and bias must have shape [${d}] (the last axis of x [${x.shape}]); got [${gain.shape}] and [${bias.shape}]`);
  }
  if (!(epsilon > 0)) throw new Error(`layerNorm: epsilon must be > 0; got ${epsilon}`);
  const native = fusedLayerNormAvailable() && x.dtype === "float32" && x.size > 0;
  return tf.tidy(() => (native ? fused(x, gain, bias, epsilon) : composed(x, gain, bias, epsilon)));
}
