/**
 * Adam's update of one weight as a single native kernel on the wasm backend. Composed from tfjs
 * ops (src/train/adam.ts) it is a dozen element-wise kernels per weight, each a pass over the
 * weight with a fresh allocation: on the largest `small` subnet ~1,700 kernel calls per update.
 * Here one call reads the weight, its gradient and both moments once and writes the three new
 * tensors (never in place: tfjs tensors may share data, and the old weight must stay intact for
 * anyone holding it). Used where the native addon is loaded and the backend is wasm.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset } from "../backend/wasm-internals";

/** Kernel: { param, grad, m, v } -> [param', m', v']; attrs { fresh, beta1, beta2, epsilon, stepSize, decay }. */
export const adamKernel = "SupernetAdamUpdate";

/** The attrs of one update: `fresh` when the weight has no moments yet (m and v are then ignored). */
export interface AdamKernelAttrs {
  readonly fresh: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** lr · sqrt(1 - beta2^t) / (1 - beta1^t). */
  readonly stepSize: number;
  /** lr · weight decay (0 = plain Adam). */
  readonly decay: number;
}

let registered = false;

/** Registers the kernel for wasm (idempotent). */
export function registerAdamKernel(): void {
  if (registered || tf.getKernel(adamKernel, "wasm")) {
    registered = true;
    return;
  }
  tf.registerKernel({
    kernelName: adamKernel,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { param, grad, m, v } = inputs as unknown as Record<"param" | "grad" | "m" | "v", tf.TensorInfo>;
      const a = attrs as unknown as AdamKernelAttrs;
      const { wasm, addon } = nativeKernelContext(backend, adamKernel);
      const n = tf.util.sizeFromShape(param.shape);
      // Allocate first: allocating can grow the heap and move it to a new buffer object.
      const outs = [wasm.makeOutput([...param.shape], "float32"), wasm.makeOutput([...param.shape], "float32"), wasm.makeOutput([...param.shape], "float32")];
      const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
      addon.adamUpdate(heapByteView(wasm), n, at(param), at(grad), at(m), at(v), at(outs[0]), at(outs[1]), at(outs[2]), a.fresh, a.beta1, a.beta2, a.epsilon, a.stepSize, a.decay);
      return outs;
    },
  });
  registered = true;
}

/** True when the fused update can serve: the native addon is loaded and the backend is wasm. */
export function fusedAdamAvailable(): boolean {
  return nativeKernelsAvailable();
}

/** One fused Adam update of `param` (float32, same shape as `grad`); returns [param', m', v'] (m and v may be null when fresh). */
export function fusedAdamUpdate(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor | null, v: tf.Tensor | null, attrs: AdamKernelAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (!tf.util.arraysEqual(param.shape, grad.shape)) throw new Error(`adam: gradient shape [${grad.shape}] differs from its weight's [${param.shape}]`);
  if (param.dtype !== "float32" || grad.dtype !== "float32") throw new Error(`adam: weights and gradients must be float32; got ${param.dtype} and ${grad.dtype}`);
  if (attrs.fresh !== (m === null) || (m === null) !== (v === null)) throw new Error("adam: moments must both be given, or both absent on a weight's first update (fresh)");
  registerAdamKernel();
  const inputs = { param, grad, m: m ?? grad, v: v ?? grad };
  const [p, nm, nv] = tf.engine().runKernel(adamKernel, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [p, nm, nv];
}
