/**
 * Per-row softmax cross entropy with label smoothing, the loss of every language-model head here:
 *   loss[r] = (1 - s)·(lse[r] - x[r, t_r]) + s·(lse[r] - mean_c x[r, c]),   lse = log Σ_c exp x[r, c]
 * (fairseq's label_smoothed_nll_loss with the smoothing mass spread uniformly over the vocabulary),
 * and its gradient  d loss[r] / d x[r, c] = softmax(x[r])_c - (1 - s)·[c = t_r] - s / V.
 *
 * Composed from tfjs ops the loss makes about a dozen passes over the [tokens, vocabulary] logits
 * (max, shift, exp, sum, log, a scattered gather gradient, the softmax again in the backward pass)
 * and tfjs-wasm's `exp` is scalar: on the largest `small` subnet that was ~250 ms of a ~2 s step.
 * Where the native addon is loaded (src/backend/blas.ts) the loss is one custom-gradient op over two
 * fused kernels instead: the loss and the row statistics (max, log-sum-exp) in one pass forward, the
 * gradient written in one pass backward, both vectorised. Elsewhere (webgpu, cpu, wasm without the
 * addon) the tfjs composition runs, and the parity tests hold the two to each other.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset } from "../backend/wasm-internals";

/** Kernel: (logits x [R, V], targets [R] int32) -> stats [R, 3] = (the row's loss, max, log-sum-exp of x - max); attrs { smoothing }. */
export const xentStatsKernel = "SupernetXentStats";
/** Kernel: (x [R, V], stats [R, 3], targets [R] int32, weights [R]) -> grad [R, V]; attrs { smoothing }. */
export const xentGradKernel = "SupernetXentGrad";

let registered = false;

/** Registers the two fused kernels for wasm (idempotent). */
export function registerXentKernels(): void {
  if (registered) return;
  if (!tf.getKernel(xentStatsKernel, "wasm")) {
    tf.registerKernel({
      kernelName: xentStatsKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, targets } = inputs as unknown as { x: tf.TensorInfo; targets: tf.TensorInfo };
        const { smoothing } = attrs as unknown as { smoothing: number };
        const { wasm, addon } = nativeKernelContext(backend, xentStatsKernel);
        const [rows, cols] = x.shape;
        // Allocate first: allocating can grow the heap and move it to a new buffer object.
        const stats = wasm.makeOutput([rows, 3], "float32");
        try {
          addon.xentStats(heapByteView(wasm), rows, cols, heapOffset(wasm, x), heapOffset(wasm, targets), heapOffset(wasm, stats), smoothing);
        } catch (err) {
          tf.engine().backend.disposeData(stats.dataId);
          throw err;
        }
        return stats;
      },
    });
  }
  if (!tf.getKernel(xentGradKernel, "wasm")) {
    tf.registerKernel({
      kernelName: xentGradKernel,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, stats, targets, weights } = inputs as unknown as Record<"x" | "stats" | "targets" | "weights", tf.TensorInfo>;
        const { smoothing } = attrs as unknown as { smoothing: number };
        const { wasm, addon } = nativeKernelContext(backend, xentGradKernel);
        const [rows, cols] = x.shape;
        const grad = wasm.makeOutput([rows, cols], "float32");
        try {
          addon.xentGrad(heapByteView(wasm), rows, cols, heapOffset(wasm, x), heapOffset(wasm, stats), heapOffset(wasm, targets), heapOffset(wasm, weights), heapOffset(wasm, grad), smoothing);
        } catch (err) {
          tf.engine().backend.disposeData(grad.dataId);
          throw err;
        }
        return grad;
      },
    });
  }
  registered = true;
}

/** True when the fused kernels can serve: the native addon is loaded and the backend is wasm. */
export function fusedCrossEntropyAvailable(): boolean {
  return nativeKernelsAvailable();
}

function checkInputs(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): void {
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropyRows: logits must be [rows, vocabulary]; got shape [${logits.shape}]`);
  if (targets.rank !== 1 || targets.shape[0] !== logits.shape[0]) {
    throw new Error(`softmaxCrossEntropyRows: targets must have shape [${logits.shape[0]}] (one per row of logits [${logits.shape}]); got [${targets.shape}]`);
  }
  if (targets.dtype !== "int32") throw new Error(`softmaxCrossEntropyRows: targets must be int32; got ${targets.dtype}`);
  if (logits.dtype !== "float32") throw new Error(`softmaxCrossEntropyRows: logits must be float32; got ${logits.dtype}`);
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`softmaxCrossEntropyRows: smoothing must be in [0, 1); got ${smoothing}`);
}

/** The loss from tfjs ops, differentiated by tfjs (any backend). */
function composed(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): tf.Tensor1D {
  const [rows, vocab] = logits.shape;
  const logProbs = tf.logSoftmax(logits);
  // Pick each target's log-probability by flat index rather than multiplying by a one-hot
  // (rows x vocab) tensor: the step's largest intermediate after the logits themselves.
  const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, "int32"), tf.scalar(vocab, "int32")), targets);
  const nll = tf.neg(tf.gather(tf.reshape(logProbs, [rows * vocab]), flatIndex)) as tf.Tensor1D;
  return smoothing > 0 ? tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.neg(tf.mean(logProbs, -1)), smoothing)) : nll;
}

/** The loss on the two fused native kernels, with their gradient. */
function fused(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): tf.Tensor1D {
  registerXentKernels();
  const rows = logits.shape[0];
  const f = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const input = x as tf.Tensor2D;
    const stats = tf.engine().runKernel(xentStatsKernel, { x: input, targets }, { smoothing } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
    // Saved, not closed over: a caller's tidy may dispose the targets before the backward pass.
    (save as tf.GradSaveFunc)([input, stats, targets]);
    const value = tf.reshape(tf.slice(stats, [0, 0], [rows, 1]), [rows]) as tf.Tensor1D;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedStats, savedTargets] = saved;
      return [tf.engine().runKernel(xentGradKernel, { x: savedX, stats: savedStats, targets: savedTargets, weights: tf.cast(dy, "float32") }, { smoothing } as unknown as tf.NamedAttrMap) as tf.Tensor];
    };
    return { value, gradFunc };
  });
  return f(logits) as tf.Tensor1D;
}

/**
 * Per-row label-smoothed cross entropy of logits [rows, vocabulary] against int32 targets [rows],
 * differentiable in the logits: on the fused native kernels where they serve, else tfjs ops.
 */
export function softmaxCrossEntropyRows(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): tf.Tensor1D {
  checkInputs(logits, targets, smoothing);
  return tf.tidy(() => (fusedCrossEntropyAvailable() ? fused(logits, targets, smoothing) : composed(logits, targets, smoothing)));
}
