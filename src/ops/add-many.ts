/**
 * The sum of many tensors. tfjs's AddN binds every input at once, and on webgpu a shader may bind
 * only 8 storage buffers (WebGPU's default limit, which tfjs keeps and its AddN does not split), so
 * long lists (a gradient norm over every weight, a loss over every layer) are summed in chunks.
 */
import * as tf from "@tensorflow/tfjs";

/** Inputs per AddN: 7 inputs and 1 output fit WebGPU's default of 8 storage buffers per shader. */
const chunk = 7;

/** Element-wise sum of `tensors` (same shape and dtype; at least one). */
export function addMany<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length === 0) throw new Error("addMany: no tensors to sum");
  return tf.tidy(() => {
    let level: tf.Tensor[] = [...tensors];
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += chunk) {
        const part = level.slice(i, i + chunk);
        next.push(part.length === 1 ? part[0] : tf.addN(part));
      }
      level = next;
    }
    return level[0] as T;
  });
}
