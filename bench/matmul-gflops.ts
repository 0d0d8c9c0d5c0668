/**
 * Dense matmul speed of the library's 2-D product (src/ops matMul: OpenBLAS where loaded, else
 * the backend's kernel) on two n x n float32 matrices (2 n^3 flops), median of a few repeats after
 * warm-up. On wasm and cpu a kernel has finished when it returns, so the clock stops there;
 * reading the values back (a heap copy that costs as much as the product at 1024^3 on
 * OpenBLAS) is not part of a matmul. Asynchronous backends are timed to `await data()`.
 */
import * as tf from "@tensorflow/tfjs";
import { matMul } from "../src/ops/index";

/** GFLOP/s of n x n x n matmuls. */
export interface MatmulResult {
  readonly n: number;
  readonly repeats: number;
  readonly medianGflops: number;
  readonly bestGflops: number;
  readonly medianMs: number;
}

/** Times `repeats` matmuls after `warmup` untimed ones. */
export async function matmulGflops(n = 1024, repeats = 5, warmup = 2): Promise<MatmulResult> {
  const a = tf.randomNormal([n, n], 0, 1, "float32", 1) as tf.Tensor2D;
  const b = tf.randomNormal([n, n], 0, 1, "float32", 2) as tf.Tensor2D;
  const synchronous = ["wasm", "cpu"].includes(tf.getBackend());
  try {
    const once = async (): Promise<number> => {
      const t0 = performance.now();
      const c = matMul(a, b);
      if (!synchronous) await c.data();
      const ms = performance.now() - t0;
      c.dispose();
      return ms;
    };
    for (let i = 0; i < warmup; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await once());
    times.sort((x, y) => x - y);
    const flops = 2 * n ** 3;
    const medianMs = times[Math.floor(times.length / 2)];
    return { n, repeats, medianGflops: flops / (medianMs * 1e6), bestGflops: flops / (times[0] * 1e6), medianMs };
  } finally {
    a.dispose();
    b.dispose();
  }
}
