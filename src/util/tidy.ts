/**
 * `tf.tidy` for functions returning structured results (interfaces of tensors and numbers):
 * tfjs keeps every tensor reachable from the result, but its types only accept its own
 * TensorContainer, which named interfaces do not satisfy.
 */
import * as tf from "@tensorflow/tfjs";

/** Runs `fn` in a tidy scope, keeping the tensors reachable from its result. */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}
