/** Numerical gradients for checking analytic ones. */
import * as tf from "@tensorflow/tfjs";

/** (loss(w + eps) - loss(w - eps)) / (2 eps) at one flat entry of a variable; the variable is restored. */
export function centralDifference(param: tf.Variable, index: number, loss: () => number, eps: number): number {
  const values = param.dataSync().slice() as Float32Array;
  const orig = values[index];
  const at = (v: number) => {
    values[index] = v;
    param.assign(tf.tensor(values, param.shape));
    return loss();
  };
  const numeric = (at(orig + eps) - at(orig - eps)) / (2 * eps);
  at(orig);
  return numeric;
}
