/**
 * Batched matrix product for attention: (B, M, K) x (B, K, N) with optional transposes, e.g.
 * scores = q k^T as batchMatMul(q, k, false, true) over B = batch*heads. On wasm every product,
 * forward and backward, is a non-transposed batch run item by item on XNNPACK (see
 * batch-mat-mul-kernel.ts); transposes are explicit copies. Measured with bench/ops.ts on 2 cores
 * for B*heads 32-128, T 16-64, head size 16-64: tf.matMul with transpose flags and tf.matMul after
 * an explicit transpose run tfjs-wasm's scalar loop equally slowly; unstacking into 2-D matmuls
 * is slower still (tfjs-wasm's Slice kernel copies the whole tensor off the heap for every item);
 * the per-item XNNPACK kernel is 4-8x faster forward and 3-6x forward+backward from (64, 32, 32)
 * up, and on par at (32, 16, 16). Other backends batch natively and get tf.matMul directly.
 */
import * as tf from "@tensorflow/tfjs";
import { xnnBatchMatMulAvailable, xnnBatchMatMulKernel } from "./batch-mat-mul-kernel";
import { blasMatMul, blasMatMulAvailable } from "./blas-mat-mul-kernel";
import { assertFloat32, assertRank, assertSameSize } from "./check";

const t3 = (x: tf.Tensor3D): tf.Tensor3D => tf.transpose(x, [0, 2, 1]);

/** Plain a·b per batch item, on XNNPACK where available. */
function plainBatchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const empty = a.size === 0 || b.size === 0;
  if (empty || !xnnBatchMatMulAvailable()) return tf.matMul(a, b);
  return tf.engine().runKernel(xnnBatchMatMulKernel, { a, b }) as tf.Tensor3D;
}

let gradientRegistered = false;

function registerGradient(): void {
  if (gradientRegistered || tf.getGradient(xnnBatchMatMulKernel)) return;
  tf.registerGradient({
    kernelName: xnnBatchMatMulKernel,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as tf.Tensor3D[];
      const g = dy as tf.Tensor3D;
      // dA = dy B^T, dB = A^T dy, each a plain batched product after an explicit transpose.
      return { a: () => tf.tidy(() => plainBatchMatMul(g, t3(b))), b: () => tf.tidy(() => plainBatchMatMul(t3(a), g)) };
    },
  });
  gradientRegistered = true;
}

/** Per-item a·b of 3-D float32 tensors with equal batch sizes, optionally transposing either operand's last two dims. */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
  assertRank("batchMatMul", "a", a, 3);
  assertRank("batchMatMul", "b", b, 3);
  assertFloat32("batchMatMul", "a", a);
  assertFloat32("batchMatMul", "b", b);
  assertSameSize("batchMatMul", `batch sizes of a [${a.shape}] and b [${b.shape}]`, a.shape[0], b.shape[0]);
  const inner = transposeA ? a.shape[1] : a.shape[2];
  const innerB = transposeB ? b.shape[2] : b.shape[1];
  assertSameSize("batchMatMul", `inner dimensions of a [${a.shape}] (transposeA=${transposeA}) and b [${b.shape}] (transposeB=${transposeB})`, inner, innerB);
  if (!xnnBatchMatMulAvailable()) return tf.matMul(a, b, transposeA, transposeB);
  registerGradient();
  return withTransposes(transposeA, transposeB)(a, b);
}

/** op(a)·op(b) on the plain kernel, transposing explicitly; not differentiated. */
function product(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  if (blasMatMulAvailable()) return blasMatMul(a, b, transposeA, transposeB);
  return tf.tidy(() => plainBatchMatMul(transposeA ? t3(a) : a, transposeB ? t3(b) : b));
}

type Product = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;
const withTransposesCache = new Map<string, Product>();

/**
 * op(a)·op(b) with a gradient written on the original operands, so that backward transposes
 * only what it must: for scores = q·k^T, dq = dy·k needs no copy at all, where differentiating
 * through the explicit transpose would transpose k back and transpose dk' again. Every product
 * of the forward or backward pass costs at most two explicit transposes.
 */
function withTransposes(transposeA: boolean, transposeB: boolean): Product {
  const key = `${transposeA}${transposeB}`;
  let f = withTransposesCache.get(key);
  if (f === undefined) {
    const grad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a, b]);
      return {
        value: product(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [x, y] = saved as tf.Tensor3D[];
          const g = dy as tf.Tensor3D;
          if (!transposeA && !transposeB) return [product(g, y, false, true), product(x, g, true, false)];
          if (!transposeA && transposeB) return [product(g, y, false, false), product(g, x, true, false)];
          if (transposeA && !transposeB) return [product(y, g, false, true), product(x, g, false, false)];
          return [product(y, g, true, true), product(g, x, true, true)];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    f = (a, b) => grad(a, b) as tf.Tensor3D;
    withTransposesCache.set(key, f);
  }
  return f;
}
