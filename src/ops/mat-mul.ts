/**
 * 2-D matrix product whose forward and backward products are all plain, non-transposed 2-D
 * matmuls. tfjs-wasm runs only that form on XNNPACK; a transposed or batched operand falls onto
 * a scalar loop ~10x slower, and tf.matMul's own gradient asks for exactly those transposed
 * products. Here the transposes are explicit copies (cheap next to the product), in the forward
 * pass for the transpose flags and in the gradient:
 *   y = A B,  A = op(a), B = op(b);  dA = dy B^T,  dB = A^T dy,
 *   da = dA or dA^T = B dy^T,  db = dB or dB^T = dy^T A.
 * Where the OpenBLAS addon is loaded (src/backend/blas.ts), every one of these products goes to
 * sgemm with its transpose flags instead, and nothing is copied.
 */
import * as tf from "@tensorflow/tfjs";
import { blasMatMul, blasMatMulAvailable } from "./blas-mat-mul-kernel";
import { assertFloat32, assertRank, assertSameSize } from "./check";

type MatMul2D = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

const t2 = (x: tf.Tensor2D): tf.Tensor2D => tf.transpose(x);

/** op(a)·op(b): on OpenBLAS with its transpose flags, else a plain product after explicit transposes. */
function product(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (blasMatMulAvailable()) return blasMatMul(a, b, transposeA, transposeB);
  return tf.tidy(() => tf.matMul(transposeA ? t2(a) : a, transposeB ? t2(b) : b));
}

function makeVariant(transposeA: boolean, transposeB: boolean): MatMul2D {
  const f = tf.customGrad((a: tf.Tensor | tf.GradSaveFunc, b: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const x = a as tf.Tensor2D;
    const w = b as tf.Tensor2D;
    (save as tf.GradSaveFunc)([x, w]);
    const value = product(x, w, transposeA, transposeB);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sa, sb] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      const da = transposeA ? product(sb, g, transposeB, true) : product(g, sb, false, !transposeB);
      const db = transposeB ? product(g, sa, true, transposeA) : product(sa, g, !transposeA, false);
      return [da, db];
    };
    return { value, gradFunc };
  });
  return f as unknown as MatMul2D;
}

const variants: MatMul2D[] = [makeVariant(false, false), makeVariant(false, true), makeVariant(true, false), makeVariant(true, true)];

/** a·b (with optional transposes) for 2-D float32 tensors; every product, gradients included, is a plain 2-D matmul. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  assertRank("matMul", "a", a, 2);
  assertRank("matMul", "b", b, 2);
  assertFloat32("matMul", "a", a);
  assertFloat32("matMul", "b", b);
  const inner = transposeA ? a.shape[0] : a.shape[1];
  const innerB = transposeB ? b.shape[1] : b.shape[0];
  assertSameSize("matMul", `inner dimensions of a [${a.shape}] (transposeA=${transposeA}) and b [${b.shape}] (transposeB=${transposeB})`, inner, innerB);
  return variants[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)](a, b);
}
