/**
 * Dense matmul speed of the active tfjs backend: tf.matMul of two n x n float32 matrices
 * (2 n^3 flops), timed to the values being readable, median of a few repeats after warm-up.
 */
import * as tf from "@tensorflow/tfjs";

/** GFLOP/s of n x n x n matmuls. */
export interface MatmulResult {
  readonly n: number;
  readonly repeats: number;
  readonly medianGflops: number;
  readonly bestGflops: number;
  readonly medianMs: number;
}

/** Times `repeats` matmuls after `warmup` untimed ones. */
export function matmulGflops(n = 1024, repeats = 5, warmup = 2): MatmulResult {
  const a = tf.randomNormal([n, n], 0, 1, "float32", 1) as tf.Tensor2D;
  const b = tf.randomNormal([n, n], 0, 1, "float32", 2) as tf.Tensor2D;
  try {
    const once = (): number => {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      const ms = performance.now() - t0;
      c.dispose();
      return ms;
    };
    for (let i = 0; i < warmup; i++) once();
    const times = Array.from({ length: repeats }, once).sort((x, y) => x - y);
    const flops = 2 * n ** 3;
    const medianMs = times[Math.floor(times.length / 2)];
    return { n, repeats, medianGflops: flops / (medianMs * 1e6), bestGflops: flops / (times[0] * 1e6), medianMs };
  } finally {
    a.dispose();
    b.dispose();
  }
}
